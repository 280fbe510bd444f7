import { describe, expect, it } from 'vitest';
import { BatchSampler } from '../../../src/lib/engine/batches';
import { zeros, type Matrix } from '../../../src/lib/engine/matrix';
import { createRng } from '../../../src/lib/engine/rng';

/** Row i of X holds i (and -i); of Y, 10 i: a batch shows which rows it took. */
function numbered(rows: number): { X: Matrix; Y: Matrix } {
  const X = zeros(rows, 2),
    Y = zeros(rows, 1);
  for (let i = 0; i < rows; i++) {
    X.data[2 * i] = i;
    X.data[2 * i + 1] = -i;
    Y.data[i] = 10 * i;
  }
  return { X, Y };
}

const rowsOf = (X: Matrix): number[] => Array.from({ length: X.rows }, (_, i) => X.data[2 * i]);

/** One epoch of batches: the row ids of each, and where the epoch said it ended. */
function epoch(sampler: BatchSampler, batchSize: number, shuffle: boolean, rng = createRng(1)) {
  const batches: number[][] = [];
  const ends: boolean[] = [];
  for (;;) {
    const batch = sampler.next(batchSize, shuffle, rng);
    batches.push(rowsOf(batch.X));
    expect(Array.from(batch.Y.data)).toEqual(rowsOf(batch.X).map((i) => 10 * i));
    ends.push(batch.endsEpoch);
    if (batch.endsEpoch) break;
  }
  sampler.startNextEpoch();
  return { batches, ends };
}

describe('batch sampler', () => {
  it('visits every row once per epoch, the last batch short, in the stored order without shuffling', () => {
    const { X, Y } = numbered(50);
    const sampler = new BatchSampler(X, Y);
    expect(sampler.batchesPerEpoch(16)).toBe(4);
    const { batches, ends } = epoch(sampler, 16, false);
    expect(batches.map((b) => b.length)).toEqual([16, 16, 16, 2]);
    expect(batches.flat()).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(ends).toEqual([false, false, false, true]);
  });

  it("shuffles at each epoch's first batch with the seeded generator, as rng.shuffle does", () => {
    const { X, Y } = numbered(30);
    const sampler = new BatchSampler(X, Y);
    const rng = createRng(9);
    const byHand = createRng(9);
    const order = Array.from({ length: 30 }, (_, i) => i);
    for (let e = 0; e < 3; e++) {
      byHand.shuffle(order);
      // The order carries over from epoch to epoch: each shuffle permutes the last one.
      expect(epoch(sampler, 8, true, rng).batches.flat()).toEqual(order);
    }
  });

  it('rewinds an epoch to replay the same batches; restart goes back to the stored order', () => {
    const { X, Y } = numbered(20);
    const sampler = new BatchSampler(X, Y);
    const rng = createRng(3);
    const first = sampler.next(6, true, rng);
    const rows = rowsOf(first.X);
    sampler.next(6, true, rng);
    expect(sampler.batchInEpoch).toBe(2);
    sampler.rewindEpoch();
    expect(sampler.batchInEpoch).toBe(0);
    expect(rowsOf(sampler.next(6, true, rng).X)).toEqual(rows);
    expect(rowsOf(sampler.last!.X)).toEqual(rows);
    sampler.restart();
    expect(sampler.last).toBeNull();
    expect(rowsOf(sampler.next(6, false, rng).X)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('counts batches per epoch with the batch size in use, those taken included', () => {
    const { X, Y } = numbered(50);
    const sampler = new BatchSampler(X, Y);
    sampler.next(16, false, createRng(1));
    // 16 rows done, 34 left: in tens that is 4 more batches.
    expect(sampler.batchesPerEpoch(10)).toBe(1 + 4);
    expect(sampler.next(10, false, createRng(1)).X.rows).toBe(10);
  });
});
