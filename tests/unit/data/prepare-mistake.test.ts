/**
 * The "scaler fitted before the split" teaching mistake: mean and std come from all rows (test
 * rows included) instead of the training split, so the training split is no longer exactly
 * centred and scaled, and the whole data set is.
 */
import { describe, expect, it } from 'vitest';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { prepareData } from '../../../src/lib/data/prepare';
import { toRows } from '../../../src/lib/engine/matrix';
import { meanAndStd } from './helpers';
import { featureMatrix } from '../../../src/lib/engine/feature-rows';

describe('prepareData with fitScalerOnAllRows (a teaching mistake)', () => {
  it('fits mean and std on every row, so the test rows leak into the scaler', async () => {
    const iris = await loadBuiltinDatasetNode('iris');
    const options = { testFraction: 0.2, seed: 42, standardize: true };
    const correct = prepareData(iris, options, 'cross_entropy');
    const leaky = prepareData(iris, { ...options, fitScalerOnAllRows: true }, 'cross_entropy');
    // The same split, the same targets: only the scaler differs.
    expect(leaky.yTrain).toEqual(correct.yTrain);
    expect(leaky.yTest).toEqual(correct.yTest);
    const all = toRows(featureMatrix(iris.X));
    for (let j = 0; j < 4; j++) {
      const { mean, std } = meanAndStd(all.map((r) => r[j]));
      expect(leaky.standardize!.mean[j]).toBeCloseTo(mean, 12);
      expect(leaky.standardize!.std[j]).toBeCloseTo(std, 12);
      const train = meanAndStd(toRows(featureMatrix(leaky.xTrain)).map((r) => r[j]));
      // No longer exactly centred on the training rows.
      expect(Math.abs(train.mean)).toBeGreaterThan(1e-6);
    }
    expect(leaky.standardize).not.toEqual(correct.standardize);
  });
});
