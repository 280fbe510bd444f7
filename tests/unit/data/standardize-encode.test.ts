import { describe, expect, it } from 'vitest';
import { column, encodeTargets, oneHot, targetWidth } from '../../../src/lib/data/encode';
import { applyStandardization, fitStandardization } from '../../../src/lib/data/standardize';
import { DataError } from '../../../src/lib/data/errors';
import { fromRows, toRows } from '../../../src/lib/engine/matrix';

describe('standardization', () => {
  it('fits mean and population std per column; a constant column gets std 1', () => {
    // Column 0: 1, 3, 5 -> mean 3, std sqrt((4 + 0 + 4) / 3) = sqrt(8/3). Column 1 is constant.
    const s = fitStandardization(
      fromRows([
        [1, 10],
        [3, 10],
        [5, 10],
      ]),
    );
    expect(s.mean).toEqual([3, 10]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 15);
    expect(s.std[1]).toBe(1);
  });

  it('applies (x - mean) / std to any rows with the fitted numbers', () => {
    const s = { mean: [2, 10], std: [0.5, 4] };
    const out = applyStandardization(
      fromRows([
        [3, 2],
        [2, 18],
      ]),
      s,
    );
    expect(toRows(out)).toEqual([
      [2, -2],
      [0, 2],
    ]);
  });

  it('refuses a standardization with the wrong number of features', () => {
    expect(() => applyStandardization(fromRows([[1, 2]]), { mean: [0], std: [1] })).toThrow(
      /1 means and 1 stds for 2 features/,
    );
  });
});

describe('target encoding', () => {
  it('one-hot puts a 1 in the class column', () => {
    expect(toRows(oneHot([2, 0, 1], 3))).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(() => oneHot([3], 3)).toThrow(/outside 0..2/);
  });

  it('cross-entropy and mse on classes use one-hot; binary cross-entropy one column t', () => {
    const y = [1, 0, 1];
    const classes = ['no', 'yes'];
    expect(toRows(encodeTargets(y, 'classification', classes, 'cross_entropy'))).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    expect(toRows(encodeTargets(y, 'classification', classes, 'mse'))).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    // t = 1 for the second class, "yes".
    expect(toRows(encodeTargets(y, 'classification', classes, 'binary_cross_entropy'))).toEqual([
      [1],
      [0],
      [1],
    ]);
  });

  it('regression targets are one column of values', () => {
    expect(toRows(encodeTargets([0.5, -2], 'regression', [], 'mse'))).toEqual([[0.5], [-2]]);
    expect(toRows(column([1, 2]))).toEqual([[1], [2]]);
  });

  it('says when the loss does not fit the targets', () => {
    expect(() =>
      encodeTargets([0, 1, 2], 'classification', ['a', 'b', 'c'], 'binary_cross_entropy'),
    ).toThrow(
      new DataError(
        'Binary cross-entropy needs exactly 2 classes, but this dataset has 3. Use cross-entropy with a softmax.',
      ),
    );
    expect(() => encodeTargets([0.5], 'regression', [], 'cross_entropy')).toThrow(
      /Cross-entropy needs class labels/,
    );
  });

  it('targetWidth matches the encodings', () => {
    expect(targetWidth('classification', 3, 'cross_entropy')).toBe(3);
    expect(targetWidth('classification', 2, 'binary_cross_entropy')).toBe(1);
    expect(targetWidth('regression', 0, 'mse')).toBe(1);
  });
});
