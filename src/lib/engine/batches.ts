/**
 * The mini-batch sampler: the order the training rows are visited in (reshuffled from the seeded
 * generator at each epoch's first batch), where the current epoch stands, and the batch buffers.
 *
 * An epoch visits every row once, in batches of the batch size; its last batch takes the rows
 * left over and may be shorter. The shuffle is drawn when an epoch's first batch is taken, so the
 * random numbers are used in the same order whatever the batch size: the same seed and data give
 * the same batches, hence bit-identical weights.
 *
 * The features may be bytes (Fashion-MNIST's pixels): only the rows of the batch taken are
 * converted (and standardized) into the float64 batch matrix (feature-rows.ts).
 */
import { gatherFeatureRows, type FeatureMatrix } from './feature-rows';
import { gatherRows, zeros, type Matrix } from './matrix';
import type { Rng } from './rng';

export interface Batch {
  X: Matrix;
  Y: Matrix;
  /** Whether this batch is the last of its epoch. */
  endsEpoch: boolean;
}

export class BatchSampler {
  readonly #X: FeatureMatrix;
  readonly #Y: Matrix;
  /** The order rows are visited in this epoch. */
  readonly #order: Uint32Array;
  /** Rows of the current epoch already taken; the epoch ends when it reaches the row count. */
  #position = 0;
  #batchInEpoch = 0;
  #shuffled = false;
  /** Batch buffers per batch size (the full size and the short last batch). */
  readonly #buffers = new Map<number, { X: Matrix; Y: Matrix }>();
  #last: { X: Matrix; Y: Matrix } | null = null;

  constructor(X: FeatureMatrix, Y: Matrix) {
    this.#X = X;
    this.#Y = Y;
    this.#order = new Uint32Array(X.rows);
    this.restart();
  }

  /** Rows per epoch. */
  get rows(): number {
    return this.#order.length;
  }

  /** Batches taken in the current epoch. */
  get batchInEpoch(): number {
    return this.#batchInEpoch;
  }

  /** The batches of the current epoch at this batch size: those taken and those left. */
  batchesPerEpoch(batchSize: number): number {
    return this.#batchInEpoch + Math.ceil((this.rows - this.#position) / batchSize);
  }

  /** The last batch taken (the sampler's own buffers), or null before the first. */
  get last(): { X: Matrix; Y: Matrix } | null {
    return this.#last;
  }

  /** Back to the rows in their stored order at the start of a first epoch. */
  restart(): void {
    for (let i = 0; i < this.#order.length; i++) this.#order[i] = i;
    this.#position = 0;
    this.#batchInEpoch = 0;
    this.#shuffled = false;
    this.#last = null;
  }

  /**
   * The next batch (at most `batchSize` rows), copied into a buffer that the next batch of the
   * same size overwrites. Shuffles the order first when it starts an epoch and `shuffle` is set.
   */
  next(batchSize: number, shuffle: boolean, rng: Rng): Batch {
    if (!this.#shuffled) {
      if (shuffle) rng.shuffle(this.#order);
      this.#shuffled = true;
    }
    const size = Math.min(batchSize, this.rows - this.#position);
    const buffers = this.#buffer(size);
    const rows = this.#order.subarray(this.#position, this.#position + size);
    gatherFeatureRows(this.#X, rows, buffers.X);
    gatherRows(this.#Y, rows, buffers.Y);
    this.#last = buffers;
    this.#position += size;
    this.#batchInEpoch += 1;
    return { X: buffers.X, Y: buffers.Y, endsEpoch: this.#position >= this.rows };
  }

  /** After an epoch's last batch: the next batch starts a new epoch (and a new shuffle). */
  startNextEpoch(): void {
    this.#position = 0;
    this.#batchInEpoch = 0;
    this.#shuffled = false;
  }

  /** Back to the first batch of the current epoch, in the same order (a replay). */
  rewindEpoch(): void {
    this.#position = 0;
    this.#batchInEpoch = 0;
  }

  #buffer(size: number): { X: Matrix; Y: Matrix } {
    let buffers = this.#buffers.get(size);
    if (!buffers) {
      buffers = { X: zeros(size, this.#X.cols), Y: zeros(size, this.#Y.cols) };
      this.#buffers.set(size, buffers);
    }
    return buffers;
  }
}
