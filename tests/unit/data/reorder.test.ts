/**
 * The in-place prepare (the CLI's: no second copy of the features) against the copying one: rows
 * reordered in the matrix's own buffer as a gather would copy them, and the same split matrices,
 * standardization and targets, bit for bit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { prepareData } from '../../../src/lib/data/prepare';
import { reorderRowsInPlace } from '../../../src/lib/data/reorder';
import { generateSynthetic } from '../../../src/lib/data/synthetic';
import type { Dataset } from '../../../src/lib/data/types';
import { featureMatrix } from '../../../src/lib/engine/feature-rows';
import { cloneMatrix, gatherRows, zeros, type Matrix } from '../../../src/lib/engine/matrix';

function copyOf(d: Dataset<Matrix>): Dataset<Matrix> {
  return { ...d, X: cloneMatrix(d.X), y: d.y.slice() };
}

describe('reorderRowsInPlace', () => {
  it('gives the rows a gather would copy, for any permutation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((n) =>
          fc.tuple(
            fc.shuffledSubarray(
              Array.from({ length: n }, (_, i) => i),
              { minLength: n, maxLength: n },
            ),
            fc.integer({ min: 1, max: 5 }),
          ),
        ),
        ([order, cols]) => {
          const X = zeros(order.length, cols);
          for (let k = 0; k < X.data.length; k++) X.data[k] = k * 1.5 - 7;
          const expected = gatherRows(X, order, zeros(X.rows, cols));
          reorderRowsInPlace(X, order);
          expect(Array.from(X.data)).toEqual(Array.from(expected.data));
        },
      ),
    );
  });

  it('refuses an order that is not a permutation', () => {
    expect(() => reorderRowsInPlace(zeros(3, 2), [0, 1])).toThrow(/2 entries for 3 rows/);
    expect(() => reorderRowsInPlace(zeros(3, 2), [1, 0, 0])).toThrow(/row 0 twice/);
  });
});

describe('prepareData with inPlace', () => {
  const cases: [string, () => Promise<Dataset<Matrix>>][] = [
    ['iris', async () => featureOnly(await loadBuiltinDatasetNode('iris'))],
    ['digits', async () => featureOnly(await loadBuiltinDatasetNode('digits'))],
    ['runge (regression)', () => Promise.resolve(generateSynthetic('runge'))],
  ];
  for (const [name, load] of cases)
    it(`${name}: the same splits, standardization and targets as the viewing prepare`, async () => {
      const dataset = await load();
      for (const standardize of [true, false]) {
        const options = { testFraction: 0.25, seed: 5, standardize };
        const copied = prepareData(copyOf(dataset), options, 'mse');
        const reused = copyOf(dataset);
        const inPlace = prepareData(reused, { ...options, inPlace: true }, 'mse');
        expect(Array.from(inPlace.xTrain.data)).toEqual(
          Array.from(featureMatrix(copied.xTrain).data),
        );
        expect(Array.from(inPlace.xTest.data)).toEqual(
          Array.from(featureMatrix(copied.xTest).data),
        );
        expect(Array.from(inPlace.yTrain.data)).toEqual(Array.from(copied.yTrain.data));
        expect(Array.from(inPlace.yTest.data)).toEqual(Array.from(copied.yTest.data));
        expect(inPlace.standardize).toEqual(copied.standardize);
        // No copy: both splits are views of the dataset's own buffer.
        expect(inPlace.xTrain.data.buffer).toBe(reused.X.data.buffer);
        expect(inPlace.xTest.data.buffer).toBe(reused.X.data.buffer);
      }
    });
});

function featureOnly(d: Dataset): Dataset<Matrix> {
  return { ...d, X: featureMatrix(d.X) };
}
