/**
 * Domains and ticks for chart scales. Data arrive live from training, so every helper here
 * copes with empty input, NaN and ±Infinity (a diverging run) and, for log scales, zeros.
 */

/** [min, max] over the finite values, or null when there are none. */
export function finiteExtent(values: Iterable<number>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** [min, max] over the finite values > 0 (the ones a log scale can place), or null. */
export function positiveExtent(values: Iterable<number>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/** True when a log scale can place `v`. */
export function isLogPlottable(v: number): boolean {
  return v > 0 && Number.isFinite(v);
}

/**
 * Log-scale domain widened to whole powers of ten around the positive finite values, so that
 * tick labels are round. With no plottable value, `fallback` (default [1e-3, 1]).
 */
export function logDomain(
  values: Iterable<number>,
  fallback: [number, number] = [1e-3, 1],
): [number, number] {
  const extent = positiveExtent(values);
  if (!extent) return fallback;
  let lo = Math.floor(Math.log10(extent[0]));
  let hi = Math.ceil(Math.log10(extent[1]));
  if (hi === lo) hi = lo + 1;
  // Keep the domain inside the range of doubles even for extreme inputs.
  lo = Math.max(lo, -300);
  hi = Math.min(hi, 300);
  return [10 ** lo, 10 ** hi];
}

/**
 * Log domain for lines (loss curves): the bottom is the power of ten at or below the smallest
 * value, for a round lowest tick; the top is 1.5 x the largest value, so the curve clears the
 * edge without adding a nearly empty decade. Fallback as in logDomain.
 */
export function logLineDomain(
  values: Iterable<number>,
  fallback: [number, number] = [1e-3, 1],
): [number, number] {
  const extent = positiveExtent(values);
  if (!extent) return fallback;
  const lo = 10 ** Math.max(-300, Math.floor(Math.log10(extent[0])));
  return [lo, Math.max(extent[1] * 1.5, lo * 10 ** 0.5)];
}

/** Whole powers of ten inside [lo, hi] (inclusive), for log-axis ticks. */
export function powerOfTenTicks([lo, hi]: [number, number]): number[] {
  if (!(lo > 0) || !(hi >= lo)) return [];
  const ticks: number[] = [];
  for (let e = Math.ceil(Math.log10(lo) - 1e-9); e <= Math.floor(Math.log10(hi) + 1e-9); e++) {
    ticks.push(10 ** e);
  }
  return ticks;
}

/**
 * Linear domain from 0 to a little above the largest finite value (losses are ≥ 0).
 * With no finite value, [0, 1].
 */
export function zeroBasedDomain(values: Iterable<number>, headroom = 0.05): [number, number] {
  const extent = finiteExtent(values);
  if (!extent) return [0, 1];
  const lo = Math.min(0, extent[0]);
  const hi = Math.max(extent[1], 0);
  if (hi === lo) return [lo, lo + 1];
  return [lo, hi + (hi - lo) * headroom];
}

/**
 * Domain of an R² axis: the top is 1 (a perfect fit); the bottom is the lowest finite value
 * but never above 0 and never below -1, because early in training R² can be hugely negative
 * and would squash the interesting part. Lines below the bottom are clipped.
 */
export function r2Domain(values: Iterable<number>): [number, number] {
  const extent = finiteExtent(values);
  const lowest = extent ? extent[0] : 0;
  return [Math.max(-1, Math.min(0, lowest)), 1];
}

/** Domain that spans [first, last] epoch; a single epoch still gets a unit-wide domain. */
export function epochDomain(epochs: readonly number[]): [number, number] {
  const extent = finiteExtent(epochs);
  if (!extent) return [0, 1];
  return extent[1] > extent[0] ? extent : [extent[0], extent[0] + 1];
}

/** The integers among `ticks` (epochs and update counts have no fractional ticks). */
export function integerTicks(ticks: readonly number[]): number[] {
  return ticks.filter((t) => Number.isInteger(t));
}

/**
 * Index of the value in ascending `sorted` closest to `target` (ties go to the earlier one),
 * or -1 for an empty array. Binary search: histories grow to thousands of epochs.
 */
export function nearestIndex(sorted: readonly number[], target: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(target)) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  // lo is the first index with sorted[lo] >= target (or n-1); compare with its left neighbour.
  if (lo > 0 && target - sorted[lo - 1] <= sorted[lo] - target) return lo - 1;
  return lo;
}
