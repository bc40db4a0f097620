import { describe, expect, it } from 'vitest';
import { menuKey, openingFocus } from './menu';

describe('a menu button keyboard', () => {
  it('arrows move through the items and wrap at both ends', () => {
    expect(menuKey('ArrowDown', 0, 3)).toEqual({ focus: 1 });
    expect(menuKey('ArrowDown', 2, 3)).toEqual({ focus: 0 });
    expect(menuKey('ArrowUp', 0, 3)).toEqual({ focus: 2 });
    expect(menuKey('ArrowUp', 2, 3)).toEqual({ focus: 1 });
  });

  it('Home and End go to the first and the last item', () => {
    expect(menuKey('Home', 2, 4)).toEqual({ focus: 0 });
    expect(menuKey('End', 0, 4)).toEqual({ focus: 3 });
  });

  it('Escape closes and gives focus back to the button; Tab closes and moves on', () => {
    expect(menuKey('Escape', 1, 3)).toEqual({ close: true, refocus: true });
    expect(menuKey('Tab', 1, 3)).toEqual({ close: true, refocus: false });
  });

  it('other keys do nothing', () => {
    expect(menuKey('a', 1, 3)).toBeNull();
    expect(menuKey('ArrowDown', 0, 0)).toBeNull();
  });

  it('ArrowUp opens on the last item, anything else on the first', () => {
    expect(openingFocus('ArrowUp', 4)).toBe(3);
    expect(openingFocus('ArrowDown', 4)).toBe(0);
    expect(openingFocus(null, 4)).toBe(0);
  });
});
