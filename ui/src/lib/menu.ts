// The keyboard of a menu button (WAI-ARIA APG "menu button" pattern): which
// item takes focus for a key, or whether the menu closes. Pure, so Vitest can
// check it without a browser; RowMenu.svelte applies the answer.

/** One action of a row's menu. */
export interface MenuItem {
  /** `data-action` of the item, for tests and styles. */
  action: string;
  label: string;
  danger?: boolean;
  run: () => void;
}

export type MenuMove = { focus: number } | { close: true; refocus: boolean } | null;

/** What `key` does in an open menu of `count` items whose item `current` has focus. */
export function menuKey(key: string, current: number, count: number): MenuMove {
  if (count === 0) return key === 'Escape' ? { close: true, refocus: true } : null;
  switch (key) {
    case 'ArrowDown':
      return { focus: (current + 1) % count };
    case 'ArrowUp':
      return { focus: (current - 1 + count) % count };
    case 'Home':
      return { focus: 0 };
    case 'End':
      return { focus: count - 1 };
    case 'Escape':
      return { close: true, refocus: true };
    case 'Tab':
      return { close: true, refocus: false };
    default:
      return null;
  }
}

/** Which item takes focus when the menu opens from its button with `key`
 *  (ArrowUp opens on the last item; Enter, Space, ArrowDown and a click on the first). */
export function openingFocus(key: string | null, count: number): number {
  return key === 'ArrowUp' ? Math.max(count - 1, 0) : 0;
}
