import { describe, expect, it } from 'vitest';
import { emptyHistory, type History } from '../../../src/lib/engine/types';
import { thinHistory, thinnedIndices } from '../../../src/lib/components/training/thin-history';
import { formatTimeLeft } from '../../../src/lib/state/status-text';

function historyOf(n: number): History {
  const h = emptyHistory();
  for (let e = 1; e <= n; e++) {
    h.epoch.push(e);
    h.trainLoss.push(1 / e);
    h.testLoss.push(2 / e);
    h.trainAccuracy.push(e / n);
    h.testAccuracy.push(e / (2 * n));
  }
  return h;
}

describe('thinnedIndices', () => {
  it('keeps every index of a short series', () => {
    expect(thinnedIndices(3, 5)).toEqual([0, 1, 2]);
  });
  it('keeps first and last and spaces the rest evenly', () => {
    expect(thinnedIndices(10, 4)).toEqual([0, 3, 6, 9]);
    expect(thinnedIndices(1001, 11)).toEqual([
      0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000,
    ]);
  });
  it('never exceeds the budget and never repeats an index', () => {
    for (const n of [2, 7, 399, 400, 401, 12345]) {
      const kept = thinnedIndices(n, 400);
      expect(kept.length).toBe(Math.min(n, 400));
      expect(new Set(kept).size).toBe(kept.length);
      expect(kept[0]).toBe(0);
      expect(kept[kept.length - 1]).toBe(n - 1);
    }
  });
});

describe('thinHistory', () => {
  it('copies a short history whole, into new arrays', () => {
    const h = historyOf(50);
    const copy = thinHistory(h, 100);
    expect(copy).toEqual(h);
    expect(copy.epoch).not.toBe(h.epoch);
    expect(copy.trainLoss).not.toBe(h.trainLoss);
  });
  it('thins every column alike, keeping the latest epoch and leaving absent columns empty', () => {
    const thin = thinHistory(historyOf(1000), 10);
    expect(thin.epoch).toHaveLength(10);
    expect(thin.epoch[9]).toBe(1000);
    thin.epoch.forEach((e, i) => {
      expect(thin.trainLoss[i]).toBe(1 / e);
      expect(thin.testAccuracy[i]).toBe(e / 2000);
    });
    expect(thin.trainR2).toEqual([]);
  });
});

describe('formatTimeLeft', () => {
  it('says nothing without an estimate', () => {
    expect(formatTimeLeft(null)).toBe('');
    expect(formatTimeLeft(0)).toBe('');
    expect(formatTimeLeft(NaN)).toBe('');
  });
  it('rounds to seconds, minutes and hours', () => {
    expect(formatTimeLeft(0.4)).toBe('under 1 s left');
    expect(formatTimeLeft(12.4)).toBe('about 12 s left');
    expect(formatTimeLeft(125)).toBe('about 2 min 5 s left');
    expect(formatTimeLeft(3 * 3600 + 120)).toBe('about 3 h 2 min left');
  });
});
