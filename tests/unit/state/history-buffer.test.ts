import { describe, expect, it } from 'vitest';
import { emptyHistory, type History } from '../../../src/lib/engine/types';
import type { HistoryDelta } from '../../../src/lib/worker/api';
import { HistoryBuffer } from '../../../src/lib/state/history-buffer';

/** Epochs start+1 .. start+n of a classification run (regression columns empty). */
function delta(start: number, n: number): HistoryDelta {
  const entries = emptyHistory();
  for (let e = start + 1; e <= start + n; e++) {
    entries.epoch.push(e);
    entries.trainLoss.push(1 / e);
    entries.testLoss.push(Math.sqrt(e) / 3);
    entries.trainAccuracy.push(e % 7 === 0 ? NaN : 1 - 1 / (e + 1));
    entries.testAccuracy.push(e / 1e9);
  }
  return { start, entries };
}

/** The same history written out directly, epoch by epoch. */
function expected(n: number): History {
  return delta(0, n).entries;
}

describe('HistoryBuffer', () => {
  it('hands out a new object per update over the same arrays, with exact values', () => {
    const buffer = new HistoryBuffer();
    expect(buffer.add(delta(0, 3))).toBe(true);
    const views: History[] = [buffer.view()];
    let n = 3;
    for (const size of [1, 5, 0, 250, 2, 1000]) {
      expect(buffer.add(delta(n, size))).toBe(true);
      n += size;
      views.push(buffer.view());
    }
    const last = views[views.length - 1];
    expect(last).toEqual(expected(n));
    expect(Object.is(last.trainAccuracy[6], NaN)).toBe(true);
    expect(last.trainR2).toEqual([]);
    for (let i = 1; i < views.length; i++) {
      // A new object each time (so `$state.raw` readers and charts see the change) ...
      expect(views[i]).not.toBe(views[i - 1]);
      // ... but no column was copied: prior entries stay where they were.
      for (const key of Object.keys(last) as (keyof History)[])
        expect(views[i][key]).toBe(views[0][key]);
    }
  });

  it('appends in time proportional to the new entries, not to the history', () => {
    // Each column is appended to in place: the prior entries are never read again. Counted
    // by watching reads of a delta's columns and the length of the shared arrays.
    const buffer = new HistoryBuffer();
    buffer.add(delta(0, 100_000));
    const before = buffer.view();
    const next = delta(100_000, 3);
    let read = 0;
    const counted = new Proxy(next.entries.trainLoss, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) read++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    expect(
      buffer.add({ start: next.start, entries: { ...next.entries, trainLoss: counted } }),
    ).toBe(true);
    expect(read).toBe(3);
    const after = buffer.view();
    expect(after.trainLoss).toBe(before.trainLoss);
    expect(after.epoch.length).toBe(100_003);
    expect(after.trainLoss.slice(-3)).toEqual(next.entries.trainLoss);
  });

  it('refuses a delta that leaves a gap, changing nothing', () => {
    const buffer = new HistoryBuffer();
    buffer.add(delta(0, 4));
    expect(buffer.add(delta(5, 2))).toBe(false);
    expect(buffer.add(delta(3, 2))).toBe(false);
    expect(buffer.view()).toEqual(expected(4));
  });

  it('starts new arrays for a history from epoch 0, leaving earlier views as they were', () => {
    const buffer = new HistoryBuffer();
    buffer.add(delta(0, 10));
    const old = buffer.view();
    const fresh = delta(0, 2);
    buffer.add(fresh);
    buffer.add(delta(2, 1));
    expect(old).toEqual(expected(10));
    expect(buffer.view()).toEqual(expected(3));
    // The delta's own arrays (still held by the event) were copied, not grown.
    expect(fresh.entries).toEqual(expected(2));
    buffer.replace(emptyHistory());
    expect(buffer.view()).toEqual(emptyHistory());
    expect(buffer.length).toBe(0);
  });
});
