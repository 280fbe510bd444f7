import { describe, expect, it } from 'vitest';
import {
  colourTable,
  formatPowerOfTen,
  heatStripPixels,
  log10Extent,
  recentColumns,
  thinTicks,
} from '../../../src/lib/components/charts/gradient-charts';
import type { Rgb } from '../../../src/lib/components/charts/palette';

describe('formatPowerOfTen', () => {
  it('writes exponents as superscripts', () => {
    expect(formatPowerOfTen(1e-3)).toBe('10⁻³');
    expect(formatPowerOfTen(1)).toBe('10⁰');
    expect(formatPowerOfTen(1e12)).toBe('10¹²');
  });
});

describe('thinTicks', () => {
  it('keeps every k-th tick so at most maxCount remain', () => {
    expect(thinTicks([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([1, 4, 7]);
    expect(thinTicks([1, 2, 3], 5)).toEqual([1, 2, 3]);
  });
});

describe('recentColumns', () => {
  it('keeps the last `window` columns in order', () => {
    expect(recentColumns([[1], [2], [3], [4]], 2)).toEqual([[3], [4]]);
    expect(recentColumns([[1]], 10)).toEqual([[1]]);
    expect(recentColumns([[1], [2]], 0)).toEqual([]);
  });
});

describe('log10Extent', () => {
  it('spans log10 of the positive finite values only', () => {
    expect(
      log10Extent([
        [0.001, 0],
        [NaN, 10],
        [Infinity, -1],
      ]),
    ).toEqual([-3, 1]);
  });
  it('widens a single value and is null with nothing positive', () => {
    expect(log10Extent([[0.01, 0.01]])).toEqual([-2.5, -1.5]);
    expect(log10Extent([[0, NaN]])).toBeNull();
    expect(log10Extent([])).toBeNull();
  });
});

describe('colourTable', () => {
  it('samples the interpolator evenly from 0 to 1', () => {
    const grey = (t: number) => `rgb(${Math.round(t * 255)}, ${Math.round(t * 255)}, 0)`;
    expect(colourTable(grey, 3)).toEqual([
      [0, 0, 0],
      [128, 128, 0],
      [255, 255, 0],
    ]);
  });
});

describe('heatStripPixels', () => {
  // Table of 11 entries whose red channel is 0, 25, ..., 250: easy to read back.
  const table: Rgb[] = Array.from({ length: 11 }, (_, i) => [i * 25, 0, 0]);
  const missing: Rgb = [1, 2, 3];
  const columns = [
    [1e-3, 1e-1], // update 1: layer 0, layer 1
    [1e-2, 0], // update 2: layer 1 is zero
    [NaN, 1e-1], // update 3: layer 0 is NaN
  ];
  const pixels = heatStripPixels(columns, 2, table, [-3, -1], missing);
  const at = (column: number, layer: number) =>
    Array.from(pixels.slice((layer * 3 + column) * 4, (layer * 3 + column) * 4 + 4));

  it('lays columns out left to right and layers top to bottom', () => {
    expect(pixels.length).toBe(3 * 2 * 4);
    expect(at(0, 0)).toEqual([0, 0, 0, 255]); // log10 = -3: bottom of the domain
    expect(at(0, 1)).toEqual([250, 0, 0, 255]); // log10 = -1: top
    expect(at(1, 0)).toEqual([125, 0, 0, 255]); // log10 = -2: middle entry (index 5)
  });
  it('draws zero and NaN in the missing colour', () => {
    expect(at(1, 1)).toEqual([1, 2, 3, 255]);
    expect(at(2, 0)).toEqual([1, 2, 3, 255]);
  });
  it('clamps values outside the domain to the ends', () => {
    const out = heatStripPixels([[1e-6, 1e3]], 2, table, [-3, -1], missing);
    expect(Array.from(out.slice(0, 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(out.slice(4, 8))).toEqual([250, 0, 0, 255]);
  });
});
