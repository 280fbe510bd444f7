/**
 * The data a trainer trains on (both splits, already encoded and standardized) and the check that
 * it fits the network: column counts, matching row counts, every value a finite number.
 */
import { isFeatureRows, type FeatureMatrix, type FeatureRows } from './feature-rows';
import type { Matrix } from './matrix';
import type { Task } from './metrics';
import { outputSize, type LayerSpec } from './spec';

export interface TrainingData {
  xTrain: FeatureMatrix;
  yTrain: Matrix;
  xTest: FeatureMatrix;
  yTest: Matrix;
  task: Task;
}

/**
 * Every value of X as the engine will read it must be finite. Float64 rows are checked as read,
 * (x - mean) / std, so the check (and its message) is the one a standardized copy would get.
 * Bytes are finite, so for them the scale is checked: a std of 0 or NaN would make a column NaN.
 */
function checkFiniteFeatures(X: FeatureMatrix, what: string): void {
  if (!isFeatureRows(X)) return checkFinite(X, what);
  if (X.values instanceof Float64Array) return checkFiniteRows(X, X.values, what);
  const scale = X.scale;
  if (!scale) return;
  for (let j = 0; j < X.cols; j++)
    if (!(Number.isFinite(scale.mean[j]) && Number.isFinite(scale.std[j]) && scale.std[j] > 0))
      throw new Error(
        `The ${what} has a standardization with mean ${scale.mean[j]} and std ${scale.std[j]} in column ${j + 1}.`,
      );
}

function nonFinite(what: string, row: number, col: number): Error {
  return new Error(
    `The ${what} has a missing or non-numeric value at row ${row + 1}, column ${col + 1}.`,
  );
}

function checkFinite(m: Matrix, what: string): void {
  const d = m.data;
  for (let i = 0; i < m.rows * m.cols; i++)
    if (!Number.isFinite(d[i])) throw nonFinite(what, Math.floor(i / m.cols), i % m.cols);
}

function checkFiniteRows(X: FeatureRows, values: Float64Array, what: string): void {
  const { rows, cols, rowIndex } = X;
  const mean = X.scale?.mean ?? new Float64Array(cols);
  const std = X.scale?.std ?? new Float64Array(cols).fill(1);
  for (let r = 0; r < rows; r++) {
    const start = (rowIndex ? rowIndex[r] : r) * cols;
    for (let j = 0; j < cols; j++)
      if (!Number.isFinite((values[start + j] - mean[j]) / std[j])) throw nonFinite(what, r, j);
  }
}

/** Throw a clear error when the data does not fit the network or holds a non-finite value. */
export function checkTrainingData(spec: LayerSpec, data: TrainingData): void {
  const inputs = spec.input.size,
    outputs = outputSize(spec);
  const { xTrain, yTrain, xTest, yTest } = data;
  if (xTrain.rows === 0) throw new Error('The training split has no rows.');
  for (const [X, Y, split] of [
    [xTrain, yTrain, 'training'],
    [xTest, yTest, 'test'],
  ] as const) {
    if (X.cols !== inputs)
      throw new Error(
        `The ${split} data has ${X.cols} feature columns but the network's input takes ${inputs}.`,
      );
    if (Y.cols !== outputs)
      throw new Error(
        `The ${split} targets have ${Y.cols} columns but the network outputs ${outputs}.`,
      );
    if (X.rows !== Y.rows)
      throw new Error(`The ${split} split has ${X.rows} feature rows but ${Y.rows} target rows.`);
    checkFiniteFeatures(X, `${split} data`);
    checkFinite(Y, `${split} targets`);
  }
}
