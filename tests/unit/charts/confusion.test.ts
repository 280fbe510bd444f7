import { describe, expect, it } from 'vitest';
import {
  confusionMatrixProblem,
  diagonalTotals,
  labelsNeedRotation,
  rowShares,
} from '../../../src/lib/components/charts/confusion';

describe('rowShares', () => {
  it('divides each row by its own total', () => {
    expect(
      rowShares([
        [8, 2],
        [1, 3],
      ]),
    ).toEqual([
      [0.8, 0.2],
      [0.25, 0.75],
    ]);
  });
  it('leaves a class with no samples at zero instead of NaN', () => {
    expect(
      rowShares([
        [0, 0],
        [5, 5],
      ]),
    ).toEqual([
      [0, 0],
      [0.5, 0.5],
    ]);
  });
});

describe('diagonalTotals', () => {
  it('counts all samples and the correctly classified ones', () => {
    expect(
      diagonalTotals([
        [10, 0, 0],
        [0, 9, 1],
        [0, 2, 8],
      ]),
    ).toEqual({ total: 30, diagonal: 27 });
  });
});

describe('confusionMatrixProblem', () => {
  it('accepts a square matrix matching the classes', () => {
    expect(
      confusionMatrixProblem(
        [
          [1, 0],
          [0, 1],
        ],
        ['a', 'b'],
      ),
    ).toBeNull();
  });
  it('explains wrong shapes and bad counts', () => {
    expect(confusionMatrixProblem([[1, 2]], ['a', 'b'])).toMatch(/1 rows but there are 2 classes/);
    expect(confusionMatrixProblem([[1], [2, 3]], ['a', 'b'])).toMatch(/Row 1 \(a\).*1 cells/);
    expect(
      confusionMatrixProblem(
        [
          [1, -1],
          [0, 1],
        ],
        ['a', 'b'],
      ),
    ).toMatch(/\(a, b\).*-1/);
    expect(confusionMatrixProblem([[NaN]], ['a'])).toMatch(/NaN/);
    expect(confusionMatrixProblem([], [])).toMatch(/at least one class/);
  });
});

describe('labelsNeedRotation', () => {
  it('rotates long class names in narrow cells only', () => {
    expect(labelsNeedRotation(['0', '1', '9'], 30)).toBe(false);
    expect(labelsNeedRotation(['setosa', 'versicolor'], 52)).toBe(true);
    expect(labelsNeedRotation(['setosa', 'versicolor'], 120)).toBe(false);
  });
});
