/**
 * The "common mistakes" teaching switch: each one makes the gradient check fail, and
 * firstDivergingTerm names where its numbers first part from the correct network's.
 */
import { describe, expect, it } from 'vitest';
import { firstDivergingTerm, networkWithMistake } from '../../../src/lib/engine/backprop-compare';
import {
  allBackpropTerms,
  backpropTerms,
  type LayerTerms,
  type TermName,
} from '../../../src/lib/engine/backprop-terms';
import { gradientCheck } from '../../../src/lib/engine/gradient-check';
import type { Matrix } from '../../../src/lib/engine/matrix';
import { MISTAKE_IDS, MISTAKES, isMistake, type Mistake } from '../../../src/lib/engine/mistakes';
import { createNetwork, predict, type Network } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import type { ActivationName, LayerSpec } from '../../../src/lib/engine/spec';
import { chainSpec, randomMatrix, targetsFor } from './helpers';

/** Input 4 → Dense 5 → `hidden` → Dense 3 → Softmax → cross-entropy ("Two dense layers"). */
function twoDense(hidden: ActivationName = 'sigmoid'): LayerSpec {
  return {
    input: { id: 'x', size: 4 },
    layers: [
      { id: 'd1', type: 'dense', inputs: ['x'], inputSize: 4, units: 5, init: 'xavier' },
      { id: 'h', type: 'activation', inputs: ['d1'], fn: hidden, size: 5 },
      { id: 'd2', type: 'dense', inputs: ['h'], inputSize: 5, units: 3, init: 'xavier' },
      { id: 'sm', type: 'activation', inputs: ['d2'], fn: 'softmax', size: 3 },
    ],
    loss: { id: 'loss', type: 'cross_entropy', inputs: ['sm'] },
  };
}

interface Setup {
  net: Network;
  X: Matrix;
  Y: Matrix;
}

function setup(spec: LayerSpec, batch = 6, seed = 11): Setup {
  const rng = createRng(seed);
  const net = createNetwork(spec, rng);
  const outputs = spec.layers[spec.layers.length - 1];
  const K = outputs.type === 'dense' ? outputs.units : outputs.size;
  const X = randomMatrix(batch, spec.input.size, rng);
  const head = spec.loss.type === 'mse' ? 'mse' : 'softmax+cross_entropy';
  return { net, X, Y: targetsFor(head, batch, K, rng) };
}

const worstError = (net: Network, X: Matrix, Y: Matrix) =>
  Math.max(...gradientCheck(net, X, Y).map((r) => r.maxRelativeError));

function term(layers: LayerTerms[], id: string, name: TermName) {
  return layers.find((l) => l.layerId === id)!.terms.find((t) => t.name === name)!;
}

