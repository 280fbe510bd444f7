/** Training settings: the `training` block of the model file (DESIGN.md §4), defaults in one place. */

export const OPTIMIZER_NAMES = [
  'sgd',
  'momentum',
  'nesterov',
  'adagrad',
  'rmsprop',
  'adam',
] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizerSettings {
  name: OptimizerName;
  learningRate: number;
  /** momentum, nesterov (default 0.9) */
  momentum?: number;
  /** rmsprop (default 0.9) */
  rho?: number;
  /** adam (defaults 0.9, 0.999) */
  beta1?: number;
  beta2?: number;
  /** adagrad, rmsprop, adam (default 1e-8) */
  epsilon?: number;
}

export interface TrainingSettings {
  optimizer: OptimizerSettings;
  batchSize: number;
  epochs: number;
  seed: number;
  testFraction: number;
  l2: number;
  l1: number;
  /** Shuffle the training rows each epoch (default true). */
  shuffle: boolean;
  /** Standardize features, fitted on the training split (default true). */
  standardize: boolean;
}

export const OPTIMIZER_DEFAULTS = {
  momentum: 0.9,
  rho: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
} as const;

export const DEFAULT_TRAINING: TrainingSettings = {
  optimizer: { name: 'momentum', learningRate: 0.01, momentum: 0.9 },
  batchSize: 32,
  epochs: 200,
  seed: 42,
  testFraction: 0.2,
  l2: 0,
  l1: 0,
  shuffle: true,
  standardize: true,
};

/** Optimizer settings with every default filled in. */
export function withOptimizerDefaults(o: OptimizerSettings): Required<OptimizerSettings> {
  return {
    name: o.name,
    learningRate: o.learningRate,
    momentum: o.momentum ?? OPTIMIZER_DEFAULTS.momentum,
    rho: o.rho ?? OPTIMIZER_DEFAULTS.rho,
    beta1: o.beta1 ?? OPTIMIZER_DEFAULTS.beta1,
    beta2: o.beta2 ?? OPTIMIZER_DEFAULTS.beta2,
    epsilon: o.epsilon ?? OPTIMIZER_DEFAULTS.epsilon,
  };
}
