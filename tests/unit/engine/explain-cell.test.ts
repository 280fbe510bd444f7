/** The hover arithmetic of the Backprop tab, checked against the terms' own numbers. */
import { describe, expect, it } from 'vitest';
import {
  backpropTerms,
  type BackpropTerm,
  type LayerTerms,
  type TermName,
} from '../../../src/lib/engine/backprop-terms';
import { explainCell, short } from '../../../src/lib/engine/explain-cell';
import { createNetwork } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import { randomMatrix, targetsFor } from './helpers';

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
const rng = createRng(2);
const net = createNetwork(spec, rng);
const X = randomMatrix(8, 4, rng);
const Y = targetsFor('softmax+cross_entropy', 8, 3, rng);

const term = (l: LayerTerms, name: TermName): BackpropTerm => l.terms.find((t) => t.name === name)!;
const at = (t: BackpropTerm, i: number, j: number) => t.values[i * t.shownCols + j];

describe('explainCell', () => {
  const d1 = backpropTerms(net, X, Y, 'd1');

  it('δ[3,1] = dC/dA_out[3,1] × f′(Z)[3,1] with the numbers of those cells', () => {
    const e = explainCell(d1, 'delta', 3, 1)!;
    const dA = at(term(d1, 'dC/dA_out'), 3, 1),
      fz = at(term(d1, "f'(Z)"), 3, 1),
      delta = at(term(d1, 'delta'), 3, 1);
    expect(e.text).toBe(
      `δ[3,1] = dC/dA_out[3,1] × f'(Z)[3,1] = ${short(dA)} × ${short(fz)} = ${short(delta)}`,
    );
    expect(delta).toBeCloseTo(dA * fz, 15);
  });

  it('dC/dW[2,4] spells its first products and highlights column 2 of A_in and column 4 of δ', () => {
    const e = explainCell(d1, 'dC/dW', 2, 4)!;
    const A = term(d1, 'A_in'),
      d = term(d1, 'delta');
    const first = `${short(at(A, 0, 2))} × ${short(at(d, 0, 4))}`;
    expect(e.text).toContain(`dC/dW[2,4] = Σ_i A_in[i,2] × δ[i,4] = ${first} + `);
    expect(e.text.endsWith(`+ … = ${short(at(term(d1, 'dC/dW'), 2, 4))}`)).toBe(true);
    expect(e.highlights).toEqual([
      { term: 'A_in', axis: 'col', index: 2 },
      { term: 'delta', axis: 'col', index: 4 },
    ]);
  });

  it('dC/db, dC/dA_in, A_out and the fused δ of the last layer', () => {
    expect(explainCell(d1, 'dC/db', 0, 1)!.text).toMatch(
      /^dC\/db\[0,1\] = Σ_i δ\[i,1\] = .* \+ … = /,
    );
    expect(explainCell(d1, 'dC/dA_in', 5, 3)!.highlights).toEqual([
      { term: 'delta', axis: 'row', index: 5 },
      { term: 'W', axis: 'row', index: 3 },
    ]);
    const z = at(term(d1, 'Z'), 1, 2);
    expect(explainCell(d1, 'A_out', 1, 2)!.text).toBe(
      `A_out[1,2] = sigmoid(Z[1,2]) = sigmoid(${short(z)}) = ${short(1 / (1 + Math.exp(-z)))}`,
    );
    const d2 = backpropTerms(net, X, Y, 'd2');
    expect(explainCell(d2, 'delta', 0, 0)!.text).toBe(
      `δ[0,0] = (P[0,0] − T[0,0]) / 8 = ${short(at(term(d2, 'delta'), 0, 0))}`,
    );
  });

  it('is null outside the shown block or for a term the node does not have', () => {
    const small = backpropTerms(net, X, Y, 'd1', { maxRows: 2, maxCols: 2 });
    expect(explainCell(small, 'delta', 3, 1)).toBeNull();
    expect(explainCell(d1, 'fused', 0, 0)).toBeNull();
    // A cut A_in still gives the value, without spelled products.
    expect(explainCell(small, 'dC/dW', 1, 1)!.text).toMatch(/= -?[\d.e-]+$/);
  });
});
