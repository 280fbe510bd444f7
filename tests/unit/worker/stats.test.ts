/** Unit statistics on constructed activations, and norms against hand-computed values. */
import { describe, expect, it } from 'vitest';
import { fromRows } from '../../../src/lib/engine/matrix';
import {
  absoluteMeanMax,
  activationLayerStats,
  deadFraction,
  denseLayerStats,
  frobeniusNorm,
  saturatedFraction,
} from '../../../src/lib/worker/stats';

describe('worker statistics', () => {
  it('norms, mean and max of |g| by hand', () => {
    expect(frobeniusNorm(Float64Array.from([3, -4]))).toBe(5);
    expect(absoluteMeanMax(Float64Array.from([1, -3, 2]))).toEqual({ mean: 2, max: 3 });
    expect(absoluteMeanMax(Float64Array.from([1, NaN])).max).toBeNaN();
    const stats = denseLayerStats(
      {
        id: 'd',
        dW: fromRows([
          [1, -2],
          [2, 0],
        ]),
        db: Float64Array.from([0, 3]),
      },
      {
        id: 'd',
        W: fromRows([
          [0, 0],
          [0, 0],
        ]),
        b: new Float64Array(2),
      },
      { id: 'd', deltaWNorm: 0.5, wNorm: 2 },
    );
    expect(stats).toEqual({
      id: 'd',
      inputSize: 2,
      units: 2,
      gradWNorm: 3,
      gradBNorm: 3,
      meanAbsGrad: 1.25,
      maxAbsGrad: 2,
      weightNorm: 2,
      updateRatio: 0.25,
    });
  });

  it('a relu unit is dead only when its output is exactly 0 in every row', () => {
    const input = fromRows([
      [-1, -2, 1e-12, -3],
      [-0.5, 0.3, -1, -3],
      [-2, -1, -1, -3],
    ]);
    const output = fromRows(
      input.data.reduce<number[][]>((rows, v, i) => {
        if (i % 4 === 0) rows.push([]);
        rows[rows.length - 1].push(Math.max(0, v));
        return rows;
      }, []),
    );
    // Units 0 and 3 are 0 everywhere; unit 1 fires once, unit 2 barely (1e-12) once.
    expect(deadFraction('relu', input, output)).toBe(2 / 4);
  });

  it('leaky_relu and elu units count as dead when their input is ≤ 0 in every row', () => {
    const input = fromRows([
      [-1, 2],
      [0, -1],
    ]);
    const leaky = fromRows([
      [-0.01, 2],
      [0, -0.01],
    ]);
    expect(deadFraction('leaky_relu', input, leaky)).toBe(1 / 2);
    const stats = activationLayerStats(
      { id: 'e', type: 'activation', inputs: [], fn: 'elu', size: 2 },
      input,
      leaky,
    );
    expect(stats.deadFraction).toBe(1 / 2);
    expect(stats.saturatedFraction).toBeNull();
  });

  it('a sigmoid unit is saturated when within 0.01 of 0 or 1 in at least 95% of the rows', () => {
    // 20 rows: unit 0 near 1 in all rows; unit 1 near 0 in 19 of 20 (95%); unit 2 near a bound in
    // 18 of 20 (90%); unit 3 at 0.5 (mixed bounds count: unit 4 alternates 0.001 and 0.999).
    const rows = Array.from({ length: 20 }, (_, i) => [
      0.995,
      i === 0 ? 0.5 : 0.009,
      i < 2 ? 0.5 : 0.991,
      0.5,
      i % 2 ? 0.001 : 0.999,
    ]);
    expect(saturatedFraction('sigmoid', fromRows(rows))).toBe(3 / 5);
    const stats = activationLayerStats(
      { id: 's', type: 'activation', inputs: [], fn: 'sigmoid', size: 5 },
      fromRows(rows),
      fromRows(rows),
    );
    expect(stats).toMatchObject({ deadFraction: null, saturatedFraction: 3 / 5 });
  });

  it('a tanh unit is saturated near -1 or 1, not near 0', () => {
    const out = fromRows([
      [-0.995, 0.002, 0.98],
      [-0.999, 0.001, 0.999],
    ]);
    expect(saturatedFraction('tanh', out)).toBe(1 / 3);
    expect(
      activationLayerStats(
        { id: 'i', type: 'activation', inputs: [], fn: 'identity', size: 3 },
        out,
        out,
      ),
    ).toEqual({ id: 'i', fn: 'identity', units: 3, deadFraction: null, saturatedFraction: null });
  });
});
