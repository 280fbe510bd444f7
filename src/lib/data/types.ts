import type { Matrix } from '../engine/matrix';

export type Task = 'classification' | 'regression';

/** A table of numeric features with one target column, before splitting. */
export interface Dataset {
  /** Built-in name ("iris", "xor", ...) or the uploaded file's name. */
  name: string;
  features: string[];
  target: string;
  task: Task;
  /** Class labels in the order used for one-hot columns (empty for regression). */
  classes: string[];
  /** n x features.length */
  X: Matrix;
  /** n entries: the class index (classification) or the value (regression). */
  y: Float64Array;
}

export interface Standardization {
  mean: number[];
  std: number[];
}

/** What the trainer consumes: split, standardized, targets encoded for the chosen loss. */
export interface PreparedData {
  xTrain: Matrix;
  yTrain: Matrix;
  xTest: Matrix;
  yTest: Matrix;
  /** Absent when inputs are used as given. */
  standardize?: Standardization;
  task: Task;
  classes: string[];
  features: string[];
  target: string;
  dataset: string;
}
