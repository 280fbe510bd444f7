/**
 * An imported model's history continued by the run that goes on from its weights (what the
 * charts draw after an import).
 */
import type { History } from '../engine/types';

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
