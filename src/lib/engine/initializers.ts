/**
 * Weight initializers (DESIGN.md §2). W is in x out; draws go row by row, then b, all from the
 * one seeded Rng, so the same seed gives the same weights.
 *   xavier  Glorot uniform: W ~ U(-l, l), l = sqrt(6 / (in + out))
 *   he      W ~ N(0, 2 / in)  (std sqrt(2 / in)), suited to the relu family
 *   normal  W ~ N(0, 1);  uniform  W ~ U[0, 1)   (these two draw b the same way)
 *   zeros   W = 0
 * Biases start at 0 except for normal/uniform. `auto` is he before relu/leaky_relu/elu, else xavier.
 */
import type { DenseParams } from './types';
import type { Rng } from './rng';
import { isReluFamily, type ActivationName, type InitName } from './spec';

export type ConcreteInitName = Exclude<InitName, 'auto'>;

/** What `init` means for a dense layer followed by `nextActivation` (undefined if none). */
export function resolveInit(
  init: InitName,
  nextActivation: ActivationName | undefined,
): ConcreteInitName {
  if (init !== 'auto') return init;
  return nextActivation !== undefined && isReluFamily(nextActivation) ? 'he' : 'xavier';
}

/** Overwrite `params` (W and b) with fresh values drawn by `init`. */
export function initializeDense(
  params: DenseParams,
  init: InitName,
  nextActivation: ActivationName | undefined,
  rng: Rng,
): void {
  const w = params.W.data,
    b = params.b;
  const fanIn = params.W.rows,
    fanOut = params.W.cols;
  switch (resolveInit(init, nextActivation)) {
    case 'xavier': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < w.length; i++) w[i] = (2 * rng.next() - 1) * limit;
      b.fill(0);
      return;
    }
    case 'he': {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < w.length; i++) w[i] = std * rng.normal();
      b.fill(0);
      return;
    }
    case 'normal':
      for (let i = 0; i < w.length; i++) w[i] = rng.normal();
      for (let j = 0; j < b.length; j++) b[j] = rng.normal();
      return;
    case 'uniform':
      for (let i = 0; i < w.length; i++) w[i] = rng.next();
      for (let j = 0; j < b.length; j++) b[j] = rng.next();
      return;
    case 'zeros':
      w.fill(0);
      b.fill(0);
      return;
  }
}
