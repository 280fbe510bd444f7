/**
 * A typed-array copy of a network's parameters, taken at one epoch: what the best checkpoint and
 * the divergence fallback keep. Taking one copies numbers into buffers allocated once, so an
 * improving epoch costs a memcpy; the plain-JSON form is built only when someone asks for it.
 */
import type { Network } from './network';
import type { WeightsJson } from './types';

export class WeightsSnapshot {
  /** Same layout as network.parameterArrays: [W_0, b_0, W_1, b_1, ...]. */
  readonly #arrays: Float64Array[];
  #taken = false;
  #epoch = 0;
  #score = NaN;

  constructor(net: Network) {
    this.#arrays = net.parameterArrays.map((a) => new Float64Array(a.length));
  }

  /** Whether a copy has been taken since the last clear. */
  get taken(): boolean {
    return this.#taken;
  }
  /** The epoch the copy was taken at (0: before any epoch). */
  get epoch(): number {
    return this.#epoch;
  }
  /** The loss the copy was kept for (what the owner compares). */
  get score(): number {
    return this.#score;
  }

  take(net: Network, epoch: number, score: number): void {
    net.parameterArrays.forEach((a, k) => this.#arrays[k].set(a));
    this.#taken = true;
    this.#epoch = epoch;
    this.#score = score;
  }

  clear(): void {
    this.#taken = false;
  }

  /** Write the copy back into the network's parameters. */
  restore(net: Network): void {
    net.parameterArrays.forEach((a, k) => a.set(this.#arrays[k]));
  }

  /** The copy as plain JSON keyed by dense layer id (the shape getWeights returns). */
  toJson(net: Network): WeightsJson {
    const out: WeightsJson = {};
    net.params.forEach((p, k) => {
      const W = this.#arrays[2 * k],
        cols = p.W.cols;
      const rows: number[][] = [];
      for (let i = 0; i < p.W.rows; i++)
        rows.push(Array.from(W.subarray(i * cols, (i + 1) * cols)));
      // defineProperty: an id such as "__proto__" stays an ordinary key.
      Object.defineProperty(out, p.id, {
        value: { W: rows, b: Array.from(this.#arrays[2 * k + 1]) },
        enumerable: true,
        writable: true,
        configurable: true,
      });
    });
    return out;
  }
}
