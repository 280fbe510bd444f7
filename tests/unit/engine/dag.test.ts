/**
 * Branching networks (DESIGN.md §2): forward in topological order, backward summing where an
 * output fans out, Add and Concat, against central finite differences on random DAGs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradientCheck } from '../../../src/lib/engine/gradient-check';
import { fromRows, toRows } from '../../../src/lib/engine/matrix';
import {
  backward,
  createNetwork,
  forward,
  lossAndGradients,
  setWeights,
  validateSpec,
} from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import { HIDDEN_ACTIVATIONS, randomDagSpec, scaleWeights } from './dag-helpers';
import { HEADS, outputsFor, randomMatrix, targetsFor, type Head } from './helpers';

/** x (2) -> d1 (2) ─┬─────────────── add (2) -> loss (mse)
 *                   └─ d2 (2) ───────┘          and concat [x | d1] -> d3 feeds d2 ... */
const small: LayerSpec = {
  input: { id: 'x', size: 2 },
  layers: [
    { id: 'd1', type: 'dense', inputs: ['x'], inputSize: 2, units: 2, init: 'auto' },
    { id: 'c', type: 'concat', inputs: ['x', 'd1'], size: 4 },
    { id: 'd2', type: 'dense', inputs: ['c'], inputSize: 4, units: 2, init: 'auto' },
    { id: 's', type: 'add', inputs: ['d2', 'd1'], size: 2 },
  ],
  loss: { id: 'l', type: 'mse', inputs: ['s'] },
};
const smallWeights = {
  d1: {
    W: [
      [1, 2],
      [3, 4],
    ],
    b: [0.5, -0.5],
  },
  d2: {
    W: [
      [1, 0],
      [0, 1],
      [1, 0],
      [0, -1],
    ],
    b: [0, 1],
  },
};

describe('branching networks', () => {
  it('Concat puts its inputs side by side in input order; Add sums them', () => {
    const net = createNetwork(small, createRng(1));
    setWeights(net, smallWeights);
    const cache = forward(net, fromRows([[1, -1]]));
    // d1 = [1 - 3 + 0.5, 2 - 4 - 0.5] = [-1.5, -2.5]; c = [1, -1, -1.5, -2.5]
    expect(toRows(cache.layers[1].output)).toEqual([[1, -1, -1.5, -2.5]]);
    // d2 = [1 - 1.5, -1 + 2.5 + 1] = [-0.5, 2.5]; s = d2 + d1 = [-2, 0]
    expect(toRows(cache.output)).toEqual([[-2, 0]]);
    expect(cache.layers[3].inputs.map((m) => toRows(m))).toEqual([[[-0.5, 2.5]], [[-1.5, -2.5]]]);
  });

  it('an output that feeds several layers gets the sum of their gradients (worked by hand)', () => {
    const net = createNetwork(small, createRng(1));
    setWeights(net, smallWeights);
    const X = fromRows([[1, -1]]);
    backward(net, forward(net, X), fromRows([[0, 0]]));
    // dC/ds = 2 (s - 0) / 2 = [-2, 0]; Add passes it to d2 and d1.
    // dC/dd1 = [-2, 0] (from Add) + dC/dc[2..3] where dC/dc = [-2, 0] W2ᵀ = [-2, 0, -2, 0]
    //        = [-4, 0];  dW1 = xᵀ [-4, 0] = [[-4, 0], [4, 0]], db1 = [-4, 0].
    expect(toRows(net.grads[0].dW)).toEqual([
      [-4, 0],
      [4, 0],
    ]);
    expect(Array.from(net.grads[0].db)).toEqual([-4, 0]);
    // dW2 = cᵀ [-2, 0]
    expect(toRows(net.grads[1].dW)).toEqual([
      [-2, 0],
      [2, 0],
      [3, 0],
      [5, 0],
    ]);
  });

  it('every activation and head on a DAG with a skip connection and a concat: rel. error < 1e-7', () => {
    for (const activation of HIDDEN_ACTIVATIONS)
      for (const head of HEADS) {
        const spec = randomDagSpec({
          seed: 3,
          inputs: 3,
          outputs: outputsFor(head),
          steps: 5,
          head,
          activation,
        });
        const rng = createRng(17);
        const net = createNetwork(spec, rng);
        for (const batch of [1, 5]) {
          const results = gradientCheck(
            net,
            randomMatrix(batch, 3, rng),
            targetsFor(head, batch, outputsFor(head), rng),
          );
          for (const r of results)
            expect(r.maxRelativeError, `${activation} ${head} ${r.layerId}`).toBeLessThan(1e-7);
        }
      }
  });

  it('random DAGs (branches, merges, fan-out, dropout in evaluation) agree with finite differences', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          steps: fc.integer({ min: 1, max: 7 }),
          inputs: fc.integer({ min: 1, max: 4 }),
          batch: fc.integer({ min: 1, max: 6 }),
          head: fc.constantFrom<Head>(...HEADS),
          activation: fc.constantFrom(...HIDDEN_ACTIVATIONS),
        }),
        ({ seed, steps, inputs, batch, head, activation }) => {
          const outputs = outputsFor(head);
          const spec = randomDagSpec({ seed, inputs, outputs, steps, head, activation });
          const rng = createRng(seed + 1);
          const net = createNetwork(spec, rng);
          scaleWeights(net.params, rng, 0.7);
          const results = gradientCheck(
            net,
            randomMatrix(batch, inputs, rng),
            targetsFor(head, batch, outputs, rng),
          );
          for (const r of results) expect(r.maxRelativeError).toBeLessThan(1e-7);
        },
      ),
      { numRuns: 100, seed: 20261130 },
    );
  });

  it('gives a chain the same numbers whatever the ids look like (ids are plain strings)', () => {
    const spec: LayerSpec = {
      input: { id: '__proto__', size: 2 },
      layers: [
        {
          id: 'constructor',
          type: 'dense',
          inputs: ['__proto__'],
          inputSize: 2,
          units: 2,
          init: 'xavier',
        },
        { id: 'toString', type: 'add', inputs: ['constructor', '__proto__'], size: 2 },
      ],
      loss: { id: 'hasOwnProperty', type: 'mse', inputs: ['toString'] },
    };
    const net = createNetwork(spec, createRng(2));
    const { loss } = lossAndGradients(net, fromRows([[1, 2]]), fromRows([[0, 1]]));
    expect(Number.isFinite(loss)).toBe(true);
  });
});

