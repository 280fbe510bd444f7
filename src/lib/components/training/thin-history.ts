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
 * session's columns grow in place, and a chart must get new arrays per update; the copy is at
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

/**
 * The history of an imported model followed by the run that goes on from its weights: the new
 * epochs are numbered after the imported ones, so the curves continue where the file ended.
 */
export function continueHistory(before: History, after: History): History {
  const offset = before.epoch.length > 0 ? before.epoch[before.epoch.length - 1] : 0;
  // A column one side lacks (empty) is filled with NaN there, so every column stays aligned
  // with the epochs; a column both lack stays empty.
  const pad = (values: number[], n: number) =>
    values.length === n ? values : Array.from({ length: n }, (_, i) => values[i] ?? NaN);
  const join = (a: number[], b: number[]) =>
    a.length === 0 && b.length === 0
      ? []
      : [...pad(a, before.epoch.length), ...pad(b, after.epoch.length)];
  return {
    epoch: [...before.epoch, ...after.epoch.map((e) => e + offset)],
    trainLoss: join(before.trainLoss, after.trainLoss),
    testLoss: join(before.testLoss, after.testLoss),
    trainAccuracy: join(before.trainAccuracy, after.trainAccuracy),
    testAccuracy: join(before.testAccuracy, after.testAccuracy),
    trainR2: join(before.trainR2, after.trainR2),
    testR2: join(before.testR2, after.testR2),
  };
}
