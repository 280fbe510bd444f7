/**
 * Reordering a float64 matrix's rows inside its own buffer (the CLI's in-place prepare: the split
 * without a second copy of the features), and row ranges as views.
 */
import type { Matrix } from '../engine/matrix';

/**
 * Make row r of X what row order[r] was, for every r, in place. `order` must hold each row index
 * exactly once. Each cycle of the permutation is walked once: the cycle's first row is kept aside
 * (one row of extra memory), every other row is copied once.
 */
export function reorderRowsInPlace(X: Matrix, order: readonly number[]): void {
  const { rows, cols, data } = X;
  if (order.length !== rows)
    throw new Error(`The row order has ${order.length} entries for ${rows} rows.`);
  const placed = new Uint8Array(rows);
  const kept = new Float64Array(cols);
  for (let start = 0; start < rows; start++) {
    if (placed[start]) continue;
    if (order[start] === start) {
      placed[start] = 1;
      continue;
    }
    kept.set(data.subarray(start * cols, start * cols + cols));
    let r = start;
    for (;;) {
      placed[r] = 1;
      const from = order[r];
      if (from === start) {
        data.set(kept, r * cols);
        break;
      }
      if (placed[from]) throw new Error(`The row order names row ${from} twice.`);
      data.copyWithin(r * cols, from * cols, from * cols + cols);
      r = from;
    }
  }
}

/** Rows [start, end) of X, sharing its buffer. */
export function rowView(X: Matrix, start: number, end: number): Matrix {
  return { rows: end - start, cols: X.cols, data: X.data.subarray(start * X.cols, end * X.cols) };
}
