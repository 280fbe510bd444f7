/**
 * What every optimizer is: it updates a list of parameter arrays from the matching gradient
 * arrays (g is the gradient of one mini-batch) and keeps its own state, which starts at zero.
 * Hyperparameters, the learning rate included, can change between steps with `configure`,
 * which keeps the accumulated state; `reset` clears the state.
 */
import type { OptimizerName, OptimizerSettings } from '../settings';

export type OptimizerHyperparameters = Required<OptimizerSettings>;

export interface Optimizer {
  readonly name: OptimizerName;
  step(params: Float64Array[], grads: Float64Array[]): void;
  reset(): void;
  /** New hyperparameters for the next steps; the state (velocities, averages, t) is kept. */
  configure(hyperparameters: OptimizerHyperparameters): void;
  /** The hyperparameters in use. */
  readonly hyperparameters: OptimizerHyperparameters;
}

/**
 * Per-parameter state buffers (zeros), one per parameter array. Reuses `slots` while the shapes
 * still match, so steps allocate nothing.
 */
export function stateSlots(slots: Float64Array[], params: Float64Array[]): Float64Array[] {
  const matches =
    slots.length === params.length && slots.every((s, i) => s.length === params[i].length);
  return matches ? slots : params.map((p) => new Float64Array(p.length));
}

export function checkSameShapes(params: Float64Array[], grads: Float64Array[]): void {
  if (params.length !== grads.length || params.some((p, i) => p.length !== grads[i].length))
    throw new Error(
      'The optimizer needs one gradient array of the same length per parameter array.',
    );
}
