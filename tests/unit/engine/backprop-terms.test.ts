/**
 * The inspector's chain-rule terms against independent computations: a case small enough to do
 * by hand, a two-layer network recomputed with plain loops, the network's own gradients, finite
 * differences of the loss, and random DAGs (fan-out summed).
 */
import { describe, expect, it } from 'vitest';
import {
  allBackpropTerms,
  backpropTerms,
  canInspect,
  termBuffers,
  type BackpropTerm,
  type LayerTerms,
  type TermName,
} from '../../../src/lib/engine/backprop-terms';
import { fromRows, type Matrix } from '../../../src/lib/engine/matrix';
import {
  createNetwork,
  dataLoss,
  forward,
  lossAndGradients,
  setWeights,
  type Network,
} from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import { randomDagSpec } from './dag-helpers';
import { chainSpec, outputsFor, randomMatrix, targetsFor, type Head } from './helpers';

function term(layer: LayerTerms, name: TermName): BackpropTerm {
  const found = layer.terms.find((t) => t.name === name);
  if (!found) throw new Error(`no term ${name} in ${layer.layerId}`);
  return found;
}

function hasTerm(layer: LayerTerms, name: TermName): boolean {
  return layer.terms.some((t) => t.name === name);
}

/** Entry (i, j) of a term's block. */
const at = (t: BackpropTerm, i: number, j: number) => t.values[i * t.shownCols + j];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1e-300;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i] - expected[i]) / scale).toBeLessThan(tol);
}

/** Plain-loop matrix helpers for the independent recomputation. */
function mul(A: number[][], B: number[][]): number[][] {
  return A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));
}
const transpose = (A: number[][]) => A[0].map((_, j) => A.map((row) => row[j]));
const rowsOf = (m: Matrix) =>
  Array.from({ length: m.rows }, (_, i) =>
    Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)),
  );
const flat = (A: number[][]) => A.flat();

describe('backpropTerms: a case done by hand', () => {
  // One dense unit, no activation, mse: X = [1; 2], W = [0.5], b = [0.1], T = [1; 0].
  const spec: LayerSpec = {
    input: { id: 'x', size: 1 },
    layers: [{ id: 'd', type: 'dense', inputs: ['x'], inputSize: 1, units: 1, init: 'zeros' }],
    loss: { id: 'loss', type: 'mse', inputs: ['d'] },
  };
  const net = createNetwork(spec, createRng(1));
  setWeights(net, { d: { W: [[0.5]], b: [0.1] } });
  const X = fromRows([[1], [2]]);
  const T = fromRows([[1], [0]]);

  it('dense: Z = [0.6, 1.1]; δ = 2(P − T)/(B·K) = [-0.4, 1.1]; dW = 1·(-0.4) + 2·1.1 = 1.8', () => {
    const d = backpropTerms(net, X, T, 'd');
    expect(d.kind).toBe('dense');
    expect(d.terms.map((t) => t.name)).toEqual([
      'A_in',
      'W',
      'b',
      'Z',
      'delta',
      'dC/dW',
      'dC/db',
      'dC/dA_in',
    ]);
    expectClose(term(d, 'Z').values, [0.6, 1.1], 1e-15);
    expectClose(term(d, 'delta').values, [-0.4, 1.1], 1e-15);
    expectClose(term(d, 'dC/dW').values, [1.8], 1e-15);
    expectClose(term(d, 'dC/db').values, [0.7], 1e-15);
    expectClose(term(d, 'dC/dA_in').values, [-0.2, 0.55], 1e-15);
    expect(term(d, 'dC/dA_in').note).toMatch(/input/);
    expect(term(d, 'b').shape).toBe('vector');
  });

  it('loss: C = (0.4² + 1.1²)/2 = 0.685 and dC/dP = [-0.4, 1.1], nothing fused', () => {
    const loss = backpropTerms(net, X, T, 'loss');
    expect(loss.kind).toBe('loss');
    expect(loss.fused).toBe(false);
    expect(loss.terms.map((t) => t.name)).toEqual(['P', 'T', 'C', 'dC/dP']);
    expect(term(loss, 'C').shape).toBe('scalar');
    expect(term(loss, 'C').values[0]).toBeCloseTo(0.685, 15);
    expectClose(term(loss, 'dC/dP').values, [-0.4, 1.1], 1e-15);
  });
});

