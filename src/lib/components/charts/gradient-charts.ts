/**
 * Pure helpers for the gradients panel: log-axis labels, the heat strip's recent window, its
 * colour range and its pixels. No gradient maths: norms and means arrive already computed.
 */
import { parseColour, type Rgb } from './palette';

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** 10 ** e written as "10⁻³"; for labels of log axes whose ticks are powers of ten. */
export function formatPowerOfTen(value: number): string {
  const exponent = Math.round(Math.log10(value));
  const digits = String(exponent)
    .split('')
    .map((c) => SUPERSCRIPT[c])
    .join('');
  return `10${digits}`;
}

/** Every k-th tick so that at most `maxCount` remain (keeps the first one). */
export function thinTicks<T>(ticks: readonly T[], maxCount: number): T[] {
  if (ticks.length <= maxCount || maxCount < 1) return [...ticks];
  const step = Math.ceil(ticks.length / maxCount);
  return ticks.filter((_, i) => i % step === 0);
}

/** The last `window` columns (all of them when there are fewer). */
export function recentColumns<T>(columns: readonly T[], window: number): T[] {
  const n = Math.max(0, Math.floor(window));
  return columns.slice(Math.max(0, columns.length - n));
}

/**
 * [min, max] of log10(v) over the positive finite values; a single repeated value is widened
 * by ±0.5 so the colour scale has a span. Null when nothing is positive.
 */
export function log10Extent(columns: readonly (readonly number[])[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const column of columns) {
    for (const v of column) {
      if (!(v > 0) || !Number.isFinite(v)) continue;
      const l = Math.log10(v);
      if (l < lo) lo = l;
      if (l > hi) hi = l;
    }
  }
  if (!(lo <= hi)) return null;
  return hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
}

/** `size` colours sampled evenly from `interpolator` over [0, 1] (a lookup table). */
export function colourTable(interpolator: (t: number) => string, size = 256): Rgb[] {
  return Array.from({ length: size }, (_, i) => parseColour(interpolator(i / (size - 1))));
}

/**
 * RGBA pixels for the heat strip: one pixel per (column, layer); image width = columns.length,
 * height = layerCount, row 0 = first layer. Colour = table entry for log10(value) placed
 * linearly in `domain` (clamped); a value ≤ 0, NaN, ∞ or missing is drawn as `missing`.
 */
export function heatStripPixels(
  columns: readonly (readonly number[])[],
  layerCount: number,
  table: readonly Rgb[],
  domain: [number, number],
  missing: Rgb,
): Uint8ClampedArray {
  const width = columns.length;
  const pixels = new Uint8ClampedArray(width * layerCount * 4);
  const [lo, hi] = domain;
  const last = table.length - 1;
  for (let c = 0; c < width; c++) {
    for (let l = 0; l < layerCount; l++) {
      const v = columns[c][l];
      let colour = missing;
      if (v > 0 && Number.isFinite(v)) {
        const t = hi > lo ? (Math.log10(v) - lo) / (hi - lo) : 0.5;
        colour = table[Math.round(Math.min(1, Math.max(0, t)) * last)];
      }
      const p = (l * width + c) * 4;
      pixels[p] = colour[0];
      pixels[p + 1] = colour[1];
      pixels[p + 2] = colour[2];
      pixels[p + 3] = 255;
    }
  }
  return pixels;
}
