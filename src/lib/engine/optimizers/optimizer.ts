/**
 * What every optimizer is (tinygrad's optim.py is the model): it updates a list of parameter
 * arrays from the matching gradient arrays (g is the gradient of one mini-batch) and keeps its
 * own state, which starts at zero. This base owns the name, the hyperparameters, `configure`,
 * `reset`, the step count t and the state slots, so each optimizer writes only its update rule.
 * Hyperparameters come checked (settings.ts checkedSettings) with defaults filled in.
 */
import type { OptimizerName, OptimizerSettings } from '../settings';
import { arenaOf } from '../kernels/wasm-arena';

export type OptimizerHyperparameters = Required<OptimizerSettings>;

export abstract class Optimizer {
  abstract readonly name: OptimizerName;
  #hyperparameters: OptimizerHyperparameters;
  /** Per-parameter state arrays (velocities, averages), one list per named slot. */
  #slots = new Map<string, Float64Array[]>();
  /** Steps taken since the last reset; the step being taken is t = 1, 2, ... */
  #t = 0;

  constructor(hyperparameters: OptimizerHyperparameters) {
    this.#hyperparameters = hyperparameters;
  }

  /** The hyperparameters in use. */
  get hyperparameters(): OptimizerHyperparameters {
    return this.#hyperparameters;
  }

  /** New hyperparameters for the next steps; the state (velocities, averages, t) is kept. */
  configure(hyperparameters: OptimizerHyperparameters): void {
    this.#hyperparameters = hyperparameters;
  }

  /** Clear the state: the next step starts from zeros at t = 1. */
  reset(): void {
    for (const slots of this.#slots.values()) releaseAll(slots);
    this.#slots.clear();
    this.#t = 0;
  }

  /** One update of every parameter array from its gradient array (same order, same lengths). */
  step(params: Float64Array[], grads: Float64Array[]): void {
    if (params.length !== grads.length || params.some((p, i) => p.length !== grads[i].length))
      throw new Error(
        'The optimizer needs one gradient array of the same length per parameter array.',
      );
    this.#t += 1;
    this.update(params, grads, this.#hyperparameters, this.#t);
  }

  /** The update rule: w -= ... for every entry, reading and writing the state slots. */
  protected abstract update(
    params: Float64Array[],
    grads: Float64Array[],
    h: OptimizerHyperparameters,
    t: number,
  ): void;

  /**
   * The state slot `name`: one zero-filled array per parameter array, kept between steps while
   * the shapes still match, so steps allocate nothing. A parameter array in a WebAssembly arena
   * (kernels/wasm-arena.ts) gets its state there while the arena has room, so an update can run
   * in the module; reset() gives that room back.
   */
  protected slot(name: string, params: Float64Array[]): Float64Array[] {
    const slots = this.#slots.get(name);
    if (
      slots &&
      slots.length === params.length &&
      slots.every((s, i) => s.length === params[i].length)
    )
      return slots;
    if (slots) releaseAll(slots);
    const fresh = params.map((p) => arenaOf(p)?.borrow(p.length) ?? new Float64Array(p.length));
    this.#slots.set(name, fresh);
    return fresh;
  }
}

/** Give state arrays borrowed from an arena back to it (plain arrays are left to the GC). */
function releaseAll(slots: Float64Array[]): void {
  for (const s of slots) arenaOf(s)?.release(s);
}