describe('backpropTerms: two dense layers against a plain-loop recomputation', () => {
  const spec: LayerSpec = {
    input: { id: 'x', size: 4 },
    layers: [
      { id: 'd1', type: 'dense', inputs: ['x'], inputSize: 4, units: 5, init: 'xavier' },
      { id: 's', type: 'activation', inputs: ['d1'], fn: 'sigmoid', size: 5 },
      { id: 'd2', type: 'dense', inputs: ['s'], inputSize: 5, units: 3, init: 'xavier' },
      { id: 'sm', type: 'activation', inputs: ['d2'], fn: 'softmax', size: 3 },
    ],
    loss: { id: 'loss', type: 'cross_entropy', inputs: ['sm'] },
  };
  const rng = createRng(7);
  const net = createNetwork(spec, rng);
  const B = 6;
  const X = randomMatrix(B, 4, rng);
  const Y = targetsFor('softmax+cross_entropy', B, 3, rng);

  // The same maths written out with plain arrays, nothing shared with the engine.
  const x = rowsOf(X),
    t = rowsOf(Y);
  const W1 = rowsOf(net.params[0].W),
    b1 = Array.from(net.params[0].b);
  const W2 = rowsOf(net.params[1].W),
    b2 = Array.from(net.params[1].b);
  const Z1 = mul(x, W1).map((row) => row.map((v, j) => v + b1[j]));
  const A1 = Z1.map((row) => row.map((z) => 1 / (1 + Math.exp(-z))));
  const Z2 = mul(A1, W2).map((row) => row.map((v, j) => v + b2[j]));
  const P = Z2.map((row) => {
    const e = row.map((z) => Math.exp(z));
    const s = e.reduce((a, c) => a + c, 0);
    return e.map((v) => v / s);
  });
  const d2 = P.map((row, i) => row.map((p, k) => (p - t[i][k]) / B));
  const dW2 = mul(transpose(A1), d2);
  const dA1 = mul(d2, transpose(W2));
  const f1 = A1.map((row) => row.map((a) => a * (1 - a)));
  const d1 = dA1.map((row, i) => row.map((g, j) => g * f1[i][j]));
  const dW1 = mul(transpose(x), d1);
  const dX = mul(d1, transpose(W1));
  const colSums = (M: number[][]) => M[0].map((_, j) => M.reduce((s, row) => s + row[j], 0));

  it('first dense layer: every forward and backward term', () => {
    const L = backpropTerms(net, X, Y, 'd1');
    expect(L.activation).toEqual({ id: 's', fn: 'sigmoid' });
    expect(L.fused).toBe(false);
    expect(L.terms.map((t) => [t.name, t.pass, t.rows, t.cols])).toEqual([
      ['A_in', 'forward', 6, 4],
      ['W', 'forward', 4, 5],
      ['b', 'forward', 1, 5],
      ['Z', 'forward', 6, 5],
      ['A_out', 'forward', 6, 5],
      ['dC/dA_out', 'backward', 6, 5],
      ["f'(Z)", 'backward', 6, 5],
      ['delta', 'backward', 6, 5],
      ['dC/dW', 'backward', 4, 5],
      ['dC/db', 'backward', 1, 5],
      ['dC/dA_in', 'backward', 6, 4],
    ]);
    expectClose(term(L, 'A_in').values, flat(x));
    expectClose(term(L, 'Z').values, flat(Z1));
    expectClose(term(L, 'A_out').values, flat(A1));
    expectClose(term(L, 'dC/dA_out').values, flat(dA1));
    expectClose(term(L, "f'(Z)").values, flat(f1));
    expectClose(term(L, 'delta').values, flat(d1));
    expectClose(term(L, 'dC/dW').values, flat(dW1));
    expectClose(term(L, 'dC/db').values, colSums(d1));
    expectClose(term(L, 'dC/dA_in').values, flat(dX));
    expect(term(L, 'delta').formula).toBe("δ = dC/dA_out ⊙ f'(Z)");
  });

  it('second dense layer: δ is the fused (P − T)/B, no f′(Z) for softmax, and it says why', () => {
    const L = backpropTerms(net, X, Y, 'd2');
    expect(L.fused).toBe(true);
    expect(hasTerm(L, "f'(Z)")).toBe(false);
    expect(L.notes.join(' ')).toMatch(/Jacobian/);
    expect(L.notes.join(' ')).toMatch(/fused/);
    expectClose(term(L, 'A_out').values, flat(P));
    // dC/dA_out = -T/(B·P), shown but not used by backward.
    expect(term(L, 'dC/dA_out').displayOnly).toBe(true);
    expectClose(
      term(L, 'dC/dA_out').values,
      flat(P.map((row, i) => row.map((p, k) => -t[i][k] / (B * p)))),
    );
    expectClose(term(L, 'delta').values, flat(d2));
    expect(term(L, 'delta').formula).toMatch(/\(P − T\) \/ B/);
    expectClose(term(L, 'dC/dW').values, flat(dW2));
    expectClose(term(L, 'dC/db').values, colSums(d2));
    expectClose(term(L, 'dC/dA_in').values, flat(dA1));
    expect(term(L, 'dC/dA_in').note).toBeUndefined();
  });

  it('activation and loss nodes', () => {
    const s = backpropTerms(net, X, Y, 's');
    expect(s.kind).toBe('activation');
    expect(s.terms.map((t) => t.name)).toEqual(['Z', 'A_out', 'dC/dA_out', "f'(Z)", 'delta']);
    expectClose(term(s, 'Z').values, flat(Z1));
    expectClose(term(s, 'delta').values, flat(d1));
    const loss = backpropTerms(net, X, Y, 'loss');
    expect(loss.fused).toBe(true);
    expect(loss.terms.map((t) => t.name)).toEqual(['P', 'T', 'C', 'dC/dP', 'fused']);
    const C = -t.reduce(
      (s, row, i) => s + row.reduce((a, v, k) => a + v * Math.log(P[i][k]), 0),
      0,
    );
    expect(term(loss, 'C').values[0]).toBeCloseTo(C / B, 13);
    expectClose(term(loss, 'fused').values, flat(d2));
    expect(term(loss, 'fused').formula).toBe('dC/dZ = (P − T) / B');
  });

  it('copies only the top-left block, with the full shape', () => {
    const L = backpropTerms(net, X, Y, 'd1', { maxRows: 2, maxCols: 3 });
    const dA = term(L, 'dC/dA_out');
    expect([dA.rows, dA.cols, dA.shownRows, dA.shownCols]).toEqual([6, 5, 2, 3]);
    expectClose(dA.values, [...dA1[0].slice(0, 3), ...dA1[1].slice(0, 3)]);
    const db = term(L, 'dC/db');
    expect([db.rows, db.cols, db.shownRows, db.shownCols, db.values.length]).toEqual([
      1, 5, 1, 3, 3,
    ]);
    expect(term(L, 'W').values).toBeInstanceOf(Float64Array);
    // Each term owns its buffer, sized to the block: transferable without copying the network.
    const buffers = termBuffers(L.terms);
    expect(new Set(buffers).size).toBe(L.terms.length);
    L.terms.forEach((t, i) => expect(buffers[i].byteLength).toBe(8 * t.shownRows * t.shownCols));
    expect(buffers).not.toContain(net.params[0].W.data.buffer);
  });

  it('allBackpropTerms gives the same terms for every node in one pass', () => {
    const all = allBackpropTerms(net, X, Y);
    expect(all.map((l) => [l.layerId, l.position])).toEqual([
      ['d1', 0],
      ['s', 1],
      ['d2', 2],
      ['sm', 3],
      ['loss', 4],
    ]);
    for (const id of ['d1', 's', 'd2', 'loss']) {
      const one = backpropTerms(net, X, Y, id);
      expect(all.find((l) => l.layerId === id)).toEqual(one);
    }
  });

  it('refuses an unknown node, a node without terms and an empty batch, in words', () => {
    expect(() => backpropTerms(net, X, Y, 'nope')).toThrow(/no node "nope"/);
    expect(() => backpropTerms(net, X, Y, 'x')).toThrow(/no node "x"/);
    expect(canInspect(net, 'sm')).toBe(true);
    expect(canInspect(net, 'loss')).toBe(true);
    expect(canInspect(net, 'x')).toBe(false);
    const empty = { rows: 0, cols: 4, data: new Float64Array(0) };
    const none = { rows: 0, cols: 3, data: new Float64Array(0) };
    expect(() => backpropTerms(net, empty, none, 'd1')).toThrow(/empty/);
  });
});

