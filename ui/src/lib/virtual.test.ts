import { describe, expect, it } from 'vitest';
import { PageCache, pagesFor, rowAfterKey, scrollToShow, visibleRange } from './virtual';

describe('virtual list', () => {
  it('renders only what is in view, plus overscan', () => {
    expect(visibleRange(0, 400, 40, 100_000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleRange(40_000, 400, 40, 100_000, 5)).toEqual({ start: 995, end: 1016 });
    expect(visibleRange(4_000_000, 400, 40, 100_000, 5)).toEqual({ start: 99_995, end: 100_000 });
    expect(visibleRange(0, 400, 40, 0)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(0, 400, 40, 3, 5)).toEqual({ start: 0, end: 3 });
  });

  it('covers a range with the pages it spans', () => {
    expect(pagesFor({ start: 95, end: 205 }, 100)).toEqual([0, 1, 2]);
    expect(pagesFor({ start: 0, end: 0 }, 100)).toEqual([]);
  });

  it('loads each page once and forgets on clear', () => {
    const cache = new PageCache<number>(10);
    expect(cache.claim({ start: 5, end: 15 })).toEqual([0, 1]);
    expect(cache.claim({ start: 5, end: 25 })).toEqual([2]);
    cache.fill(1, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(cache.row(13)).toBe(13);
    expect(cache.row(3)).toBeUndefined();
    cache.fail(0);
    expect(cache.claim({ start: 0, end: 5 })).toEqual([0]);
    cache.clear();
    expect(cache.row(13)).toBeUndefined();
  });

  it('keeps at most maxPages, forgetting the farthest from the page loaded', () => {
    const cache = new PageCache<number>(10, 3);
    for (const p of [0, 1, 2, 3]) cache.fill(p, [p * 10]);
    expect(cache.row(0)).toBeUndefined();
    expect(cache.row(30)).toBe(30);
    expect(cache.claim({ start: 0, end: 10 })).toEqual([0]);
    cache.fill(0, [0]);
    expect(cache.row(0)).toBe(0);
    expect(cache.row(30)).toBeUndefined();
    expect(cache.row(10)).toBe(10);
  });

  it('moves between rows with the arrow, page, Home and End keys', () => {
    expect(rowAfterKey('ArrowDown', 4, 100, 10)).toBe(5);
    expect(rowAfterKey('ArrowUp', 4, 100, 10)).toBe(3);
    expect(rowAfterKey('PageDown', 4, 100, 10)).toBe(13);
    expect(rowAfterKey('PageUp', 4, 100, 10)).toBe(0);
    expect(rowAfterKey('Home', 40, 100, 10)).toBe(0);
    expect(rowAfterKey('End', 40, 100_000, 10)).toBe(99_999);
    // At either end there is nowhere to go.
    expect(rowAfterKey('ArrowUp', 0, 100, 10)).toBeNull();
    expect(rowAfterKey('ArrowDown', 99, 100, 10)).toBeNull();
    expect(rowAfterKey('PageDown', 95, 100, 10)).toBe(99);
    // From the search box only down goes into the list.
    expect(rowAfterKey('ArrowDown', -1, 100, 10)).toBe(0);
    expect(rowAfterKey('ArrowUp', -1, 100, 10)).toBeNull();
    expect(rowAfterKey('End', -1, 100, 10)).toBeNull();
    expect(rowAfterKey('ArrowDown', -1, 0, 10)).toBeNull();
    expect(rowAfterKey('a', 3, 100, 10)).toBeNull();
  });

  it('scrolls as little as needed to show a row', () => {
    // In view: no scroll.
    expect(scrollToShow(3, 56, 0, 560)).toBe(0);
    // Below: its bottom edge at the viewport's bottom.
    expect(scrollToShow(10, 56, 0, 560)).toBe(56);
    // Above: its top edge at the top.
    expect(scrollToShow(2, 56, 560, 560)).toBe(112);
    expect(scrollToShow(99_999, 56, 0, 560)).toBe(99_999 * 56 + 56 - 560);
  });
});
