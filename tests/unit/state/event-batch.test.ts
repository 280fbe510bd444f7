/**
 * The pure joining of worker events for one publication (event-batch.ts) and the status line
 * (status-text.ts), with hand-made events.
 */
import { describe, expect, it } from 'vitest';
import {
  addDeltas,
  appendGradientNorms,
  joinDeltas,
  joinedDeltas,
  progressOf,
} from '../../../src/lib/state/event-batch';
import { HistoryBuffer } from '../../../src/lib/state/history-buffer';
import { formatStatus } from '../../../src/lib/state/status-text';
import type { HistoryDelta, TrainingEvent } from '../../../src/lib/worker/api';
import { emptyHistory } from '../../../src/lib/engine/types';

const delta = (start: number, count: number): HistoryDelta => {
  const entries = emptyHistory();
  for (let i = 0; i < count; i++) {
    entries.epoch.push(start + i + 1);
    entries.trainLoss.push(1 / (start + i + 1));
    entries.testAccuracy.push((start + i) / 100);
  }
  return { start, entries };
};

/** The history a buffer holds after adding the deltas one by one (null after a gap). */
function oneByOne(deltas: HistoryDelta[]) {
  const buffer = new HistoryBuffer();
  for (const d of deltas) if (!buffer.add(d)) return null;
  return buffer.view();
}

const eventWith = (history: HistoryDelta) => ({ history }) as TrainingEvent;

describe('status text and the gradient window', () => {
  const progress = {
    epoch: 120,
    epochs: 500,
    step: 480,
    batchInEpoch: 0,
    batchesPerEpoch: 4,
    fraction: 0.24,
    samplesPerSecond: 0,
    secondsLeft: null,
  };

  it('reads like DESIGN §7', () => {
    expect(
      formatStatus('running', progress, {
        trainLoss: 0.0612,
        testLoss: 0.07,
        testAccuracy: 0.9667,
      }),
    ).toBe('Epoch 120/500 · train loss 0.0612 · test accuracy 96.7%');
    expect(
      formatStatus('paused', progress, { trainLoss: 0.5, testLoss: 0.7, testR2: 0.9531 }),
    ).toBe('Epoch 120/500 · train loss 0.5 · test R² 0.953 · paused');
  });

  it('appends consecutive updates, restarts after a gap, keeps the most recent window', () => {
    const event = (firstUpdate: number, count: number, step: number) =>
      ({
        step,
        gradientNorms: {
          layerIds: ['a', 'b'],
          firstUpdate,
          norms: Array.from({ length: count }, (_, i) => [firstUpdate + i, 0]),
        },
      }) as unknown as TrainingEvent;
    let g = appendGradientNorms({ layerIds: [], firstUpdate: 1, columns: [] }, event(1, 3, 3), 5);
    g = appendGradientNorms(g, event(4, 4, 7), 5);
    expect(g.firstUpdate).toBe(3);
    expect(g.columns.map((c) => c[0])).toEqual([3, 4, 5, 6, 7]);
    g = appendGradientNorms(g, event(20, 2, 21), 5);
    expect(g.firstUpdate).toBe(20);
    expect(g.columns.map((c) => c[0])).toEqual([20, 21]);
  });
});

describe('history deltas', () => {
  it('joins consecutive deltas into one that adds like the deltas one by one', () => {
    const [a, b, c] = [delta(0, 3), delta(3, 2), delta(5, 4)];
    const expected = oneByOne([a, b, c])!;
    expect(expected.epoch).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const joined = joinDeltas(joinDeltas(a, b), c);
    expect(joined.start).toBe(0);
    expect(oneByOne([joined])).toEqual(expected);
    expect(oneByOne([a, joinDeltas(b, c)])).toEqual(expected);
  });

  it('joins runs of following deltas and keeps a restart (start 0) apart', () => {
    const events = [delta(0, 2), delta(2, 1), delta(3, 3), delta(0, 1), delta(1, 2)].map(eventWith);
    const joined = joinedDeltas(events);
    expect(joined.map((d) => [d.start, d.entries.epoch.length])).toEqual([
      [0, 6],
      [0, 3],
    ]);
  });

  it('adds to the buffer; a gap stops adding until a delta replaces the history', () => {
    const buffer = new HistoryBuffer();
    expect(addDeltas(buffer, [delta(0, 2), delta(2, 2)])).toBe(false);
    expect(buffer.length).toBe(4);
    // Epochs 5..6 missed: the next delta leaves a gap; later ones are not added either.
    expect(addDeltas(buffer, [delta(6, 1), delta(7, 1)])).toBe(true);
    expect(buffer.length).toBe(4);
    // A replacement after the gap is taken (what a fetch of the whole history would give).
    expect(addDeltas(buffer, [delta(6, 1), delta(0, 3), delta(3, 1)])).toBe(false);
    expect(buffer.view().epoch).toEqual([1, 2, 3, 4]);
  });
});

describe('progress', () => {
  const event = (over: Partial<TrainingEvent>) =>
    ({
      status: 'running',
      epoch: 10,
      epochs: 100,
      step: 40,
      batchInEpoch: 2,
      batchesPerEpoch: 4,
      samplesPerSecond: 1000,
      ...over,
    }) as TrainingEvent;

  it('counts the batches of the current epoch and estimates the time left from samples/s', () => {
    const p = progressOf(event({}), 120);
    expect(p.fraction).toBeCloseTo(10.5 / 100, 12);
    // (1 - 0.105) x 100 epochs x 120 rows at 1000 rows/s.
    expect(p.secondsLeft).toBeCloseTo((0.895 * 100 * 120) / 1000, 9);
  });

  it('has no estimate unless running, and a finished run is whole', () => {
    expect(progressOf(event({ status: 'paused' }), 120).secondsLeft).toBeNull();
    const done = progressOf(event({ status: 'done', epoch: 100, batchInEpoch: 3 }), 120);
    expect(done.fraction).toBe(1);
    expect(done.secondsLeft).toBeNull();
  });
});
