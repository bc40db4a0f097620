// Keyboard shortcuts: Ctrl/Cmd+N new draft, Ctrl/Cmd+F search, Esc closes.

export type Shortcut = 'new-draft' | 'search' | 'escape';

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

export function shortcut(e: KeyLike, mac: boolean): Shortcut | null {
  if (e.key === 'Escape') return 'escape';
  const mod = mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  if (!mod || e.altKey || e.shiftKey) return null;
  switch (e.key.toLowerCase()) {
    case 'n':
      return 'new-draft';
    case 'f':
      return 'search';
    default:
      return null;
  }
}
