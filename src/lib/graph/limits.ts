/**
 * How big a network may be: the editor, compile() and the model file reader share these limits,
 * so a file can never hold a network the page refuses (or one that would exhaust memory).
 */
import {
  denseParameters,
  describeDenseWidths,
  formatBytes,
  trainingStateBytes,
  trainingStateWords,
} from '../engine/memory-estimate';
import type { OptimizerName } from '../engine/settings';
import type { LayerSpec } from '../engine/spec';
import { MAX_WIDTH } from './node-kinds';

export { MAX_WIDTH };

/**
 * Most weights and biases a network may hold. Training keeps several float64 copies of each
 * (weights, gradients, optimizer state, checkpoints): with Adam 5 million need ~152.6 MB for the
 * weights, gradients and moments alone, and the checkpoints about as much again; past that steps
 * and backups stall the page. 64-2000-2000-10 (4.15 million) is the largest network we promise.
 */
export const MAX_WEIGHTS = 5_000_000;

/** Weights and biases of every dense layer: (inputSize + 1) x units each. */
export function weightCount(spec: Pick<LayerSpec, 'layers'>): number {
  let total = 0;
  for (const layer of spec.layers)
    if (layer.type === 'dense') total += denseParameters(layer.inputSize, layer.units);
  return total;
}

/** 1234567 -> "1,234,567" (fixed locale, so messages and tests agree everywhere). */
export function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The problem with a network of `count` weights and biases, or null when it is within the limit:
 * the memory it needs (memory-estimate.ts) for `optimizer` (default Adam, the one with the most
 * state) against what the limit means in memory, in words. `denseUnits` (the dense layers'
 * widths) name the network ("12 × Dense 4096") when given.
 */
export function weightLimitProblem(
  count: number,
  optimizer: OptimizerName = 'adam',
  denseUnits?: readonly number[],
): string | null {
  if (count <= MAX_WEIGHTS) return null;
  const network = denseUnits?.length
    ? `This network (${describeDenseWidths(denseUnits)})`
    : 'This network';
  return (
    `${network} needs ~${formatBytes(trainingStateBytes(count, optimizer))} for ` +
    `${trainingStateWords(optimizer)} of its ${groupDigits(count)} weights and biases; ` +
    `the limit here is ~${formatBytes(trainingStateBytes(MAX_WEIGHTS, optimizer))} ` +
    `(${groupDigits(MAX_WEIGHTS)} weights and biases), so that training does not stall the page. ` +
    `Use fewer or narrower Dense layers.`
  );
}