describe('common mistakes', () => {
  it('are listed with labels, and a network runs none unless asked', () => {
    expect(MISTAKES.map((m) => m.id)).toEqual([...MISTAKE_IDS]);
    for (const m of MISTAKES) expect(m.label.length).toBeGreaterThan(5);
    expect(isMistake('sum-instead-of-mean')).toBe(true);
    expect(isMistake('scaler-before-split')).toBe(false);
    expect(createNetwork(twoDense(), createRng(1)).mistake).toBeNull();
  });

  it('the correct network passes the gradient check; each mistake fails it', () => {
    const { net, X, Y } = setup(twoDense());
    expect(worstError(net, X, Y)).toBeLessThan(1e-7);
    for (const mistake of MISTAKE_IDS) {
      const buggy = networkWithMistake(net, mistake);
      expect(buggy.mistake).toBe(mistake);
      expect(worstError(buggy, X, Y), mistake).toBeGreaterThan(1e-2);
    }
  });

  it('a copy without a mistake is the same network: same predictions and terms', () => {
    const { net, X, Y } = setup(twoDense());
    const copy = networkWithMistake(net, null);
    expect(predict(copy, X)).toEqual(predict(net, X));
    expect(
      firstDivergingTerm(allBackpropTerms(net, X, Y), allBackpropTerms(copy, X, Y)),
    ).toBeNull();
  });

  describe('sum instead of mean', () => {
    const { net, X, Y } = setup(twoDense());
    const buggy = networkWithMistake(net, 'sum-instead-of-mean');
    const correctTerms = allBackpropTerms(net, X, Y);
    const buggyTerms = allBackpropTerms(buggy, X, Y);

    it('first parts at the fused gradient (P − T)/B, which becomes P − T: B times larger', () => {
      const found = firstDivergingTerm(correctTerms, buggyTerms)!;
      expect(found).toMatchObject({ layerId: 'loss', term: 'fused', row: 0, col: 0 });
      expect(found.buggy / found.correct).toBeCloseTo(6, 12);
      // Forward terms and the loss value agree: only the gradient lost its 1/B.
      expect(term(buggyTerms, 'loss', 'C').values).toEqual(term(correctTerms, 'loss', 'C').values);
    });

    it('within one Dense node: δ of the last layer, dC/dA_out of the first; dC/dW B times too large', () => {
      for (const [id, first] of [
        ['d2', 'delta'],
        ['d1', 'dC/dA_out'],
      ] as const) {
        const found = firstDivergingTerm(
          [backpropTerms(net, X, Y, id)],
          [backpropTerms(buggy, X, Y, id)],
        );
        expect(found?.term).toBe(first);
        const dW = term(correctTerms, id, 'dC/dW').values;
        const buggyDW = term(buggyTerms, id, 'dC/dW').values;
        buggyDW.forEach((v, i) => expect(v).toBeCloseTo(6 * dW[i], 12));
      }
    });

    it('with mse (nothing fused) it first parts at dC/dP', () => {
      const spec = chainSpec({ inputs: 3, depth: 2, outputs: 2, activation: 'tanh', head: 'mse' });
      const s = setup(spec, 5);
      const found = firstDivergingTerm(
        allBackpropTerms(s.net, s.X, s.Y),
        allBackpropTerms(networkWithMistake(s.net, 'sum-instead-of-mean'), s.X, s.Y),
      );
      expect(found).toMatchObject({ layerId: 'loss', term: 'dC/dP' });
    });
  });

  it('softmax along the wrong axis: first parts at the softmax output, whose columns sum to 1', () => {
    const { net, X, Y } = setup(twoDense());
    const buggy = networkWithMistake(net, 'softmax-wrong-axis');
    const buggyTerms = allBackpropTerms(buggy, X, Y);
    const found = firstDivergingTerm(allBackpropTerms(net, X, Y), buggyTerms);
    expect(found).toMatchObject({ layerId: 'sm', term: 'A_out' });
    const P = term(buggyTerms, 'sm', 'A_out');
    for (let k = 0; k < P.cols; k++) {
      let sum = 0;
      for (let i = 0; i < P.rows; i++) sum += P.values[i * P.cols + k];
      expect(sum).toBeCloseTo(1, 14);
    }
  });

  it("f' evaluated at A: first parts at f'(Z) of the sigmoid, which holds σ(A)(1 − σ(A))", () => {
    const { net, X, Y } = setup(twoDense());
    const buggyTerms = allBackpropTerms(networkWithMistake(net, 'derivative-at-a'), X, Y);
    const found = firstDivergingTerm(allBackpropTerms(net, X, Y), buggyTerms);
    expect(found).toMatchObject({ layerId: 'h', term: "f'(Z)" });
    const A = term(buggyTerms, 'h', 'A_out').values;
    const fOfA = term(buggyTerms, 'h', "f'(Z)").values;
    A.forEach((a, i) => {
      const s = 1 / (1 + Math.exp(-a));
      expect(fOfA[i]).toBeCloseTo(s * (1 - s), 14);
    });
  });

  it("f' evaluated at A changes nothing after relu (A and Z have the same sign)", () => {
    const { net, X, Y } = setup(twoDense('relu'));
    const buggy = networkWithMistake(net, 'derivative-at-a');
    expect(
      firstDivergingTerm(allBackpropTerms(net, X, Y), allBackpropTerms(buggy, X, Y)),
    ).toBeNull();
  });

  it('every mistake runs only where asked: the correct network is untouched by a buggy copy', () => {
    const { net, X, Y } = setup(twoDense());
    const before = allBackpropTerms(net, X, Y);
    for (const mistake of MISTAKE_IDS as readonly Mistake[])
      allBackpropTerms(networkWithMistake(net, mistake), X, Y);
    expect(firstDivergingTerm(before, allBackpropTerms(net, X, Y), 0)).toBeNull();
  });
});