describe('validateSpec on branching specs', () => {
  const base = (): LayerSpec => structuredClone(small);
  const cases: [string, (s: LayerSpec) => void, RegExp][] = [
    [
      'a layer before its input',
      (s) => s.layers.reverse(),
      /neither the input nor a layer before it/,
    ],
    [
      'Add with one input',
      (s) => (s.layers[3].inputs = ['d2']),
      /Add "s" needs two or more inputs/,
    ],
    [
      'a dense with two inputs',
      (s) => (s.layers[0].inputs = ['x', 'x']),
      /takes exactly one input/,
    ],
    ['an input listed twice', (s) => (s.layers[1].inputs = ['x', 'x']), /lists an input twice/],
    [
      'Add of two widths',
      (s) => {
        s.layers[3].inputs = ['d2', 'c'];
      },
      /Add "s" has size 2 but input "c" gives 4/,
    ],
    [
      'Concat of the wrong size',
      (s) => ((s.layers[1] as { size: number }).size = 5),
      /Concat "c" has size 5 but its inputs give 4/,
    ],
    [
      'a layer that leads nowhere',
      (s) => {
        s.layers.splice(3, 0, { id: 'z', type: 'activation', inputs: ['d1'], fn: 'tanh', size: 2 });
      },
      /Layer "z" leads nowhere/,
    ],
    [
      'a loss not on the last layer',
      (s) => (s.loss.inputs = ['d2']),
      /must take the last layer, "s"/,
    ],
    [
      'a dropout rate of 1',
      (s) => {
        s.layers.push({ id: 'p', type: 'dropout', inputs: ['s'], rate: 1, size: 2 });
        s.loss.inputs = ['p'];
      },
      /Dropout "p" needs a rate from 0 up to/,
    ],
  ];
  for (const [name, edit, message] of cases)
    it(`refuses ${name}`, () => {
      const spec = base();
      edit(spec);
      expect(() => validateSpec(spec)).toThrow(message);
    });
  it('accepts the valid one', () => expect(() => validateSpec(base())).not.toThrow());
});
