// A stream of messages from the shell: the window hands a channel to a
// `watch_…` command, and the shell sends on it for as long as the window
// lives. A channel needs no event permission, so the window's capability
// still grants Appdesk's own commands and nothing else.
import { Channel, invoke } from '@tauri-apps/api/core';

/**
 * Calls `onmessage` with each message the shell sends on the channel given to
 * `command`; returns a function that stops. Without a shell (a browser
 * preview) nothing is ever sent.
 */
export function watchChannel<T>(command: string, onmessage: (message: T) => void): () => void {
  let live = true;
  const events = new Channel<T>();
  events.onmessage = (message) => {
    if (live) onmessage(message);
  };
  invoke(command, { events }).catch(() => {
    // No shell: nothing to watch.
  });
  return () => {
    live = false;
  };
}
