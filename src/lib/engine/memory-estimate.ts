/**
 * How much memory training a network needs, in numbers and in words: the one estimate the graph's
 * size check (graph/limits.ts) and the worker's build check (worker/size-estimate.ts) both use, so
 * the refusal a user reads says the same thing wherever it appears.
 */
import type { OptimizerName } from './settings';

/** Bytes of one number: every weight, gradient and optimizer state entry is a float64. */
export const BYTES_PER_NUMBER = 8;

/**
 * State arrays per weight each optimizer keeps (optimizers/*.ts): momentum and Nesterov a
 * velocity, Adagrad a sum of squares, RMSprop a mean of squares, Adam two moments.
 */
export const OPTIMIZER_STATE_ARRAYS: Record<OptimizerName, number> = {
  sgd: 0,
  momentum: 1,
  nesterov: 1,
  adagrad: 1,
  rmsprop: 1,
  adam: 2,
};

/** What the optimizers are called in messages. */
const OPTIMIZER_NAMES_IN_WORDS: Record<OptimizerName, string> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  nesterov: 'Nesterov',
  adagrad: 'Adagrad',
  rmsprop: 'RMSprop',
  adam: 'Adam',
};

/** Weights and biases of a dense layer with `inputs` inputs and `units` units. */
export function denseParameters(inputs: number, units: number): number {
  return (inputs + 1) * units;
}

/**
 * Bytes for `parameters` weights and biases while training with `optimizer`: the weights, their
 * gradients and the optimizer's state arrays, 8 bytes each:
 *   bytes = 8 · parameters · (2 + stateArrays(optimizer))
 */
export function trainingStateBytes(parameters: number, optimizer: OptimizerName): number {
  return BYTES_PER_NUMBER * parameters * (2 + OPTIMIZER_STATE_ARRAYS[optimizer]);
}

/** "5.5 GB", "152.6 MB", "12.0 KB": binary units, one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(Math.max(bytes, 0) / 1024).toFixed(1)} KB`;
}

/** "the weights, gradients and Adam's state" (SGD keeps none). */
export function trainingStateWords(optimizer: OptimizerName): string {
  return OPTIMIZER_STATE_ARRAYS[optimizer] === 0
    ? 'the weights and gradients (SGD keeps no state)'
    : `the weights, gradients and ${OPTIMIZER_NAMES_IN_WORDS[optimizer]}'s state`;
}

/** "12 × Dense 4096": the widest dense layers, counted when there are several. */
export function describeDenseWidths(units: readonly number[]): string {
  const widest = Math.max(0, ...units);
  const count = units.filter((u) => u === widest).length;
  return count > 1 ? `${count} × Dense ${widest}` : `Dense ${widest}`;
}
