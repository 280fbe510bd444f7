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

/**
 * A copy of an optimizer's state (exportState/importState): its name, the steps taken t, and
 * each named slot (velocity, firstMoment, ...) as one Float64Array per parameter array, in the
 * order of the parameter arrays it was stepped with. Typed arrays only, so it can be transferred
 * between threads and stored by structured clone.
 */
export interface OptimizerState {
  name: OptimizerName;
  step: number;
  slots: OptimizerSlotState[];
}

export interface OptimizerSlotState {
  name: string;
  /** arrays[k] belongs to parameter array k. */
  arrays: Float64Array[];
}

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

  /** Copies of the state: t and every slot (none before the first step or after a reset). */
  exportState(): OptimizerState {
    const slots: OptimizerSlotState[] = [];
    for (const [name, arrays] of this.#slots)
      slots.push({ name, arrays: arrays.map((a) => a.slice()) });
    return { name: this.name, step: this.#t, slots };
  }

  /**
   * Take over a state exported before (copied in), for the parameter arrays `params` it will step.
   * The values go into this optimizer's own slots (slot(), so they live in the parameters'
   * WebAssembly arena where there is one). Returns false and changes nothing when it does not
   * fit: another optimizer, a step count that is not a whole number, a slot of another length or
   * count, a value that is not finite.
   */
  importState(state: OptimizerState, params: readonly Float64Array[]): boolean {
    if (!isOptimizerState(state) || state.name !== this.name) return false;
    for (const slot of state.slots) {
      if (slot.arrays.length !== params.length) return false;
      for (let k = 0; k < params.length; k++) {
        const a = slot.arrays[k];
        if (a.length !== params[k].length) return false;
        for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
      }
    }
    this.reset();
    for (const slot of state.slots) {
      const target = this.slot(slot.name, params as Float64Array[]);
      target.forEach((t, k) => t.set(slot.arrays[k]));
    }
    this.#t = state.step;
    return true;
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

/** Whether `value` has the shape of an OptimizerState (lengths and values are importState's). */
export function isOptimizerState(value: unknown): value is OptimizerState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<OptimizerState>;
  return (
    typeof v.name === 'string' &&
    typeof v.step === 'number' &&
    Number.isInteger(v.step) &&
    v.step >= 0 &&
    Array.isArray(v.slots) &&
    v.slots.every(
      (s: unknown) =>
        typeof s === 'object' &&
        s !== null &&
        typeof (s as OptimizerSlotState).name === 'string' &&
        Array.isArray((s as OptimizerSlotState).arrays) &&
        (s as OptimizerSlotState).arrays.every((a) => a instanceof Float64Array),
    )
  );
}
