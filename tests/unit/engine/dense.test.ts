import { describe, expect, it } from 'vitest';
import { denseBackward, denseForward } from '../../../src/lib/engine/dense';
import { defaultKernel } from '../../../src/lib/engine/matmul';
import { fromRows, toRows, zeros } from '../../../src/lib/engine/matrix';

describe('dense layer, worked by hand', () => {
  // Two samples, two inputs, three units.
  const Aprev = fromRows([
    [1, 2],
    [3, -1],
  ]);
  const W = fromRows([
    [0.5, -1, 2],
    [1, 0, -0.5],
  ]);
  const b = new Float64Array([0.1, 0.2, 0.3]);

  it('forward: Z = A_prev W + b', () => {
    const Z = zeros(2, 3);
    denseForward(defaultKernel, Aprev, W, b, Z);
    // row 1: [1*0.5 + 2*1, 1*-1 + 2*0, 1*2 + 2*-0.5] + b = [2.5, -1, 1] + b
    // row 2: [3*0.5 - 1*1, 3*-1 - 0, 3*2 + 0.5]       + b = [0.5, -3, 6.5] + b
    expect(toRows(Z)).toEqual([
      [2.6, -0.8, 1.3],
      [0.6, -2.8, 6.8],
    ]);
  });

  it('backward: dW = A_prevᵀ dZ, db = column sums, dA_prev = dZ Wᵀ', () => {
    const dZ = fromRows([
      [1, 0, -1],
      [2, 1, 0],
    ]);
    const dW = zeros(2, 3);
    const db = new Float64Array(3);
    const dAprev = zeros(2, 2);
    denseBackward(defaultKernel, Aprev, W, dZ, dW, db, dAprev);
    // dW[i][j] = Σ_n A_prev[n][i] dZ[n][j]
    expect(toRows(dW)).toEqual([
      [1 * 1 + 3 * 2, 1 * 0 + 3 * 1, 1 * -1 + 3 * 0],
      [2 * 1 + -1 * 2, 2 * 0 + -1 * 1, 2 * -1 + -1 * 0],
    ]);
    expect(Array.from(db)).toEqual([3, 1, -1]);
    // dA_prev[n][i] = Σ_j dZ[n][j] W[i][j]
    expect(toRows(dAprev)).toEqual([
      [0.5 - 2, 1 + 0.5],
      [1 - 1, 2 + 0],
    ]);
  });

  it('backward leaves dA_prev alone when none is asked for (first layer)', () => {
    const dW = zeros(2, 3);
    const db = new Float64Array(3);
    denseBackward(
      defaultKernel,
      Aprev,
      W,
      fromRows([
        [1, 1, 1],
        [1, 1, 1],
      ]),
      dW,
      db,
      null,
    );
    expect(Array.from(db)).toEqual([2, 2, 2]);
  });
});
