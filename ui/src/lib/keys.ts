// Keyboard shortcuts: each names an action of lib/actions.ts (the native menu
// shows the same keys and emits the same action ids). Ctrl on Linux and
// Windows, Cmd on macOS; Esc closes.

export type Shortcut =
  | 'new-draft'
  | 'search'
  | 'palette'
  | 'import'
  | 'settings'
  | 'activity'
  | 'escape';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export function isMac(platform: string): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

const KEYS: Record<string, Shortcut> = {
  n: 'new-draft',
  f: 'search',
  k: 'palette',
  o: 'import',
  ',': 'settings',
};
const SHIFTED: Record<string, Shortcut> = { a: 'activity' };

export function shortcut(e: KeyLike, mac: boolean): Shortcut | null {
  if (e.key === 'Escape') return 'escape';
  const mod = mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  if (!mod || e.altKey) return null;
  const k = e.key.toLowerCase();
  return (e.shiftKey ? SHIFTED[k] : KEYS[k]) ?? null;
}