/** Central finite differences of the data loss w.r.t. every entry of dense layer k's W. */
function numericalDW(net: Network, X: Matrix, Y: Matrix, k: number, h = 1e-5): Float64Array {
  const w = net.params[k].W.data;
  const out = new Float64Array(w.length);
  const loss = () => dataLoss(net, forward(net, X), Y);
  for (let i = 0; i < w.length; i++) {
    const original = w[i];
    w[i] = original + h;
    const plus = loss();
    w[i] = original - h;
    const minus = loss();
    w[i] = original;
    out[i] = (plus - minus) / (2 * h);
  }
  return out;
}

/** A_inᵀ·δ from the terms' own A_in and δ. */
function dWFromTerms(L: LayerTerms): Float64Array {
  const A = term(L, 'A_in'),
    d = term(L, 'delta');
  const out = new Float64Array(A.cols * d.cols);
  for (let r = 0; r < A.cols; r++)
    for (let c = 0; c < d.cols; c++) {
      let s = 0;
      for (let i = 0; i < A.rows; i++) s += at(A, i, r) * at(d, i, c);
      out[r * d.cols + c] = s;
    }
  return out;
}

function checkDenseTerms(net: Network, X: Matrix, Y: Matrix): number {
  const own = lossAndGradients(net, X, Y).grads.map((g) => g.dW.data.slice());
  let checked = 0;
  net.params.forEach((p, k) => {
    const L = backpropTerms(net, X, Y, p.id);
    const dW = term(L, 'dC/dW').values;
    expectClose(dW, own[k], 1e-14);
    expectClose(dWFromTerms(L), own[k], 1e-12);
    expectClose(dW, numericalDW(net, X, Y, k), 1e-6);
    // δ = dC/dA_out ⊙ f'(Z) wherever an elementwise activation follows.
    if (hasTerm(L, "f'(Z)") && !L.fused) {
      const dA = term(L, 'dC/dA_out').values,
        fz = term(L, "f'(Z)").values;
      expectClose(
        term(L, 'delta').values,
        dA.map((v, i) => v * fz[i]),
        1e-12,
      );
    }
    checked++;
  });
  return checked;
}

