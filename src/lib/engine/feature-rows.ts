/**
 * Input features as the engine reads them: a float64 Matrix, or bytes (0-255, e.g. image pixels)
 * kept compact and turned into float64 rows only when a batch or an evaluation chunk needs them.
 * Byte rows may carry a standardization, applied on the way out: x' = (x - mean) / std, the same
 * expression (and so the same float64 numbers) as standardizing a float64 copy up front.
 */
import { gatherRows, zeros, type Matrix } from './matrix';

/** Bytes as features: rows × cols values, row-major; scaled on read when `mean`/`std` are set. */
export interface ByteFeatures {
  rows: number;
  cols: number;
  /** Row-major: entry (i, j) is bytes[i * cols + j]. */
  bytes: Uint8Array;
  /** Per column, both or neither: rows are read as (byte - mean[j]) / std[j]. */
  scale?: { mean: Float64Array; std: Float64Array };
}

/** Features of a dataset or split: float64 values, or bytes read as float64 on demand. */
export type FeatureMatrix = Matrix | ByteFeatures;

export function isByteFeatures(X: FeatureMatrix): X is ByteFeatures {
  return 'bytes' in X;
}

/**
 * Rows `indices` of X (in that order) as float64, written into `out`'s first indices.length rows.
 * A Matrix is copied as it is; bytes are converted (and scaled) row by row.
 */
export function gatherFeatureRows(
  X: FeatureMatrix,
  indices: ArrayLike<number>,
  out: Matrix,
): Matrix {
  if (!isByteFeatures(X)) return gatherRows(X, indices, out);
  const { cols, bytes, scale } = X;
  const o = out.data;
  if (!scale) {
    for (let r = 0; r < indices.length; r++) {
      const from = indices[r] * cols;
      o.set(bytes.subarray(from, from + cols), r * cols);
    }
    return out;
  }
  const { mean, std } = scale;
  for (let r = 0; r < indices.length; r++)
    for (let j = 0, k = indices[r] * cols, w = r * cols; j < cols; j++, k++, w++)
      o[w] = (bytes[k] - mean[j]) / std[j];
  return out;
}

/**
 * Rows [start, end) of X as a float64 matrix: a view sharing a Matrix's buffer (no copy), or the
 * bytes converted into `buffer` (reused when it has the right shape, else a new matrix).
 */
export function featureBlock(
  X: FeatureMatrix,
  start: number,
  end: number,
  buffer?: Matrix,
): Matrix {
  const rows = end - start;
  if (!isByteFeatures(X))
    return { rows, cols: X.cols, data: X.data.subarray(start * X.cols, end * X.cols) };
  const out =
    buffer && buffer.rows === rows && buffer.cols === X.cols ? buffer : zeros(rows, X.cols);
  const indices = new Uint32Array(rows);
  for (let r = 0; r < rows; r++) indices[r] = start + r;
  return gatherFeatureRows(X, indices, out);
}

/** All of X as a new float64 matrix (for small data and callers that need every value at once). */
export function featureMatrix(X: FeatureMatrix): Matrix {
  if (!isByteFeatures(X)) return X;
  return featureBlock(X, 0, X.rows, zeros(X.rows, X.cols));
}

/** Rows `indices` as new features of the same kind (bytes stay bytes, unscaled rows stay so). */
export function selectFeatureRows(X: FeatureMatrix, indices: ArrayLike<number>): FeatureMatrix {
  if (!isByteFeatures(X)) return gatherRows(X, indices, zeros(indices.length, X.cols));
  const { cols } = X;
  const bytes = new Uint8Array(indices.length * cols);
  for (let r = 0; r < indices.length; r++)
    bytes.set(X.bytes.subarray(indices[r] * cols, (indices[r] + 1) * cols), r * cols);
  return { rows: indices.length, cols, bytes, ...(X.scale ? { scale: X.scale } : {}) };
}

/** Rows [start, end) as features of the same kind, sharing X's buffer (no copy). */
export function featureRowRange(X: FeatureMatrix, start: number, end: number): FeatureMatrix {
  if (!isByteFeatures(X)) return featureBlock(X, start, end);
  return {
    rows: end - start,
    cols: X.cols,
    bytes: X.bytes.subarray(start * X.cols, end * X.cols),
    ...(X.scale ? { scale: X.scale } : {}),
  };
}

/** The raw (unscaled) value at row i, column j. */
export function rawFeature(X: FeatureMatrix, i: number, j: number): number {
  return isByteFeatures(X) ? X.bytes[i * X.cols + j] : X.data[i * X.cols + j];
}
