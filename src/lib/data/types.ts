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
  /**
   * A fixed train/test split, as published with the data (Fashion-MNIST): the first `train` rows
   * are the training split, the rest the test split, and the test fraction does not apply.
   * Absent: prepareData draws a seeded random split (split.ts).
   */
  split?: FixedSplit;
  /** Set when each row is a grey-scale image, its features the pixels row by row (0-255). */
  image?: ImageShape;
}

export interface FixedSplit {
  /** Number of training rows: rows 0..train-1 train, the rest test. */
  train: number;
}

export interface ImageShape {
  width: number;
  height: number;
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
