/**
 * Targets -> the matrix the loss compares predictions with (DESIGN.md §2):
 * - cross_entropy: one-hot, column k is classes[k];
 * - binary_cross_entropy: one column t, t = 1 for the second entry of classes, 0 for the first;
 * - mse: the value for regression (one column), one-hot for classification.
 */
import { targetWidth, type LossName } from '../engine/spec';
import { zeros, type Matrix } from '../engine/matrix';
import { DataError } from './errors';
import { parseNumberCell } from './numbers';
import type { Dataset, Task } from './types';

/** n x classCount matrix with a 1 in column y[i] of row i. */
export function oneHot(y: ArrayLike<number>, classCount: number): Matrix {
  const T = zeros(y.length, classCount);
  for (let i = 0; i < y.length; i++) {
    const k = y[i];
    if (!Number.isInteger(k) || k < 0 || k >= classCount)
      throw new Error(`Row ${i} has class index ${k}, outside 0..${classCount - 1}.`);
    T.data[i * classCount + k] = 1;
  }
  return T;
}

/** y as one column. */
export function column(y: ArrayLike<number>): Matrix {
  const T = zeros(y.length, 1);
  T.data.set(Array.from(y));
  return T;
}

/** Encode targets for `loss`. Throws a DataError when the loss does not fit the task. */
export function encodeTargets(
  y: ArrayLike<number>,
  task: Task,
  classes: readonly string[],
  loss: LossName,
): Matrix {
  if (task === 'regression') {
    if (loss !== 'mse')
      throw new DataError(
        `${loss === 'cross_entropy' ? 'Cross-entropy' : 'Binary cross-entropy'} needs class labels, but this dataset's target is a number (regression). Use mean squared error.`,
      );
    return column(y);
  }
  if (loss === 'binary_cross_entropy') {
    if (classes.length !== 2)
      throw new DataError(
        `Binary cross-entropy needs exactly 2 classes, but this dataset has ${classes.length}. Use cross-entropy with a softmax.`,
      );
    // t = 1 for the second class: the class index is already 0 or 1.
    return column(y);
  }
  return oneHot(y, classes.length);
}

export { targetWidth };

/**
 * The index of `label` in `classes`: the same text, or the same number written differently
 * ("3" and "3.0"); -1 when the classes do not have it.
 */
export function classIndexOf(label: string, classes: readonly string[]): number {
  const exact = classes.indexOf(label.trim());
  if (exact !== -1) return exact;
  const value = parseNumberCell(label);
  if (value === undefined) return -1;
  return classes.findIndex((c) => parseNumberCell(c) === value);
}

/**
 * The dataset with its class indices in the order of `classes` (DESIGN.md §2 Classes: a trained
 * model keeps the order of its output columns). The dataset may have fewer of the classes; a
 * class `classes` does not have is refused by name. Regression data is returned as it is.
 */
export function withClassOrder<D extends Dataset>(dataset: D, classes: readonly string[]): D {
  if (dataset.task !== 'classification') return dataset;
  const index = dataset.classes.map((label) => classIndexOf(label, classes));
  const unknown = dataset.classes.filter((_, k) => index[k] === -1);
  if (unknown.length > 0) {
    const named = unknown.map((c) => `"${c}"`).join(', ');
    throw new DataError(
      `${dataset.name} has the ${unknown.length === 1 ? 'class' : 'classes'} ${named}, which the model does not know: its classes are ${classes.map((c) => `"${c}"`).join(', ')}. A trained model keeps its classes; train a new one for other classes.`,
    );
  }
  const y = new Float64Array(dataset.y.length);
  for (let i = 0; i < y.length; i++) y[i] = index[dataset.y[i]];
  return { ...dataset, y, classes: [...classes] };
}
