/**
 * Row-major float64 matrices. Batches are rows: a batch of B samples with d features is B x d.
 * Kernels that need speed (the matrix product) live in matmul.ts behind one small interface.
 */

export interface Matrix {
  rows: number;
  cols: number;
  /** Row-major: entry (i, j) is data[i * cols + j]. */
  data: Float64Array;
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const m = zeros(r, c);
  rows.forEach((row, i) => {
    if (row.length !== c)
      throw new Error(`fromRows: row ${i} has ${row.length} entries, expected ${c}`);
    m.data.set(row, i * c);
  });
  return m;
}

export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++)
    out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

export function cloneMatrix(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

export function get(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

/** Rows `indices` of `m`, copied into `out` (preallocated, indices.length x m.cols). */
export function gatherRows(m: Matrix, indices: ArrayLike<number>, out: Matrix): Matrix {
  const c = m.cols;
  for (let k = 0; k < indices.length; k++) {
    const src = indices[k] * c;
    out.data.set(m.data.subarray(src, src + c), k * c);
  }
  return out;
}
