import { describe, expect, it } from 'vitest';
import {
  SIDEBAR_DEFAULT,
  SIDEBAR_KEY,
  SIDEBAR_MAX,
  SIDEBAR_MIN,
  clampWidth,
  storeWidth,
  storedWidth,
  widthAfterKey,
} from './sidebar';

function memory(): Storage {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
  } as Storage;
}

describe('sidebar width', () => {
  it('stays within its bounds, and junk becomes the default', () => {
    expect(clampWidth(10)).toBe(SIDEBAR_MIN);
    expect(clampWidth(5000)).toBe(SIDEBAR_MAX);
    expect(clampWidth(300.4)).toBe(300);
    expect(clampWidth(Number.NaN)).toBe(SIDEBAR_DEFAULT);
  });

  it('arrows move it by a step, Shift by four, Home and End to the bounds', () => {
    expect(widthAfterKey('ArrowRight', 300)).toBe(316);
    expect(widthAfterKey('ArrowLeft', 300)).toBe(284);
    expect(widthAfterKey('ArrowLeft', 400, true)).toBe(336);
    expect(widthAfterKey('ArrowLeft', 300, true)).toBe(SIDEBAR_MIN); // 236 is below it
    expect(widthAfterKey('Home', 400)).toBe(SIDEBAR_MIN);
    expect(widthAfterKey('End', 400)).toBe(SIDEBAR_MAX);
    expect(widthAfterKey('a', 400)).toBeNull();
  });

  it('is remembered, and a stored value out of bounds or not a number is not trusted', () => {
    const s = memory();
    expect(storedWidth(s)).toBe(SIDEBAR_DEFAULT);
    storeWidth(420, s);
    expect(storedWidth(s)).toBe(420);
    s.setItem(SIDEBAR_KEY, '99999');
    expect(storedWidth(s)).toBe(SIDEBAR_MAX);
    s.setItem(SIDEBAR_KEY, 'wide');
    expect(storedWidth(s)).toBe(SIDEBAR_DEFAULT);
  });
});