describe('dC/dW from the terms = the network’s own gradient = finite differences', () => {
  const heads: Head[] = [
    'mse',
    'softmax+cross_entropy',
    'sigmoid+binary_cross_entropy',
    'softmax+mse',
  ];
  for (const head of heads)
    it(`chains of depth 3, tanh hidden, ${head}, batch 5`, () => {
      const rng = createRng(3);
      const outputs = outputsFor(head);
      const spec = chainSpec({ inputs: 3, depth: 3, outputs, activation: 'tanh', head });
      const net = createNetwork(spec, rng);
      const X = randomMatrix(5, 3, rng);
      const Y = targetsFor(head, 5, outputs, rng);
      expect(checkDenseTerms(net, X, Y)).toBe(3);
    });

  it('sigmoid + binary cross-entropy: dC/dp ⊙ σ′(z) is the fused (p − t)/B', () => {
    const rng = createRng(4);
    const spec = chainSpec({
      inputs: 3,
      depth: 2,
      outputs: 1,
      activation: 'relu',
      head: 'sigmoid+binary_cross_entropy',
    });
    const net = createNetwork(spec, rng);
    const X = randomMatrix(7, 3, rng);
    const Y = targetsFor('sigmoid+binary_cross_entropy', 7, 1, rng);
    const L = backpropTerms(net, X, Y, net.params[1].id);
    expect(L.fused).toBe(true);
    const dP = term(L, 'dC/dA_out').values,
      fz = term(L, "f'(Z)").values;
    expectClose(
      dP.map((v, i) => v * fz[i]),
      term(L, 'delta').values,
      1e-12,
    );
    const P = term(L, 'A_out').values;
    expectClose(
      term(L, 'delta').values,
      P.map((p, i) => (p - Y.data[i]) / 7),
      1e-14,
    );
    expect(term(L, 'delta').formula).toMatch(/\(p − t\) \/ B/);
  });

  it('on random DAGs (fan-out, Add, Concat, Dropout): the Dense terms still hold', () => {
    let fanOuts = 0;
    for (const seed of [1, 2, 3, 4]) {
      const head: Head = seed % 2 ? 'softmax+cross_entropy' : 'mse';
      const outputs = outputsFor(head);
      const spec = randomDagSpec({ seed, inputs: 3, outputs, steps: 5, head, activation: 'tanh' });
      const rng = createRng(seed);
      const net = createNetwork(spec, rng);
      const X = randomMatrix(4, 3, rng);
      const Y = targetsFor(head, 4, outputs, rng);
      expect(checkDenseTerms(net, X, Y)).toBeGreaterThan(0);
      // Somewhere an activation's output feeds several layers: its dC/dA_out is the sum.
      fanOuts += spec.layers.filter(
        (l) =>
          l.type === 'activation' && spec.layers.filter((m) => m.inputs.includes(l.id)).length > 1,
      ).length;
    }
    expect(fanOuts).toBeGreaterThan(0);
  });

  it('with a weight penalty, dC/dW and C include it, as cli grad and training do', () => {
    const rng = createRng(5);
    const spec = chainSpec({ inputs: 3, depth: 2, outputs: 2, activation: 'sigmoid', head: 'mse' });
    const net = createNetwork(spec, rng);
    const X = randomMatrix(4, 3, rng);
    const Y = targetsFor('mse', 4, 2, rng);
    const reg = { l1: 0.01, l2: 0.1 };
    const { loss, grads } = lossAndGradients(net, X, Y, reg);
    const own = grads.map((g) => g.dW.data.slice());
    const L = backpropTerms(net, X, Y, net.params[0].id, { regularization: reg });
    expectClose(term(L, 'dC/dW').values, own[0], 1e-14);
    expect(term(L, 'dC/dW').formula).toMatch(/0\.1·W \+ 0\.01·sign\(W\)/);
    const lossTerms = backpropTerms(net, X, Y, 'loss', { regularization: reg });
    expect(term(lossTerms, 'C').values[0]).toBeCloseTo(loss, 14);
  });
});
