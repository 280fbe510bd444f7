/**
 * How good a prediction P is against targets T (both n x K):
 *   loss      the network's loss (data only, no weight penalty)
 *   accuracy  share of rows whose predicted class is right: argmax of the row with several
 *             outputs (softmax), p >= 0.5 with a single output (sigmoid)
 *   R²        1 - Σ (T - P)² / Σ (T - mean_col(T))², over all output columns
 */
import { featureBlock, type FeatureMatrix } from './feature-rows';
import { dataLoss, forward, type Network } from './network';
import { zeros, type Matrix } from './matrix';

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

/**
 * Rows evaluated per forward pass: a split of up to this many rows is one pass (the same numbers
 * as ever); a larger one goes chunk by chunk, so a 60,000-row split never needs activations (or,
 * for byte features, float64 inputs) for all its rows at once. Equal to the evaluation sample's
 * size, so the chunks reuse the sample's workspace in the network.
 */
export const EVALUATION_CHUNK_ROWS = 2000;

/** Loss plus accuracy (classification) or R² (regression) of the network on one split. */
export function evaluateSplit(
  net: Network,
  X: FeatureMatrix,
  Y: Matrix,
  task: Task,
  chunkRows: number = EVALUATION_CHUNK_ROWS,
): SplitMetrics {
  if (X.rows === 0)
    return task === 'classification' ? { loss: NaN, accuracy: NaN } : { loss: NaN, r2: NaN };
  if (X.rows <= chunkRows) return evaluateMatrix(net, featureBlock(X, 0, X.rows), Y, task);
  // Loss: the row-weighted mean of the chunks' mean losses; accuracy: correct rows counted;
  // R²: from every prediction (n × outputs, small) kept until the end.
  let lossSum = 0;
  let correct = 0;
  const P = task === 'regression' ? zeros(Y.rows, Y.cols) : null;
  let buffer: Matrix | undefined;
  for (let start = 0; start < X.rows; start += chunkRows) {
    const end = Math.min(X.rows, start + chunkRows);
    buffer = featureBlock(X, start, end, buffer);
    const Yc = {
      rows: end - start,
      cols: Y.cols,
      data: Y.data.subarray(start * Y.cols, end * Y.cols),
    };
    const cache = forward(net, buffer);
    lossSum += dataLoss(net, cache, Yc) * (end - start);
    if (P) P.data.set(cache.output.data, start * Y.cols);
    else
      for (let i = 0; i < Yc.rows; i++)
        if (rowClass(cache.output, i) === rowClass(Yc, i)) correct++;
  }
  const loss = lossSum / X.rows;
  return P ? { loss, r2: rSquared(P, Y) } : { loss, accuracy: correct / X.rows };
}

function evaluateMatrix(net: Network, X: Matrix, Y: Matrix, task: Task): SplitMetrics {
  const cache = forward(net, X);
  const P = cache.output;
  const loss = dataLoss(net, cache, Y);
  return task === 'classification'
    ? { loss, accuracy: accuracy(P, Y) }
    : { loss, r2: rSquared(P, Y) };
}

/**
 * `predict` applied to every row of X, chunk by chunk (a byte split is never converted whole):
 * the predictions as one new matrix, n × outputs.
 */
export function predictInChunks(
  predict: (X: Matrix) => Matrix,
  X: FeatureMatrix,
  outputs: number,
  chunkRows: number = EVALUATION_CHUNK_ROWS,
): Matrix {
  const P = zeros(X.rows, outputs);
  let buffer: Matrix | undefined;
  for (let start = 0; start < X.rows; start += chunkRows) {
    const end = Math.min(X.rows, start + chunkRows);
    buffer = featureBlock(X, start, end, buffer);
    P.data.set(predict(buffer).data, start * outputs);
  }
  return P;
}
