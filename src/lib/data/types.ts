import type { FeatureMatrix } from '../engine/feature-rows';
import type { Matrix } from '../engine/matrix';

export type Task = 'classification' | 'regression';

/**
 * A table of numeric features with one target column, before splitting. `X` is float64 for every
 * CSV and generated dataset (Dataset<Matrix>), bytes for Fashion-MNIST.
 */
export interface Dataset<X extends FeatureMatrix = FeatureMatrix> {
  /** Built-in name ("iris", "xor", ...) or the uploaded file's name. */
  name: string;
  features: string[];
  target: string;
  task: Task;
  /** Class labels in the order used for one-hot columns (empty for regression). */
  classes: string[];
  /** n x features.length: float64, or bytes (Fashion-MNIST's pixels, 1 byte per value). */
  X: X;
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
export interface PreparedData<X extends FeatureMatrix = FeatureMatrix> {
  /** Byte features stay bytes here, standardized as each batch or chunk is read. */
  xTrain: X;
  yTrain: Matrix;
  xTest: X;
  yTest: Matrix;
  /** Absent when inputs are used as given. */
  standardize?: Standardization;
  task: Task;
  classes: string[];
  features: string[];
  target: string;
  dataset: string;
}
