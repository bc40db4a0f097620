// The apps sidebar's width: dragged or moved with the keyboard on its
// separator, kept within bounds, and remembered in this window's storage.

export const SIDEBAR_KEY = 'appdesk.sidebar.width';
export const SIDEBAR_MIN = 240;
export const SIDEBAR_MAX = 640;
export const SIDEBAR_DEFAULT = 360;
const STEP = 16;

export function clampWidth(width: number, min = SIDEBAR_MIN, max = SIDEBAR_MAX): number {
  if (!Number.isFinite(width)) return SIDEBAR_DEFAULT;
  return Math.round(Math.min(max, Math.max(min, width)));
}

/** The width after a key on the separator (the window-splitter pattern), or
 *  null for a key it does not take. */
export function widthAfterKey(key: string, width: number, shift = false): number | null {
  const step = shift ? STEP * 4 : STEP;
  switch (key) {
    case 'ArrowLeft':
      return clampWidth(width - step);
    case 'ArrowRight':
      return clampWidth(width + step);
    case 'Home':
      return SIDEBAR_MIN;
    case 'End':
      return SIDEBAR_MAX;
    case 'Enter':
      return SIDEBAR_DEFAULT;
    default:
      return null;
  }
}

export function storedWidth(storage: Pick<Storage, 'getItem'> = localStorage): number {
  try {
    const v = storage.getItem(SIDEBAR_KEY);
    return v === null ? SIDEBAR_DEFAULT : clampWidth(Number(v));
  } catch {
    return SIDEBAR_DEFAULT;
  }
}

export function storeWidth(width: number, storage: Pick<Storage, 'setItem'> = localStorage) {
  try {
    storage.setItem(SIDEBAR_KEY, String(clampWidth(width)));
  } catch {
    // Storage refused: the width lasts for this run.
  }
}
