// The native menu's clicks (src-tauri/src/menu.rs) reach the window through a
// channel the window hands to `watch_menu`: each message is an action id of
// lib/actions.ts. A channel needs no event permission, so the window's
// capability still grants Appdesk's own commands and nothing else.
import { Channel, invoke } from '@tauri-apps/api/core';

/** Calls `onaction` with each menu item's id; returns a function that stops. */
export function watchMenu(onaction: (id: string) => void): () => void {
  let live = true;
  const channel = new Channel<string>();
  channel.onmessage = (id) => {
    if (live && typeof id === 'string') onaction(id);
  };
  invoke('watch_menu', { events: channel }).catch(() => {
    // No shell (a browser preview): there is no native menu to watch.
  });
  return () => {
    live = false;
  };
}
