/** Types the engine shares with the worker, the command line and the model file. */
import type { Matrix } from './matrix';

/** Parameters of one dense layer: W is inputSize x units, b has units entries. */
export interface DenseParams {
  id: string;
  W: Matrix;
  b: Float64Array;
}

/** Gradients of the loss w.r.t. one dense layer's parameters (same shapes as DenseParams). */
export interface DenseGrads {
  id: string;
  dW: Matrix;
  db: Float64Array;
}

/** Weights as plain JSON, keyed by dense layer id (the `weights` block of the model file). */
export type WeightsJson = Record<string, { W: number[][]; b: number[] }>;

/** Metrics of one evaluation. Accuracy for classification, R² for regression. */
export interface Metrics {
  trainLoss: number;
  testLoss: number;
  trainAccuracy?: number;
  testAccuracy?: number;
  trainR2?: number;
  testR2?: number;
}

/** Per-epoch history (the `training.history` block of the model file). */
export interface History {
  epoch: number[];
  trainLoss: number[];
  testLoss: number[];
  trainAccuracy: number[];
  testAccuracy: number[];
  trainR2: number[];
  testR2: number[];
}

export function emptyHistory(): History {
  return {
    epoch: [],
    trainLoss: [],
    testLoss: [],
    trainAccuracy: [],
    testAccuracy: [],
    trainR2: [],
    testR2: [],
  };
}
