/**
 * Standardization: x' = (x - mean) / std per feature, with mean and std measured on the training
 * split only (so nothing about the test rows leaks into training), then applied to both splits.
 * std is the population standard deviation, sqrt(mean((x - mean)^2)), as in scikit-learn's
 * StandardScaler; a constant feature (std 0) gets std 1, so it becomes 0 instead of NaN.
 */
import { zeros, type Matrix } from '../engine/matrix';
import type { Standardization } from './types';

/** Mean and std of each column of X (the training features). */
export function fitStandardization(X: Matrix): Standardization {
  const { rows, cols, data } = X;
  const mean = new Array<number>(cols).fill(0);
  const std = new Array<number>(cols).fill(1);
  if (rows === 0) return { mean, std };
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += data[i * cols + j];
    const m = sum / rows;
    let squares = 0;
    for (let i = 0; i < rows; i++) squares += (data[i * cols + j] - m) ** 2;
    const s = Math.sqrt(squares / rows);
    mean[j] = m;
    std[j] = s > 0 ? s : 1;
  }
  return { mean, std };
}

/** (X - mean) / std, as a new matrix. */
export function applyStandardization(X: Matrix, s: Standardization): Matrix {
  if (s.mean.length !== X.cols || s.std.length !== X.cols)
    throw new Error(
      `The standardization has ${s.mean.length} means and ${s.std.length} stds for ${X.cols} features.`,
    );
  const out = zeros(X.rows, X.cols);
  for (let i = 0; i < X.rows; i++)
    for (let j = 0; j < X.cols; j++) {
      const k = i * X.cols + j;
      out.data[k] = (X.data[k] - s.mean[j]) / s.std[j];
    }
  return out;
}
