/**
 * Which columns of a wide preview table to draw: those in view and about a view's width either
 * side. A 785-column file previewed whole is ~4,000 cells, built and laid out in one task of
 * several hundred ms; the columns left out are stood in for by a gap of their exact width (in
 * `ch` of the table's monospace font), so the table keeps its width and scrolling finds each
 * column where it would be. Pure, so it is tested without a page.
 */

/** Up to this many columns, every column is drawn (no gaps): a small table stays as it was. */
export const ALL_COLUMNS_UP_TO = 40;

/** Each column's width in characters: its longest text (header or cell), at least one. */
export function columnChars(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
): number[] {
  return columns.map((name, j) =>
    rows.reduce((widest, row) => Math.max(widest, (row[j] ?? '').length), Math.max(1, name.length)),
  );
}

export interface ColumnMetrics {
  /** Width of one character of the table's font, px (the CSS `ch` unit, measured). */
  charPx: number;
  /** A cell's left and right padding together, px. */
  paddingPx: number;
}

/** The columns to draw: indices first (inclusive) to end (exclusive). */
export interface ColumnWindow {
  first: number;
  end: number;
}

/**
 * The columns overlapping the view [start, start + width) px (measured from the first column's
 * left edge), widened by `overscanPx` (half a view by default) on each side so a short scroll
 * finds columns already drawn.
 * Every column when there are at most ALL_COLUMNS_UP_TO.
 */
export function columnWindow(
  chars: readonly number[],
  view: { start: number; width: number },
  metrics: ColumnMetrics,
  overscanPx = view.width / 2,
): ColumnWindow {
  if (chars.length <= ALL_COLUMNS_UP_TO) return { first: 0, end: chars.length };
  const from = view.start - overscanPx;
  const to = view.start + view.width + overscanPx;
  let first = chars.length;
  let end = 0;
  let left = 0;
  for (let j = 0; j < chars.length; j++) {
    const right = left + chars[j] * metrics.charPx + metrics.paddingPx;
    if (right > from && left < to) {
      first = Math.min(first, j);
      end = j + 1;
    }
    left = right;
  }
  // Scrolled past the end (the table shrank): the last columns.
  if (first >= end) return { first: Math.max(0, chars.length - 1), end: chars.length };
  return { first, end };
}

/** CSS width of columns [from, to) side by side: their characters and their padding. */
export function columnsWidth(
  chars: readonly number[],
  from: number,
  to: number,
  paddingPx: number,
): string {
  let sum = 0;
  for (let j = from; j < to; j++) sum += chars[j];
  return to > from ? `calc(${sum}ch + ${(to - from) * paddingPx}px)` : '0px';
}
