import { describe, expect, it } from 'vitest';
import {
  epochDomain,
  finiteExtent,
  integerTicks,
  logDomain,
  logLineDomain,
  nearestIndex,
  positiveExtent,
  powerOfTenTicks,
  r2Domain,
  zeroBasedDomain,
} from '../../../src/lib/components/charts/scales';

describe('extents', () => {
  it('skip NaN and infinities', () => {
    expect(finiteExtent([3, NaN, -2, Infinity, 5, -Infinity])).toEqual([-2, 5]);
    expect(finiteExtent([NaN, Infinity])).toBeNull();
    expect(finiteExtent([])).toBeNull();
  });
  it('positive extent also skips zero and negatives', () => {
    expect(positiveExtent([0, -1, 0.02, 3, NaN, Infinity])).toEqual([0.02, 3]);
    expect(positiveExtent([0, 0, -5])).toBeNull();
  });
});

describe('logDomain', () => {
  it('widens to whole decades around the positive values', () => {
    expect(logDomain([0.0349, 1.15])).toEqual([0.01, 10]);
    expect(logDomain([0.5, 0.9])).toEqual([0.1, 1]);
  });
  it('ignores zeros and NaN, and falls back when nothing is plottable', () => {
    expect(logDomain([0, NaN, 0.2, 0.03, Infinity])).toEqual([0.01, 1]);
    expect(logDomain([0, NaN])).toEqual([1e-3, 1]);
    expect(logDomain([], [1, 10])).toEqual([1, 10]);
  });
  it('spans one decade when all values sit on one power of ten', () => {
    expect(logDomain([1, 1, 1])).toEqual([1, 10]);
  });
});

describe('logLineDomain', () => {
  it('starts at the decade below the smallest value and ends 1.5x above the largest', () => {
    expect(logLineDomain([0.0349, 1.15, 0, NaN])).toEqual([0.01, 1.15 * 1.5]);
    expect(logLineDomain([0.2, 0.4])).toEqual([0.1, 0.4 * 1.5]);
  });
  it('keeps at least half a decade when all values are equal, and falls back when empty', () => {
    const [lo, hi] = logLineDomain([1, 1]);
    expect(lo).toBe(1);
    expect(Math.log10(hi)).toBeCloseTo(0.5, 12);
    expect(logLineDomain([0, -1])).toEqual([1e-3, 1]);
  });
});

describe('powerOfTenTicks', () => {
  it('lists the decades inside the domain, ends included', () => {
    expect(powerOfTenTicks([0.01, 10])).toEqual([0.01, 0.1, 1, 10]);
    expect(powerOfTenTicks([0.05, 0.5])).toEqual([0.1]);
    expect(powerOfTenTicks([0, 1])).toEqual([]);
  });
});

describe('linear domains', () => {
  it('start loss axes at zero with a little headroom', () => {
    expect(zeroBasedDomain([0.5, 2, NaN])).toEqual([0, 2.1]);
    expect(zeroBasedDomain([])).toEqual([0, 1]);
    expect(zeroBasedDomain([0, 0])).toEqual([0, 1]);
  });
  it('R² axes top out at 1 and bottom out between -1 and 0', () => {
    expect(r2Domain([0.2, 0.9])).toEqual([0, 1]);
    expect(r2Domain([-0.4, 0.9])).toEqual([-0.4, 1]);
    expect(r2Domain([-55, 0.9, NaN])).toEqual([-1, 1]);
    expect(r2Domain([])).toEqual([0, 1]);
  });
  it('epoch domains are never empty', () => {
    expect(epochDomain([1, 2, 3])).toEqual([1, 3]);
    expect(epochDomain([7])).toEqual([7, 8]);
    expect(epochDomain([])).toEqual([0, 1]);
  });
  it('integer ticks drop fractions', () => {
    expect(integerTicks([0, 0.5, 1, 1.5, 2])).toEqual([0, 1, 2]);
  });
});

describe('nearestIndex', () => {
  const epochs = [1, 2, 3, 5, 8];
  it('finds the closest value, earlier on ties, clamped at the ends', () => {
    expect(nearestIndex(epochs, 2.4)).toBe(1);
    expect(nearestIndex(epochs, 2.6)).toBe(2);
    expect(nearestIndex(epochs, 4)).toBe(2); // tie between 3 and 5
    expect(nearestIndex(epochs, 6.6)).toBe(4);
    expect(nearestIndex(epochs, -10)).toBe(0);
    expect(nearestIndex(epochs, 100)).toBe(4);
  });
  it('agrees with a linear scan on many targets', () => {
    const sorted = [0, 0.5, 0.6, 2, 7, 7.5, 20];
    for (let t = -2; t <= 22; t += 0.25) {
      let best = 0;
      sorted.forEach((v, i) => {
        if (Math.abs(v - t) < Math.abs(sorted[best] - t)) best = i;
      });
      expect(nearestIndex(sorted, t), `target ${t}`).toBe(best);
    }
  });
  it('returns -1 for no data or a NaN target', () => {
    expect(nearestIndex([], 3)).toBe(-1);
    expect(nearestIndex(epochs, NaN)).toBe(-1);
  });
});
