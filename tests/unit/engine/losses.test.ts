import { describe, expect, it } from 'vitest';
import { sigmoid, softmax } from '../../../src/lib/engine/activations';
import { binaryCrossEntropy, crossEntropy, mse, type Loss } from '../../../src/lib/engine/losses';
import { fromRows, zeros, type Matrix } from '../../../src/lib/engine/matrix';
import { createRng } from '../../../src/lib/engine/rng';
import { randomMatrix } from './helpers';

function numericalGradient(value: (M: Matrix) => number, M: Matrix, h = 1e-6): Float64Array {
  const g = new Float64Array(M.data.length);
  for (let i = 0; i < M.data.length; i++) {
    const x = M.data[i];
    M.data[i] = x + h;
    const plus = value(M);
    M.data[i] = x - h;
    const minus = value(M);
    M.data[i] = x;
    g[i] = (plus - minus) / (2 * h);
  }
  return g;
}

function gradientOf(loss: Loss, P: Matrix, T: Matrix): Float64Array {
  const dP = zeros(P.rows, P.cols);
  loss.gradient(P, T, dP);
  return dP.data;
}

describe('mse', () => {
  const P = fromRows([
    [1, 2],
    [3, 5],
  ]);
  const T = fromRows([
    [0, 2],
    [4, 3],
  ]);
  it('is the mean of squared errors over all B*K entries', () => {
    // (1 + 0 + 1 + 4) / 4
    expect(mse.value(P, T)).toBe(1.5);
  });
  it('has gradient 2 (P - T) / (B K)', () => {
    expect(Array.from(gradientOf(mse, P, T))).toEqual([0.5, 0, -0.5, 1]);
  });
});

describe('cross_entropy', () => {
  const P = fromRows([
    [0.7, 0.2, 0.1],
    [0.1, 0.5, 0.4],
  ]);
  const T = fromRows([
    [1, 0, 0],
    [0, 0, 1],
  ]);
  it('is -(1/B) Σ T log P', () => {
    expect(crossEntropy.value(P, T)).toBeCloseTo(-(Math.log(0.7) + Math.log(0.4)) / 2, 15);
  });
  it('has gradient -T / (B P), matching finite differences', () => {
    const expected = numericalGradient((M) => crossEntropy.value(M, T), P);
    gradientOf(crossEntropy, P, T).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 8));
  });
  it('costs a large finite amount, not Infinity, when the right class has probability 0', () => {
    const value = crossEntropy.value(fromRows([[0, 1]]), fromRows([[1, 0]]));
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(600);
  });
});

describe('binary_cross_entropy', () => {
  const P = fromRows([[0.8], [0.3], [0.6]]);
  const T = fromRows([[1], [0], [0]]);
  it('is -(1/B) Σ [t log p + (1-t) log(1-p)]', () => {
    expect(binaryCrossEntropy.value(P, T)).toBeCloseTo(
      -(Math.log(0.8) + Math.log(0.7) + Math.log(0.4)) / 3,
      15,
    );
  });
  it('has gradient (p - t) / (B p (1 - p)), matching finite differences', () => {
    const expected = numericalGradient((M) => binaryCrossEntropy.value(M, T), P);
    gradientOf(binaryCrossEntropy, P, T).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 8));
  });
  it('stays finite when p is exactly 0 or 1', () => {
    const value = binaryCrossEntropy.value(fromRows([[1], [0]]), fromRows([[0], [1]]));
    expect(Number.isFinite(value)).toBe(true);
  });
});

describe('fused softmax + cross_entropy and sigmoid + binary_cross_entropy', () => {
  const rng = createRng(11);
  const cases = [
    { loss: crossEntropy, activation: softmax, cols: 4 },
    { loss: binaryCrossEntropy, activation: sigmoid, cols: 1 },
  ];
  it.each(cases)(
    '$loss.name: the value from logits equals the value from P',
    ({ loss, activation, cols }) => {
      const Z = randomMatrix(5, cols, rng, 3);
      const P = zeros(5, cols);
      activation.forward(Z, P);
      const T = zeros(5, cols);
      for (let i = 0; i < 5; i++)
        T.data[i * cols + (cols === 1 ? 0 : rng.int(cols))] = cols === 1 ? rng.int(2) : 1;
      expect(loss.fusedValue(Z, T)).toBeCloseTo(loss.value(P, T), 13);
    },
  );

  it.each(cases)(
    '$loss.name: (P - T)/B is the gradient w.r.t. the logits',
    ({ loss, activation, cols }) => {
      const Z = randomMatrix(3, cols, rng, 2);
      const T = zeros(3, cols);
      for (let i = 0; i < 3; i++) T.data[i * cols + (cols === 1 ? 0 : rng.int(cols))] = 1;
      const P = zeros(3, cols);
      activation.forward(Z, P);
      const dZ = zeros(3, cols);
      loss.fusedGradient(P, T, dZ);
      P.data.forEach((p, i) => expect(dZ.data[i]).toBeCloseTo((p - T.data[i]) / 3, 15));
      // ... and the derivative of the loss of activation(Z):
      const valueOfLogits = (M: Matrix) => {
        const Q = zeros(M.rows, M.cols);
        activation.forward(M, Q);
        return loss.value(Q, T);
      };
      const expected = numericalGradient(valueOfLogits, Z);
      dZ.data.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 8));
    },
  );

  it('the value from logits is exact where P rounds to 0 or 1', () => {
    // -log softmax([0, 800])_0 = 800 + log(1 + e^-800) = 800.
    expect(crossEntropy.fusedValue(fromRows([[0, 800]]), fromRows([[1, 0]]))).toBe(800);
    // -log(1 - σ(50)) = 50 + log(1 + e^-50)
    expect(binaryCrossEntropy.fusedValue(fromRows([[50]]), fromRows([[0]]))).toBeCloseTo(
      50 + Math.log1p(Math.exp(-50)),
      12,
    );
  });
});
