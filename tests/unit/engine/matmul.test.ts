import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  blockedKernel,
  defaultKernel,
  referenceKernel,
  wasmSimdKernel,
  type MatmulKernel,
} from '../../../src/lib/engine/matmul';
import { fromRows, toRows, zeros, type Matrix } from '../../../src/lib/engine/matrix';
import {
  createNetwork,
  forward,
  getWeights,
  lossAndGradients,
} from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import { chainSpec } from './helpers';

/** A matrix with entries from `values` (cycled), so shapes and contents vary independently. */
function matrixOf(rows: number, cols: number, values: number[]): Matrix {
  const m = zeros(rows, cols);
  for (let i = 0; i < rows * cols; i++) m.data[i] = values[i % values.length];
  return m;
}

/** Σ_p A(i, p) B(p, j) written directly from the definition, element by element. */
function definition(
  m: number,
  n: number,
  k: number,
  A: (i: number, p: number) => number,
  B: (p: number, j: number) => number,
): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += A(i, p) * B(p, j);
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}

const size = fc.integer({ min: 1, max: 13 });
const entries = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), {
  minLength: 1,
  maxLength: 40,
});
const shapes = fc.record({ m: size, k: size, n: size, a: entries, b: entries });

/** Shapes the blocked kernel must handle at its edges: 1 x n, n x 1, below and around its 4 x 4 tile. */
const EDGE_SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 9],
  [9, 7, 1],
  [1, 1, 12],
  [12, 1, 1],
  [4, 4, 4],
  [3, 5, 3],
  [5, 3, 5],
  [8, 17, 12],
  [33, 65, 11],
  [64, 128, 10],
  // beyond the WebAssembly kernel's chunks: more than 256 rows, sums longer than 128
  [1030, 3, 6],
  [300, 130, 7],
  [5, 600, 3],
  [261, 257, 6],
];

/** Node 20 and every current browser run WebAssembly SIMD, so here the kernel must exist. */
const FAST_KERNELS: [string, MatmulKernel][] = [
  ['blocked', blockedKernel],
  ['WebAssembly SIMD', wasmSimdKernel as MatmulKernel],
];

it('the WebAssembly SIMD kernel is available in this runtime', () => {
  expect(wasmSimdKernel).not.toBeNull();
});

describe.each([['reference', referenceKernel], ...FAST_KERNELS] as [string, MatmulKernel][])(
  '%s kernel against the definition',
  (_name, kernel) => {
    it('matmul, matmulTransA, matmulTransB on random shapes', () => {
      fc.assert(
        fc.property(shapes, ({ m, k, n, a, b }) => {
          const A = matrixOf(m, k, a),
            B = matrixOf(k, n, b);
          const At = matrixOf(k, m, a),
            Bt = matrixOf(n, k, b);
          const out = zeros(m, n);
          // Each output is summed over p in order from 0, so the results are exactly equal.
          kernel.matmul(A, B, out);
          expect(toRows(out)).toEqual(
            definition(
              m,
              n,
              k,
              (i, p) => A.data[i * k + p],
              (p, j) => B.data[p * n + j],
            ),
          );
          kernel.matmulTransA(At, B, out);
          expect(toRows(out)).toEqual(
            definition(
              m,
              n,
              k,
              (i, p) => At.data[p * m + i],
              (p, j) => B.data[p * n + j],
            ),
          );
          kernel.matmulTransB(A, Bt, out);
          expect(toRows(out)).toEqual(
            definition(
              m,
              n,
              k,
              (i, p) => A.data[i * k + p],
              (p, j) => Bt.data[j * k + p],
            ),
          );
        }),
        { numRuns: 150 },
      );
    });
  },
);

describe.each(FAST_KERNELS)('%s kernel', (_name, kernel) => {
  it.each(EDGE_SHAPES)('matches the reference kernel bit for bit at %i x %i x %i', (m, k, n) => {
    const values = Array.from({ length: 97 }, (_, i) => Math.sin(i * 1.7) * 3);
    const A = matrixOf(m, k, values),
      B = matrixOf(k, n, values.slice(5)),
      At = matrixOf(k, m, values.slice(11)),
      Bt = matrixOf(n, k, values.slice(23));
    for (const [op, x, y] of [
      ['matmul', A, B],
      ['matmulTransA', At, B],
      ['matmulTransB', A, Bt],
    ] as const) {
      const expected = zeros(m, n),
        actual = zeros(m, n);
      referenceKernel[op](x, y, expected);
      // Stale values in the output must not leak into the result.
      actual.data.fill(123);
      kernel[op](x, y, actual);
      expect(Array.from(actual.data), op).toEqual(Array.from(expected.data));
    }
  });

  it('writes only the m x n entries of a longer output buffer', () => {
    const A = fromRows([
      [1, 2],
      [3, 4],
    ]);
    const out: Matrix = { rows: 2, cols: 2, data: new Float64Array(6).fill(-1) };
    kernel.matmul(A, A, out);
    expect(Array.from(out.data)).toEqual([7, 10, 15, 22, -1, -1]);
  });

  it('gives zeros for an empty sum and leaves an empty output alone', () => {
    const out = zeros(2, 3);
    out.data.fill(5);
    kernel.matmul(zeros(2, 0), zeros(0, 3), out);
    expect(Array.from(out.data)).toEqual([0, 0, 0, 0, 0, 0]);
    kernel.matmul(zeros(0, 4), zeros(4, 3), zeros(0, 3));
  });
});

describe("a network's kernel", () => {
  const spec = chainSpec({
    inputs: 3,
    depth: 2,
    hidden: 5,
    outputs: 2,
    activation: 'tanh',
    head: 'mse',
  });

  it('is the fastest kernel that runs here unless one is given', () => {
    expect(defaultKernel).toBe(wasmSimdKernel ?? blockedKernel);
    expect(createNetwork(spec, createRng(1)).kernel).toBe(defaultKernel);
  });

  it('is the one given to createNetwork, per network, with bit-identical results', () => {
    const calls: string[] = [];
    const counting: MatmulKernel = {
      matmul(A, B, out) {
        calls.push('matmul');
        referenceKernel.matmul(A, B, out);
      },
      matmulTransA(A, B, out) {
        calls.push('matmulTransA');
        referenceKernel.matmulTransA(A, B, out);
      },
      matmulTransB(A, B, out) {
        calls.push('matmulTransB');
        referenceKernel.matmulTransB(A, B, out);
      },
    };
    const counted = createNetwork(spec, createRng(1), { kernel: counting });
    const plain = createNetwork(spec, createRng(1));
    expect(getWeights(counted)).toEqual(getWeights(plain));
    const X = matrixOf(4, 3, [0.3, -1.2, 2.5, 0.7, -0.1]);
    const Y = matrixOf(4, 2, [1, -0.5, 0.25]);
    const a = lossAndGradients(counted, X, Y);
    // Two dense layers: two forward products, two weight gradients, one input gradient.
    expect(calls.sort()).toEqual([
      'matmul',
      'matmul',
      'matmulTransA',
      'matmulTransA',
      'matmulTransB',
    ]);
    const b = lossAndGradients(plain, X, Y);
    expect(a.loss).toBe(b.loss);
    a.grads.forEach((g, k) =>
      expect(Array.from(g.dW.data)).toEqual(Array.from(b.grads[k].dW.data)),
    );
    // The other network never saw the counting kernel.
    calls.length = 0;
    forward(plain, X);
    expect(calls).toEqual([]);
  });
});
