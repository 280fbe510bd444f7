/**
 * A dataset published with its own split (Dataset.split, as Fashion-MNIST): the first rows train,
 * the rest test, whatever the test fraction and seed; standardization is fitted on the training
 * rows only, and the dataset itself is left untouched.
 */
import { describe, expect, it } from 'vitest';
import { prepareData } from '../../../src/lib/data/prepare';
import { selectRows, splitDataset, splitIndices, subsetDataset } from '../../../src/lib/data/split';
import {
  applyStandardization,
  featureScale,
  fitStandardization,
} from '../../../src/lib/data/standardize';
import type { Dataset } from '../../../src/lib/data/types';
import { fromRows, toRows } from '../../../src/lib/engine/matrix';
import { dataErrorOf } from './helpers';
import { featureMatrix, featureRowsOf } from '../../../src/lib/engine/feature-rows';

/** Six rows, the first four for training; the test rows are far away from the training ones. */
function fixedDataset(): Dataset {
  return {
    name: 'fixed',
    features: ['a', 'b'],
    target: 'class',
    task: 'classification',
    classes: ['no', 'yes'],
    X: fromRows([
      [1, 10],
      [3, 10],
      [5, 20],
      [7, 20],
      [100, 0],
      [200, 0],
    ]),
    y: Float64Array.from([0, 1, 0, 1, 1, 0]),
    split: { train: 4 },
  };
}

describe('fixed split', () => {
  it('trains on the first rows and tests on the rest, whatever the fraction and seed', () => {
    for (const [testFraction, seed] of [
      [0.2, 1],
      [0.5, 99],
      [0, 7],
    ])
      expect(splitIndices(fixedDataset(), { testFraction, seed })).toEqual({
        train: [0, 1, 2, 3],
        test: [4, 5],
      });
  });

  it('copies the blocks (changing a split leaves the dataset alone), without the split mark', () => {
    const dataset = fixedDataset();
    const { train, test } = splitDataset(dataset, { testFraction: 0.2, seed: 1 });
    expect(toRows(featureMatrix(test.X))).toEqual([
      [100, 0],
      [200, 0],
    ]);
    expect(Array.from(train.y)).toEqual([0, 1, 0, 1]);
    featureMatrix(train.X).data[0] = -1;
    expect(featureMatrix(dataset.X).data[0]).toBe(1);
    expect(train.split).toBeUndefined();
    expect(subsetDataset(dataset, [0, 5]).split).toBeUndefined();
  });

  it('standardizes with the training rows only: mean 4 and std √5 for a, 15 and 5 for b', () => {
    const dataset = fixedDataset();
    const p = prepareData(
      dataset,
      { testFraction: 0.2, seed: 1, standardize: true },
      'cross_entropy',
    );
    // a: 1,3,5,7 -> mean 4, population std sqrt((9+1+1+9)/4) = sqrt(5); b: 10,10,20,20 -> 15, 5.
    expect(p.standardize?.mean).toEqual([4, 15]);
    expect(p.standardize?.std[0]).toBeCloseTo(Math.sqrt(5), 14);
    expect(p.standardize?.std[1]).toBe(5);
    expect(toRows(featureMatrix(p.xTest))[0][0]).toBeCloseTo((100 - 4) / Math.sqrt(5), 12);
    expect(toRows(featureMatrix(p.xTest))[1][1]).toBe(-3);
    expect(toRows(p.yTest)).toEqual([
      [0, 1],
      [1, 0],
    ]);
    // The dataset keeps its raw values (the split copies were standardized, not the dataset).
    expect(toRows(featureMatrix(dataset.X))[4]).toEqual([100, 0]);
  });

  it('refuses a split that does not fit the rows', () => {
    for (const train of [0, 7, 2.5]) {
      const error = dataErrorOf(() =>
        splitIndices({ ...fixedDataset(), split: { train } }, { testFraction: 0.2, seed: 1 }),
      );
      expect(error.message).toBe(
        `The dataset's fixed split names ${train} training rows, but it has 6 rows.`,
      );
    }
  });
});

describe('standardizing rows picked by index', () => {
  it('fits and reads exactly what copying the rows first gives, bit for bit', () => {
    const X = fromRows(
      Array.from({ length: 40 }, (_, i) => [Math.sin(i) * 7.3, i * i * 0.01, (i % 3) - 1e-3]),
    );
    const rows = [5, 0, 39, 12, 7, 7, 21, 33];
    const copied = selectRows(X, rows);
    const s = fitStandardization(X, rows);
    expect(s).toEqual(fitStandardization(copied));
    const view = featureRowsOf(X, rows, featureScale(X, s));
    // Fitting on the view (its rows through its index) is fitting on the copy.
    expect(fitStandardization({ ...view, scale: undefined })).toEqual(s);
    expect(Array.from(featureMatrix(view).data)).toEqual(
      Array.from(applyStandardization(copied, s).data),
    );
    expect(Array.from(featureMatrix(featureRowsOf(X, rows)).data)).toEqual(Array.from(copied.data));
  });
});
