// The window's actions, in one list: the command palette offers them, the
// keyboard shortcuts (lib/keys.ts) and the native menu (src-tauri/src/menu.rs,
// which emits the same ids as "menu" events) trigger them, and Root.svelte runs
// them in one place, so every way in does the same thing.

export type ActionId =
  | 'new-draft'
  | 'import'
  | 'export-all'
  | 'search'
  | 'palette'
  | 'activity'
  | 'settings'
  | 'theme-system'
  | 'theme-light'
  | 'theme-dark';

export interface Action {
  id: ActionId;
  label: string;
  /** Other words it is found by. */
  words?: string;
  /** The shortcut after the modifier ("N" for Ctrl+N), if any. */
  key?: string;
}

export const ACTIONS: readonly Action[] = [
  { id: 'new-draft', label: 'New app', words: 'create draft add', key: 'N' },
  { id: 'import', label: 'Import…', words: 'open files json', key: 'O' },
  { id: 'export-all', label: 'Export all…', words: 'save files json backup' },
  { id: 'search', label: 'Search apps', words: 'find filter', key: 'F' },
  { id: 'activity', label: 'Show activity', words: 'log history changes', key: 'Shift+A' },
  { id: 'settings', label: 'Open settings', words: 'preferences paths version', key: ',' },
  { id: 'theme-system', label: 'Theme: System', words: 'appearance auto' },
  { id: 'theme-light', label: 'Theme: Light', words: 'appearance' },
  { id: 'theme-dark', label: 'Theme: Dark', words: 'appearance night' },
];

export function isActionId(value: unknown): value is ActionId {
  if (typeof value !== 'string') return false;
  return value === 'palette' || ACTIONS.some((a) => a.id === value);
}

/**
 * How well `query` matches `text` as a subsequence (case-insensitive): null
 * when it does not; otherwise lower is better (a match at the start of the
 * text or of a word, and letters close together, score best).
 */
export function fuzzyScore(query: string, text: string): number | null {
  const q = query.trim().toLowerCase();
  if (!q) return 0;
  const t = text.toLowerCase();
  const at = t.indexOf(q);
  if (at === 0) return 0;
  if (at > 0) return /[\s:.\-]/.test(t.charAt(at - 1)) ? 1 : 2;
  let score = 10;
  let last = -1;
  for (const ch of q) {
    if (ch === ' ') continue;
    const i = t.indexOf(ch, last + 1);
    if (i < 0) return null;
    score += last < 0 ? i : i - last - 1;
    last = i;
  }
  return score;
}

/** The actions matching `query`, best first (the list's order among equals). */
export function matchActions(query: string, actions: readonly Action[] = ACTIONS): Action[] {
  return actions
    .map((a, i) => {
      const label = fuzzyScore(query, a.label);
      const words = a.words ? fuzzyScore(query, a.words) : null;
      const best = label === null ? (words === null ? null : words + 5) : label;
      return { a, i, best };
    })
    .filter((x) => x.best !== null)
    .sort((x, y) => (x.best as number) - (y.best as number) || x.i - y.i)
    .map((x) => x.a);
}
