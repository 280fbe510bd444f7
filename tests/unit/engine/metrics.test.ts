import { describe, expect, it } from 'vitest';
import { fromRows } from '../../../src/lib/engine/matrix';
import { accuracy, rSquared } from '../../../src/lib/engine/metrics';

describe('metrics', () => {
  it('accuracy takes the argmax of each row with several outputs', () => {
    const P = fromRows([
      [0.7, 0.2, 0.1],
      [0.1, 0.3, 0.6],
      [0.5, 0.4, 0.1],
      [0.2, 0.5, 0.3],
    ]);
    const T = fromRows([
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    expect(accuracy(P, T)).toBe(3 / 4);
  });
  it('accuracy thresholds a single output at 0.5', () => {
    expect(accuracy(fromRows([[0.9], [0.4], [0.5], [0.2]]), fromRows([[1], [1], [1], [0]]))).toBe(
      3 / 4,
    );
  });
  it('R² is 1 - SS_res / SS_tot', () => {
    const T = fromRows([[1], [2], [3], [4]]); // mean 2.5, SS_tot = 5
    const P = fromRows([[1.5], [2], [2.5], [4]]); // SS_res = 0.25 + 0 + 0.25 + 0
    expect(rSquared(P, T)).toBeCloseTo(1 - 0.5 / 5, 15);
    expect(rSquared(T, T)).toBe(1);
    expect(rSquared(fromRows([[2.5], [2.5], [2.5], [2.5]]), T)).toBe(0);
  });
});
