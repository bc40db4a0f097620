// The apps list renders only the rows in view, and asks the shell only for the
// pages those rows are on, so that 100k apps cost what a screenful costs.

export interface Range {
  start: number;
  end: number; // exclusive
}

/** The rows to render for a scroll position, with `overscan` rows either side. */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): Range {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const count = Math.ceil(Math.max(0, viewport) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(total, first + count + overscan);
  return { start: Math.min(start, end), end };
}

/** The page numbers covering rows [start, end). */
export function pagesFor(range: Range, pageSize: number): number[] {
  if (range.end <= range.start) return [];
  const first = Math.floor(range.start / pageSize);
  const last = Math.floor((range.end - 1) / pageSize);
  const out: number[] = [];
  for (let p = first; p <= last; p++) out.push(p);
  return out;
}

/**
 * Loaded pages of one query; a new query (filter) or a change starts afresh.
 * At most `maxPages` are kept: scrolling through 100k apps keeps the pages
 * nearest the last one loaded and forgets the farthest (fetched again if
 * scrolled back to), so memory stays that of a few thousand rows.
 */
export class PageCache<T> {
  private pages = new Map<number, T[]>();
  private pending = new Set<number>();
  constructor(
    readonly pageSize: number,
    readonly maxPages = 50,
  ) {}

  clear(): void {
    this.pages.clear();
    this.pending.clear();
  }

  row(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** The pages of `range` neither loaded nor being loaded; marks them pending. */
  claim(range: Range): number[] {
    const out = pagesFor(range, this.pageSize).filter(
      (p) => !this.pages.has(p) && !this.pending.has(p),
    );
    out.forEach((p) => this.pending.add(p));
    return out;
  }

  fill(page: number, items: T[]): void {
    this.pending.delete(page);
    this.pages.set(page, items);
    while (this.pages.size > Math.max(1, this.maxPages)) {
      let farthest = page;
      for (const p of this.pages.keys()) {
        if (Math.abs(p - page) > Math.abs(farthest - page)) farthest = p;
      }
      this.pages.delete(farthest);
    }
  }

  fail(page: number): void {
    this.pending.delete(page);
  }
}

/**
 * The row a key moves to from row `current` (-1: from the search box) in a
 * list of `total` rows, `perPage` of them in view; null if the key does not
 * move or there is nowhere to go.
 */
export function rowAfterKey(
  key: string,
  current: number,
  total: number,
  perPage: number,
): number | null {
  if (total <= 0) return null;
  const last = total - 1;
  const step = Math.max(1, perPage - 1);
  let next: number;
  switch (key) {
    case 'ArrowDown':
      next = current + 1;
      break;
    case 'ArrowUp':
      next = current - 1;
      break;
    case 'PageDown':
      next = current + step;
      break;
    case 'PageUp':
      next = current - step;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = last;
      break;
    default:
      return null;
  }
  if (current < 0 && key !== 'ArrowDown' && key !== 'PageDown') return null;
  next = Math.min(last, Math.max(0, next));
  return next === current ? null : next;
}

/** The scroll position that shows row `index` whole, moving as little as possible. */
export function scrollToShow(
  index: number,
  rowHeight: number,
  scrollTop: number,
  viewport: number,
): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  const bottom = top + rowHeight;
  if (bottom > scrollTop + viewport) return Math.max(0, bottom - viewport);
  return scrollTop;
}
