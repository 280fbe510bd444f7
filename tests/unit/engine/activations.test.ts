import { describe, expect, it } from 'vitest';
import { createActivation, softmax } from '../../../src/lib/engine/activations';
import { fromRows, zeros, type Matrix } from '../../../src/lib/engine/matrix';
import { createRng } from '../../../src/lib/engine/rng';
import type { ActivationName } from '../../../src/lib/engine/spec';
import { randomMatrix } from './helpers';

/** Reference formulas, written independently of the engine. */
const reference: Record<Exclude<ActivationName, 'softmax'>, (z: number) => number> = {
  identity: (z) => z,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: (z) => (Math.exp(z) - Math.exp(-z)) / (Math.exp(z) + Math.exp(-z)),
  relu: (z) => Math.max(0, z),
  leaky_relu: (z) => (z > 0 ? z : 0.01 * z),
  elu: (z) => (z > 0 ? z : Math.exp(z) - 1),
};
const ENTRYWISE = Object.keys(reference) as (keyof typeof reference)[];

function apply(name: ActivationName, Z: Matrix, alpha?: number): Matrix {
  const A = zeros(Z.rows, Z.cols);
  createActivation(name, alpha).forward(Z, A);
  return A;
}

describe('entry-wise activations', () => {
  const rng = createRng(7);
  const Z = randomMatrix(5, 3, rng, 2);

  it.each(ENTRYWISE)('%s forward matches its formula', (name) => {
    const A = apply(name, Z);
    Z.data.forEach((z, i) => expect(A.data[i]).toBeCloseTo(reference[name](z), 14));
  });

  it.each(ENTRYWISE)('%s backward is dA times the central-difference derivative', (name) => {
    const dA = randomMatrix(5, 3, rng);
    const A = apply(name, Z);
    const dZ = zeros(5, 3);
    createActivation(name).backward(Z, A, dA, dZ);
    const h = 1e-6;
    Z.data.forEach((z, i) => {
      const slope = (reference[name](z + h) - reference[name](z - h)) / (2 * h);
      expect(Math.abs(dZ.data[i] - dA.data[i] * slope)).toBeLessThan(1e-8);
    });
  });

  it('sigmoid is stable for huge inputs', () => {
    const A = apply('sigmoid', fromRows([[-1000, 1000, 0]]));
    expect(Array.from(A.data)).toEqual([0, 1, 0.5]);
  });

  it('relu has derivative 0 at 0; leaky_relu has slope alpha there', () => {
    const Z = fromRows([[0, 0]]);
    const dA = fromRows([[3, -2]]);
    const dZ = zeros(1, 2);
    createActivation('relu').backward(Z, apply('relu', Z), dA, dZ);
    expect(Array.from(dZ.data)).toEqual([0, 0]);
    createActivation('leaky_relu', 0.2).backward(Z, apply('leaky_relu', Z, 0.2), dA, dZ);
    expect(dZ.data[0]).toBeCloseTo(0.2 * 3, 15);
    expect(dZ.data[1]).toBeCloseTo(0.2 * -2, 15);
  });

  it('leaky_relu and elu take their alpha', () => {
    const Z = fromRows([[-2, 3]]);
    expect(Array.from(apply('leaky_relu', Z, 0.1).data)).toEqual([-0.2, 3]);
    const e = apply('elu', Z, 0.5);
    expect(e.data[0]).toBeCloseTo(0.5 * (Math.exp(-2) - 1), 15);
    expect(e.data[1]).toBe(3);
  });
});

describe('softmax', () => {
  it('matches e^z / Σ e^z and rows sum to 1', () => {
    const Z = fromRows([
      [1, 2, 3],
      [-1, 0, 0.5],
    ]);
    const A = apply('softmax', Z);
    for (let i = 0; i < 2; i++) {
      const row = Array.from(Z.data.subarray(i * 3, i * 3 + 3));
      const sum = row.reduce((s, z) => s + Math.exp(z), 0);
      row.forEach((z, k) => expect(A.data[i * 3 + k]).toBeCloseTo(Math.exp(z) / sum, 15));
    }
  });

  it('subtracts the row max: huge logits do not overflow', () => {
    const Z = fromRows([
      [1000, 1001, 1002],
      [-1000, 0, 1000],
      [1e308, 1e308, -1e308],
    ]);
    const A = apply('softmax', Z);
    expect(A.data.every(Number.isFinite)).toBe(true);
    for (let i = 0; i < 3; i++) {
      const sum = A.data[i * 3] + A.data[i * 3 + 1] + A.data[i * 3 + 2];
      expect(sum).toBeCloseTo(1, 15);
    }
    // softmax is shift-invariant: [1000, 1001, 1002] gives softmax([0, 1, 2]).
    const denominator = 1 + Math.E + Math.E ** 2;
    expect(A.data[0]).toBeCloseTo(1 / denominator, 15);
    expect(A.data[2]).toBeCloseTo(Math.E ** 2 / denominator, 15);
    expect(Array.from(A.data.subarray(3, 6))).toEqual([0, 0, 1]);
    expect(Array.from(A.data.subarray(6, 9))).toEqual([0.5, 0.5, 0]);
  });

  it('backward is the Jacobian-vector product (checked against finite differences)', () => {
    const rng = createRng(3);
    const Z = randomMatrix(4, 5, rng);
    const dA = randomMatrix(4, 5, rng);
    const A = apply('softmax', Z);
    const dZ = zeros(4, 5);
    softmax.backward(Z, A, dA, dZ);
    const h = 1e-6;
    for (let i = 0; i < Z.data.length; i++) {
      const z = Z.data[i];
      Z.data[i] = z + h;
      const plus = apply('softmax', Z);
      Z.data[i] = z - h;
      const minus = apply('softmax', Z);
      Z.data[i] = z;
      let expected = 0;
      for (let j = 0; j < dA.data.length; j++)
        expected += (dA.data[j] * (plus.data[j] - minus.data[j])) / (2 * h);
      expect(Math.abs(dZ.data[i] - expected)).toBeLessThan(1e-9);
    }
  });
});
