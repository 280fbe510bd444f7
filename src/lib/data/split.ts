/**
 * Seeded train/test split. For classification it is stratified: each class gives the same share
 * of its rows to the test set, so class proportions match in both splits.
 *
 * The test set has round(testFraction * n) rows. Per class, the test count is
 * floor(testFraction * classCount), and the rows still missing from the total go to the classes
 * with the largest remainders (ties: earlier class first). The training set always keeps at
 * least one row. Both index lists come out shuffled, so rows of one class are not bunched.
 *
 * A dataset published with its own split (Dataset.split, e.g. Fashion-MNIST) keeps it: the first
 * `split.train` rows train, the rest test, in file order; the test fraction and seed do not apply
 * (the trainer shuffles batches itself).
 */
import { isFeatureRows, selectFeatureRows, type FeatureMatrix } from '../engine/feature-rows';
import { gatherRows, zeros, type Matrix } from '../engine/matrix';
import { createRng, type Rng } from '../engine/rng';
import { DataError } from './errors';
import type { Dataset } from './types';

export interface SplitOptions {
  /** Share of the rows held out for testing, in [0, 1). */
  testFraction: number;
  seed: number;
}

export interface SplitIndices {
  train: number[];
  test: number[];
}

export function checkTestFraction(testFraction: number): void {
  if (!Number.isFinite(testFraction) || testFraction < 0 || testFraction >= 1)
    throw new DataError(
      `The test fraction must be at least 0 and below 1 (e.g. 0.2 for 20%), got ${testFraction}.`,
    );
}

/** Row indices grouped by class (classification) or one group of all rows (regression). */
function groupsOf(dataset: Dataset): number[][] {
  const n = dataset.y.length;
  if (dataset.task === 'regression') return [Array.from({ length: n }, (_, i) => i)];
  const groups: number[][] = dataset.classes.map(() => []);
  for (let i = 0; i < n; i++) {
    const group = groups[dataset.y[i]];
    if (!group)
      throw new DataError(
        `Row ${i} has class index ${dataset.y[i]}, but the dataset has ${dataset.classes.length} classes.`,
      );
    group.push(i);
  }
  return groups;
}

/** Test rows per group: proportional, summing to `total` (largest remainder method). */
function testCounts(sizes: number[], fraction: number, total: number): number[] {
  const exact = sizes.map((s) => s * fraction);
  const counts = exact.map(Math.floor);
  let missing = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((e, k) => ({ k, remainder: e - counts[k] }))
    .sort((a, b) => b.remainder - a.remainder || a.k - b.k);
  for (const { k } of byRemainder) {
    if (missing <= 0) break;
    if (counts[k] < sizes[k]) {
      counts[k]++;
      missing--;
    }
  }
  return counts;
}

/** The fixed split's training row count, checked against the dataset's rows. */
function fixedTrainRows(dataset: Dataset): number | undefined {
  if (!dataset.split) return undefined;
  const n = dataset.y.length;
  const train = dataset.split.train;
  if (!Number.isInteger(train) || train < 1 || train > n)
    throw new DataError(
      `The dataset's fixed split names ${train} training rows, but it has ${n} rows.`,
    );
  return train;
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

/** Which rows train and which test. Same dataset, fraction and seed -> same split. */
export function splitIndices(dataset: Dataset, options: SplitOptions): SplitIndices {
  checkTestFraction(options.testFraction);
  const fixed = fixedTrainRows(dataset);
  if (fixed !== undefined) return { train: range(0, fixed), test: range(fixed, dataset.y.length) };
  const rng: Rng = createRng(options.seed);
  const n = dataset.y.length;
  const groups = groupsOf(dataset);
  const total = Math.min(Math.round(options.testFraction * n), Math.max(n - 1, 0));
  const counts = testCounts(
    groups.map((g) => g.length),
    options.testFraction,
    total,
  );
  const train: number[] = [];
  const test: number[] = [];
  groups.forEach((group, k) => {
    const shuffled = rng.shuffle(group.slice());
    test.push(...shuffled.slice(0, counts[k]));
    train.push(...shuffled.slice(counts[k]));
  });
  return { train: rng.shuffle(train), test: rng.shuffle(test) };
}

/** The rows `indices` of a matrix, as a new matrix. */
export function selectRows(m: Matrix, indices: readonly number[]): Matrix {
  return gatherRows(m, indices, zeros(indices.length, m.cols));
}

/** The dataset restricted to the rows `indices` (in that order). */
export function subsetDataset(dataset: Dataset, indices: readonly number[]): Dataset {
  // A subset no longer has the published split's row layout.
  const { split: _split, ...rest } = dataset;
  return {
    ...rest,
    features: [...dataset.features],
    classes: [...dataset.classes],
    X: selectFeatureRows(dataset.X, indices),
    y: Float64Array.from(indices, (i) => dataset.y[i]),
  };
}

/** Rows start..end-1 as a new dataset: one block copy, no index list walked. */
function rowBlock(dataset: Dataset, start: number, end: number): Dataset {
  const { cols } = dataset.X;
  const { split: _split, ...rest } = dataset;
  const X: FeatureMatrix = isFeatureRows(dataset.X)
    ? selectFeatureRows(dataset.X, range(start, end))
    : { rows: end - start, cols, data: dataset.X.data.slice(start * cols, end * cols) };
  return {
    ...rest,
    features: [...dataset.features],
    classes: [...dataset.classes],
    X,
    y: dataset.y.slice(start, end),
  };
}

/**
 * Split a dataset into train and test datasets (see splitIndices). Both are new copies, never
 * views of the dataset, so the caller may change them in place.
 */
export function splitDataset(
  dataset: Dataset,
  options: SplitOptions,
): { train: Dataset; test: Dataset; indices: SplitIndices } {
  const indices = splitIndices(dataset, options);
  const fixed = fixedTrainRows(dataset);
  if (fixed !== undefined)
    return {
      train: rowBlock(dataset, 0, fixed),
      test: rowBlock(dataset, fixed, dataset.y.length),
      indices,
    };
  return {
    train: subsetDataset(dataset, indices.train),
    test: subsetDataset(dataset, indices.test),
    indices,
  };
}
