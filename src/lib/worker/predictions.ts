/**
 * What the charts show of a trained network, computed in the worker: class probabilities on a
 * grid over two features (decision boundary), the fitted curve of a 1-D regression, and the
 * confusion matrix of a split. Coordinates are the dataset's raw units; inputs are standardized
 * here exactly as for training before the network sees them.
 */
import { zeros, type Matrix } from '../engine/matrix';
import { predictInChunks, rowClass } from '../engine/metrics';
import type { FeatureMatrix } from '../engine/feature-rows';
import { applyStandardization } from '../data/standardize';
import type { Standardization } from '../data/types';
import type { ConfusionMatrixData, CurveFitData, DecisionGridData, XYPointData } from './api';

export type Predict = (X: Matrix) => Matrix;

/** Grid margin beyond the data on each side, as a share of the data's range. */
export const GRID_MARGIN = 0.05;

/** n evenly spaced values from lo to hi (both included). */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (n === 1) return [(lo + hi) / 2];
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** [min, max] of column j of X (widened to a span of 1 around a constant column). */
export function columnRange(X: Matrix, j: number): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < X.rows; i++) {
    const v = X.data[i * X.cols + j];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return Number.isFinite(lo) ? [lo - 0.5, lo + 0.5] : [-1, 1];
  return [lo, hi];
}

function standardized(X: Matrix, s: Standardization | null): Matrix {
  return s ? applyStandardization(X, s) : X;
}

/**
 * Network outputs as class probabilities per row: a softmax row as is; one sigmoid output p as
 * [1 - p, p]; any other output (e.g. identity + mse) clamped at 0 and scaled to sum 1 (uniform
 * where every score is ≤ 0), so the chart can always read them as probabilities.
 */
export function outputProbabilities(P: Matrix, out: Float32Array): void {
  const k = probabilityColumns(P);
  for (let i = 0; i < P.rows; i++) {
    const base = i * k;
    if (P.cols === 1) {
      const p = Math.min(1, Math.max(0, P.data[i]));
      out[base] = 1 - p;
      out[base + 1] = p;
      continue;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.max(0, P.data[i * k + c]);
    for (let c = 0; c < k; c++)
      out[base + c] = sum > 0 ? Math.max(0, P.data[i * k + c]) / sum : 1 / k;
  }
}

/** Classes per row of outputProbabilities: one sigmoid output p gives two, [1 - p, p]. */
function probabilityColumns(P: Matrix): number {
  return P.cols === 1 ? 2 : P.cols;
}

/** Class probabilities on resolution x resolution cell centres over the data (with a margin). */
export function decisionGrid(
  predict: Predict,
  rawX: Matrix,
  standardization: Standardization | null,
  resolution: number,
): DecisionGridData {
  const axes = [0, 1].map((j) => {
    const [lo, hi] = columnRange(rawX, j);
    const margin = (hi - lo) * GRID_MARGIN;
    return linspace(lo - margin, hi + margin, resolution);
  });
  const [xs, ys] = axes;
  const n = xs.length * ys.length;
  const points = zeros(n, 2);
  for (let j = 0; j < ys.length; j++)
    for (let i = 0; i < xs.length; i++) {
      const row = j * xs.length + i;
      points.data[2 * row] = xs[i];
      points.data[2 * row + 1] = ys[j];
    }
  const P = predict(standardized(points, standardization));
  const classCount = probabilityColumns(P);
  const probabilities = new Float32Array(n * classCount);
  outputProbabilities(P, probabilities);
  return { xs, ys, classCount, probabilities };
}

/** The data as (x, y) points and the prediction at `samples` evenly spaced x over its range. */
export function curveFit(
  predict: Predict,
  rawX: Matrix,
  rawY: Float64Array,
  standardization: Standardization | null,
  samples: number,
): CurveFitData {
  const points: XYPointData[] = [];
  for (let i = 0; i < rawX.rows; i++) points.push({ x: rawX.data[i * rawX.cols], y: rawY[i] });
  const [lo, hi] = columnRange(rawX, 0);
  const xs = linspace(lo, hi, samples);
  const X = zeros(xs.length, 1);
  X.data.set(xs);
  const P = predict(standardized(X, standardization));
  const curve = xs.map((x, i) => ({ x, y: P.data[i * P.cols] }));
  return { points, curve };
}

/** counts[true][predicted] of the prediction P against the targets T (same encoding). */
export function confusionCounts(P: Matrix, T: Matrix, classCount: number): number[][] {
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let i = 0; i < T.rows; i++) matrix[rowClass(T, i)][rowClass(P, i)] += 1;
  return matrix;
}

export function confusionMatrix(
  predict: Predict,
  split: { X: FeatureMatrix; Y: Matrix; name: 'test' | 'train' },
  classes: string[],
): ConfusionMatrixData {
  const P = predictInChunks(predict, split.X, split.Y.cols);
  return {
    matrix: confusionCounts(P, split.Y, classes.length),
    classes: [...classes],
    split: split.name,
  };
}
