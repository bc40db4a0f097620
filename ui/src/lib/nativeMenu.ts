// The native menu's clicks (src-tauri/src/menu.rs) reach the window through a
// channel the window hands to `watch_menu` (lib/channel.ts): each message is
// an action id of lib/actions.ts.
import { watchChannel } from './channel';

/** Calls `onaction` with each menu item's id; returns a function that stops. */
export function watchMenu(onaction: (id: string) => void): () => void {
  return watchChannel<unknown>('watch_menu', (id) => {
    if (typeof id === 'string') onaction(id);
  });
}
