/**
 * A long run's history thinned for drawing: a chart a few hundred pixels wide cannot show more
 * than a point or two per pixel, and redrawing tens of thousands of points 30 times a second
 * would hold up the page. The first and last epochs always stay, the ones between are evenly
 * spaced, so the curve keeps its shape and the latest value is the one the readout shows.
 */
import type { History } from '../../engine/types';

/** Most epochs drawn per line (about one per pixel of a chart). */
export const MAX_DRAWN_EPOCHS = 400;

/** Indices 0..n-1 thinned to at most `max` (first and last included, evenly spaced). */
export function thinnedIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max < 2) return n > 0 ? [n - 1] : [];
  const step = (n - 1) / (max - 1);
  const indices: number[] = [];
  for (let k = 0; k < max; k++) indices.push(Math.round(k * step));
  return indices;
}

/**
 * A copy of the history, thinned when it is long (same columns). Always new arrays: the
 * training state's columns grow in place, and a chart must get new arrays per update; the copy is at
 * most `max` entries a column.
 */
export function thinHistory(history: History, max = MAX_DRAWN_EPOCHS): History {
  const n = history.epoch.length;
  const keep = n <= max ? null : thinnedIndices(n, max);
  const pick = (values: number[]) =>
    keep && values.length === n ? keep.map((i) => values[i]) : values.slice();
  return {
    epoch: pick(history.epoch),
    trainLoss: pick(history.trainLoss),
    testLoss: pick(history.testLoss),
    trainAccuracy: pick(history.trainAccuracy),
    testAccuracy: pick(history.testAccuracy),
    trainR2: pick(history.trainR2),
    testR2: pick(history.testR2),
  };
}
