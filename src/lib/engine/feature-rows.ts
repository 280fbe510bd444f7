/**
 * Input features as the engine reads them: a float64 Matrix, or FeatureRows — rows of a stored
 * array (float64, or bytes such as image pixels) turned into float64 rows only when a batch or an
 * evaluation chunk needs them, optionally picked through a row index and standardized on the way
 * out: x' = (x - mean) / std, the same expression (and so the same float64 numbers) as
 * standardizing a float64 copy up front.
 *
 * Why views: a split is then a list of row numbers into the dataset's own features, not a second
 * standardized copy of them, so a kept dataset (the app's worker keeps it to split again when the
 * settings change) costs one copy of its features, not two.
 */
import { gatherRows, zeros, type Matrix } from './matrix';

/** Per column, both or neither: a value x of column j is read as (x - mean[j]) / std[j]. */
export interface FeatureScale {
  mean: Float64Array;
  std: Float64Array;
}

/** Stored rows read as float64 on demand: row r is stored row rowIndex[r] (or r). */
export interface FeatureRows {
  rows: number;
  cols: number;
  /** The stored rows, row-major, `cols` values each: float64, or bytes (0-255, e.g. pixels). */
  values: Float64Array | Uint8Array;
  /** Row r is stored row rowIndex[r] (a split's rows of a dataset); absent: stored row r. */
  rowIndex?: Uint32Array;
  /** Applied as each value is read; absent: values are read as they are stored. */
  scale?: FeatureScale;
}

/** Features of a dataset or split: float64 values, or stored rows read as float64 on demand. */
export type FeatureMatrix = Matrix | FeatureRows;

export function isFeatureRows(X: FeatureMatrix): X is FeatureRows {
  return 'values' in X;
}

/** Where row r of X starts in X.values. */
function storedStart(X: FeatureRows, r: number): number {
  return (X.rowIndex ? X.rowIndex[r] : r) * X.cols;
}

/**
 * Rows `indices` of X (in that order) as float64, written into `out`'s first indices.length rows.
 * A Matrix is copied as it is; stored rows are converted (and scaled) row by row.
 */
export function gatherFeatureRows(
  X: FeatureMatrix,
  indices: ArrayLike<number>,
  out: Matrix,
): Matrix {
  if (!isFeatureRows(X)) return gatherRows(X, indices, out);
  const { cols, values, scale } = X;
  const o = out.data;
  if (!scale) {
    for (let r = 0; r < indices.length; r++) {
      const from = storedStart(X, indices[r]);
      o.set(values.subarray(from, from + cols), r * cols);
    }
    return out;
  }
  const { mean, std } = scale;
  for (let r = 0; r < indices.length; r++)
    for (let j = 0, k = storedStart(X, indices[r]), w = r * cols; j < cols; j++, k++, w++)
      o[w] = (values[k] - mean[j]) / std[j];
  return out;
}

/**
 * Rows [start, end) of X as a float64 matrix: a view sharing a Matrix's buffer (no copy), or the
 * stored rows converted into `buffer` (reused when it has the right shape, else a new matrix).
 */
export function featureBlock(
  X: FeatureMatrix,
  start: number,
  end: number,
  buffer?: Matrix,
): Matrix {
  const rows = end - start;
  if (!isFeatureRows(X))
    return { rows, cols: X.cols, data: X.data.subarray(start * X.cols, end * X.cols) };
  const out =
    buffer && buffer.rows === rows && buffer.cols === X.cols ? buffer : zeros(rows, X.cols);
  const indices = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) indices[r] = start + r;
  return gatherFeatureRows(X, indices, out);
}

/** All of X as a float64 matrix (for small data and callers that need every value at once). */
export function featureMatrix(X: FeatureMatrix): Matrix {
  if (!isFeatureRows(X)) return X;
  return featureBlock(X, 0, X.rows, zeros(X.rows, X.cols));
}

/**
 * Rows `indices` of X as rows read from X's own storage (nothing copied but the index), scaled on
 * read with `scale` when given (replacing any scale X had): how a split is taken from a dataset.
 */
export function featureRowsOf(
  X: FeatureMatrix,
  indices: ArrayLike<number>,
  scale?: FeatureScale,
): FeatureRows {
  const values = isFeatureRows(X) ? X.values : X.data;
  const stored = isFeatureRows(X) ? X.rowIndex : undefined;
  const rowIndex = new Uint32Array(indices.length);
  for (let r = 0; r < indices.length; r++) rowIndex[r] = stored ? stored[indices[r]] : indices[r];
  return { rows: indices.length, cols: X.cols, values, rowIndex, ...(scale ? { scale } : {}) };
}

/**
 * Rows `indices` as new, compact features of the same kind (float64 stays float64, bytes stay
 * bytes, a scale is kept): a copy the caller owns.
 */
export function selectFeatureRows(X: FeatureMatrix, indices: ArrayLike<number>): FeatureMatrix {
  if (!isFeatureRows(X)) return gatherRows(X, indices, zeros(indices.length, X.cols));
  const { cols } = X;
  const values =
    X.values instanceof Uint8Array
      ? new Uint8Array(indices.length * cols)
      : new Float64Array(indices.length * cols);
  for (let r = 0; r < indices.length; r++) {
    const from = storedStart(X, indices[r]);
    values.set(X.values.subarray(from, from + cols), r * cols);
  }
  return { rows: indices.length, cols, values, ...(X.scale ? { scale: X.scale } : {}) };
}

/** The raw (unscaled) value at row i, column j. */
export function rawFeature(X: FeatureMatrix, i: number, j: number): number {
  return isFeatureRows(X) ? X.values[storedStart(X, i) + j] : X.data[i * X.cols + j];
}
