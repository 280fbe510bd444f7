/**
 * How big a network may be: the editor, compile() and the model file reader share these limits,
 * so a file can never hold a network the page refuses (or one that would exhaust memory).
 */
import type { LayerSpec } from '../engine/spec';
import { MAX_WIDTH } from './node-kinds';

export { MAX_WIDTH };

/**
 * Most weights and biases a network may hold. Training keeps about five float64 copies of each
 * (weights, gradients, optimizer state), so 5 million is some 200 MB: past that the page freezes.
 */
export const MAX_WEIGHTS = 5_000_000;

/** Weights and biases of every dense layer: (inputSize + 1) x units each. */
export function weightCount(spec: Pick<LayerSpec, 'layers'>): number {
  let total = 0;
  for (const layer of spec.layers)
    if (layer.type === 'dense') total += (layer.inputSize + 1) * layer.units;
  return total;
}

/** 1234567 -> "1,234,567" (fixed locale, so messages and tests agree everywhere). */
export function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** The problem with a network of `count` weights and biases, or null when it is within the limit. */
export function weightLimitProblem(count: number): string | null {
  if (count <= MAX_WEIGHTS) return null;
  return `The network has ${groupDigits(count)} weights and biases; the limit is ${groupDigits(MAX_WEIGHTS)} (training keeps several copies of each in memory). Use fewer units.`;
}
