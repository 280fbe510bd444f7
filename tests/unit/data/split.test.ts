import { describe, expect, it } from 'vitest';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { splitDataset, splitIndices } from '../../../src/lib/data/split';
import { generateSynthetic } from '../../../src/lib/data/synthetic';
import type { Dataset } from '../../../src/lib/data/types';
import { zeros } from '../../../src/lib/engine/matrix';
import { featureMatrix } from '../../../src/lib/engine/feature-rows';

function classificationOf(labels: number[], classCount: number): Dataset {
  const X = zeros(labels.length, 1);
  labels.forEach((_, i) => (X.data[i] = i));
  return {
    name: 'labels',
    features: ['row'],
    target: 'class',
    task: 'classification',
    classes: Array.from({ length: classCount }, (_, k) => `c${k}`),
    X,
    y: Float64Array.from(labels),
  };
}

function countsOf(dataset: Dataset, rows: number[]): number[] {
  const counts = dataset.classes.map(() => 0);
  for (const i of rows) counts[dataset.y[i]]++;
  return counts;
}

describe('splitIndices', () => {
  it('the same seed gives the same split, another seed another one', async () => {
    const iris = await loadBuiltinDatasetNode('iris');
    const a = splitIndices(iris, { testFraction: 0.2, seed: 42 });
    const b = splitIndices(iris, { testFraction: 0.2, seed: 42 });
    const c = splitIndices(iris, { testFraction: 0.2, seed: 43 });
    expect(a).toEqual(b);
    expect(new Set(a.test)).not.toEqual(new Set(c.test));
  });

  it('uses every row exactly once', async () => {
    const iris = await loadBuiltinDatasetNode('iris');
    const { train, test } = splitIndices(iris, { testFraction: 0.3, seed: 1 });
    expect([...train, ...test].sort((x, y) => x - y)).toEqual(
      Array.from({ length: 150 }, (_, i) => i),
    );
  });

  it('is stratified: iris at 20% tests 10 of each species', async () => {
    const iris = await loadBuiltinDatasetNode('iris');
    const { train, test } = splitIndices(iris, { testFraction: 0.2, seed: 5 });
    expect(countsOf(iris, test)).toEqual([10, 10, 10]);
    expect(countsOf(iris, train)).toEqual([40, 40, 40]);
  });

  it('keeps unequal class proportions: breast_cancer 212/357 at 20%', async () => {
    const cancer = await loadBuiltinDatasetNode('breast_cancer');
    const { test } = splitIndices(cancer, { testFraction: 0.2, seed: 5 });
    // round(0.2 * 569) = 114 rows; 0.2 * 212 = 42.4 and 0.2 * 357 = 71.4, floors 42 + 71 = 113,
    // the one row left goes to the first of the equal remainders.
    expect(test).toHaveLength(114);
    expect(countsOf(cancer, test)).toEqual([43, 71]);
  });

  it('gives the leftover test rows to the classes with the largest remainders', () => {
    // Classes of 7, 5 and 3 rows at 50%: exact 3.5, 2.5, 1.5 -> floors 3, 2, 1 (6);
    // round(7.5) = 8 rows, so two more go to the first two of the equal remainders.
    const labels = [...Array(7).fill(0), ...Array(5).fill(1), ...Array(3).fill(2)];
    const d = classificationOf(labels, 3);
    const { test } = splitIndices(d, { testFraction: 0.5, seed: 3 });
    expect(countsOf(d, test)).toEqual([4, 3, 1]);
  });

  it('shuffles the classes together, so a split is not sorted by class', async () => {
    const iris = await loadBuiltinDatasetNode('iris');
    const { train } = splitIndices(iris, { testFraction: 0.2, seed: 5 });
    const firstForty = countsOf(iris, train.slice(0, 40));
    expect(firstForty.every((c) => c > 0)).toBe(true);
  });

  it('splits regression data by plain fraction', () => {
    const runge = generateSynthetic('runge', { n: 101 });
    const { train, test } = splitIndices(runge, { testFraction: 0.25, seed: 1 });
    expect(test).toHaveLength(25);
    expect(train).toHaveLength(76);
  });

  it('testFraction 0 keeps everything for training; the training set is never empty', () => {
    const d = classificationOf([0, 1, 0, 1], 2);
    expect(splitIndices(d, { testFraction: 0, seed: 1 }).test).toEqual([]);
    const tiny = classificationOf([0, 1], 2);
    expect(splitIndices(tiny, { testFraction: 0.9, seed: 1 }).train).toHaveLength(1);
  });

  it('rejects a test fraction outside [0, 1)', () => {
    const d = classificationOf([0, 1], 2);
    for (const f of [-0.1, 1, 1.5, Number.NaN])
      expect(() => splitIndices(d, { testFraction: f, seed: 1 })).toThrow(/test fraction/);
  });
});

describe('splitDataset', () => {
  it('copies the chosen rows of X and y in index order', () => {
    const d = classificationOf([0, 1, 0, 1, 0, 1, 0, 1, 0, 1], 2);
    const { train, test, indices } = splitDataset(d, { testFraction: 0.4, seed: 2 });
    // X holds the row number, so it must equal the indices.
    expect(Array.from(featureMatrix(test.X).data)).toEqual(indices.test);
    expect(Array.from(featureMatrix(train.X).data)).toEqual(indices.train);
    expect(Array.from(test.y)).toEqual(indices.test.map((i) => i % 2));
    expect(train.classes).toEqual(d.classes);
  });
});
