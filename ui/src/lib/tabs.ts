// The app page's tabs: their order, the tab each app was left on (kept for the
// session, per app), and the keys that move between them (arrow keys inside the
// tab list, Ctrl/Cmd+1…5 anywhere on the page).
import type { KeyLike } from './keys';

export const TABS = ['overview', 'scopes', 'tenants', 'connections', 'history'] as const;
export type Tab = (typeof TABS)[number];

export const TAB_LABEL: Record<Tab, string> = {
  overview: 'Overview',
  scopes: 'Scopes',
  tenants: 'Tenants',
  connections: 'Connections',
  history: 'History',
};

const remembered = new Map<string, Tab>();

/** The tab the app was last left on, Overview for an app not opened before. */
export function tabOf(app: string): Tab {
  return remembered.get(app) ?? 'overview';
}

export function rememberTab(app: string, tab: Tab): void {
  remembered.set(app, tab);
}

/** The tab Ctrl/Cmd+1…5 selects, or null for any other key. */
export function tabShortcut(e: KeyLike, mac: boolean): Tab | null {
  const mod = mac ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  if (!mod || e.altKey || e.shiftKey) return null;
  const n = Number(e.key);
  return Number.isInteger(n) && n >= 1 && n <= TABS.length ? TABS[n - 1]! : null;
}

/** The tab an arrow, Home or End key moves to from `current` (wrapping), or null. */
export function tabAfterKey(current: Tab, key: string): Tab | null {
  const i = TABS.indexOf(current);
  switch (key) {
    case 'ArrowRight':
      return TABS[(i + 1) % TABS.length]!;
    case 'ArrowLeft':
      return TABS[(i - 1 + TABS.length) % TABS.length]!;
    case 'Home':
      return TABS[0];
    case 'End':
      return TABS[TABS.length - 1]!;
    default:
      return null;
  }
}
