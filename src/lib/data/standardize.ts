/**
 * Standardization: x' = (x - mean) / std per feature, with mean and std measured on the training
 * split only (so nothing about the test rows leaks into training), then applied to both splits.
 * std is the population standard deviation, sqrt(mean((x - mean)^2)), as in scikit-learn's
 * StandardScaler; a constant feature (std 0) gets std 1, so it becomes 0 instead of NaN.
 */
import { isFeatureRows, type FeatureMatrix, type FeatureScale } from '../engine/feature-rows';
import { zeros, type Matrix } from '../engine/matrix';
import type { Standardization } from './types';

/**
 * Mean and std of each column of X's raw (unscaled) values, over the rows `rowIndices` in that
 * order when given (the training split of a dataset), else over all rows.
 */
export function fitStandardization(
  X: FeatureMatrix,
  rowIndices?: ArrayLike<number>,
): Standardization {
  const { cols } = X;
  // Bytes are summed as the same float64 numbers a float64 copy would hold.
  const data: ArrayLike<number> = isFeatureRows(X) ? X.values : X.data;
  const stored = isFeatureRows(X) ? X.rowIndex : undefined;
  const rows = rowIndices ? rowIndices.length : X.rows;
  const rowAt = (r: number) => {
    const i = rowIndices ? rowIndices[r] : r;
    return stored ? stored[i] : i;
  };
  const mean = new Array<number>(cols).fill(0);
  const std = new Array<number>(cols).fill(1);
  if (rows === 0) return { mean, std };
  // Two passes row by row (memory order), summing in the same row order per column as a
  // column-by-column loop would, so the results are the same numbers.
  const sums = new Float64Array(cols);
  for (let r = 0; r < rows; r++)
    for (let j = 0, k = rowAt(r) * cols; j < cols; j++, k++) sums[j] += data[k];
  const means = sums.map((sum) => sum / rows);
  const squares = new Float64Array(cols);
  for (let r = 0; r < rows; r++)
    for (let j = 0, k = rowAt(r) * cols; j < cols; j++, k++)
      squares[j] += (data[k] - means[j]) ** 2;
  for (let j = 0; j < cols; j++) {
    const s = Math.sqrt(squares[j] / rows);
    mean[j] = means[j];
    std[j] = s > 0 ? s : 1;
  }
  return { mean, std };
}

function checkWidth(X: FeatureMatrix, s: Standardization): void {
  if (s.mean.length !== X.cols || s.std.length !== X.cols)
    throw new Error(
      `The standardization has ${s.mean.length} means and ${s.std.length} stds for ${X.cols} features.`,
    );
}

/** X = (X - mean) / std in place: the same expression as applyStandardization, no copy. */
export function standardizeInPlace(X: Matrix, s: Standardization): void {
  checkWidth(X, s);
  const { rows, cols, data } = X;
  const mean = Float64Array.from(s.mean);
  const std = Float64Array.from(s.std);
  for (let i = 0; i < rows; i++)
    for (let j = 0, k = i * cols; j < cols; j++, k++) data[k] = (data[k] - mean[j]) / std[j];
}

/** (X - mean) / std, as a new matrix. */
export function applyStandardization(X: Matrix, s: Standardization): Matrix {
  checkWidth(X, s);
  const { rows, cols } = X;
  const out = zeros(rows, cols);
  const mean = Float64Array.from(s.mean);
  const std = Float64Array.from(s.std);
  for (let i = 0; i < rows; i++)
    for (let j = 0, k = i * cols; j < cols; j++, k++) out.data[k] = (X.data[k] - mean[j]) / std[j];
  return out;
}

/** `s` as FeatureRows read it (engine/feature-rows.ts): the same numbers, as Float64Arrays. */
export function featureScale(X: FeatureMatrix, s: Standardization): FeatureScale {
  checkWidth(X, s);
  return { mean: Float64Array.from(s.mean), std: Float64Array.from(s.std) };
}

/**
 * X standardized with `s`: a new float64 matrix, or for stored rows the same rows (shared, not
 * copied) marked to be standardized as they are read (engine/feature-rows.ts).
 */
export function standardizeFeatures(X: FeatureMatrix, s: Standardization): FeatureMatrix {
  if (!isFeatureRows(X)) return applyStandardization(X, s);
  const { scale: _unscaled, ...rows } = X;
  return { ...rows, scale: featureScale(X, s) };
}
