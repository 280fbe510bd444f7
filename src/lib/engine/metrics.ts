/**
 * How good a prediction P is against targets T (both n x K):
 *   loss      the network's loss (data only, no weight penalty)
 *   accuracy  share of rows whose predicted class is right: argmax of the row with several
 *             outputs (softmax), p >= 0.5 with a single output (sigmoid)
 *   R²        1 - Σ (T - P)² / Σ (T - mean_col(T))², over all output columns
 */
import { dataLoss, forward, type Network } from './network';
import type { Matrix } from './matrix';

export type Task = 'classification' | 'regression';

/** The class a row of P (or T) stands for. */
export function rowClass(M: Matrix, row: number): number {
  const m = M.data,
    cols = M.cols,
    start = row * cols;
  if (cols === 1) return m[start] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let k = 1; k < cols; k++) if (m[start + k] > m[start + best]) best = k;
  return best;
}

export function accuracy(P: Matrix, T: Matrix): number {
  if (P.rows === 0) return NaN;
  let correct = 0;
  for (let i = 0; i < P.rows; i++) if (rowClass(P, i) === rowClass(T, i)) correct++;
  return correct / P.rows;
}

/** Coefficient of determination; 1 is perfect, 0 is as good as predicting each column's mean. */
export function rSquared(P: Matrix, T: Matrix): number {
  const n = T.rows,
    cols = T.cols,
    p = P.data,
    t = T.data;
  if (n === 0) return NaN;
  let residual = 0,
    total = 0;
  for (let k = 0; k < cols; k++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += t[i * cols + k];
    mean /= n;
    for (let i = 0; i < n; i++) {
      const idx = i * cols + k;
      residual += (t[idx] - p[idx]) ** 2;
      total += (t[idx] - mean) ** 2;
    }
  }
  // Constant targets: perfect if matched exactly, otherwise no better than the mean.
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

export interface SplitMetrics {
  loss: number;
  accuracy?: number;
  r2?: number;
}

/** Loss plus accuracy (classification) or R² (regression) of the network on one split. */
export function evaluateSplit(net: Network, X: Matrix, Y: Matrix, task: Task): SplitMetrics {
  if (X.rows === 0)
    return task === 'classification' ? { loss: NaN, accuracy: NaN } : { loss: NaN, r2: NaN };
  const cache = forward(net, X);
  const P = cache.output;
  const loss = dataLoss(net, cache, Y);
  return task === 'classification'
    ? { loss, accuracy: accuracy(P, Y) }
    : { loss, r2: rSquared(P, Y) };
}
