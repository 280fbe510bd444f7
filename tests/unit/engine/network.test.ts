import { describe, expect, it } from 'vitest';
import {
  backward,
  createNetwork,
  forward,
  getWeights,
  lossAndGradients,
  predict,
  setWeights,
} from '../../../src/lib/engine/network';
import { fromRows, toRows } from '../../../src/lib/engine/matrix';
import { createRng } from '../../../src/lib/engine/rng';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import { chainSpec, randomMatrix, targetsFor } from './helpers';

/** 2 -> Dense 2 -> tanh -> Dense 1 -> mse, with weights set by hand. */
const spec: LayerSpec = {
  input: { id: 'x', size: 2 },
  layers: [
    { id: 'h', type: 'dense', inputs: ['x'], inputSize: 2, units: 2, init: 'auto' },
    { id: 't', type: 'activation', inputs: ['h'], fn: 'tanh', size: 2 },
    { id: 'o', type: 'dense', inputs: ['t'], inputSize: 2, units: 1, init: 'auto' },
  ],
  loss: { id: 'l', type: 'mse', inputs: ['o'] },
};
const weights = {
  h: {
    W: [
      [0.5, -0.25],
      [1, 0.75],
    ],
    b: [0.1, -0.2],
  },
  o: { W: [[2], [-1]], b: [0.3] },
};

describe('network', () => {
  it('forward composes the layers and keeps each layer input and output', () => {
    const net = createNetwork(spec, createRng(1));
    setWeights(net, weights);
    const X = fromRows([[1, 2]]);
    const cache = forward(net, X);
    // h = [1*0.5 + 2*1 + 0.1, 1*-0.25 + 2*0.75 - 0.2] = [2.6, 1.05]
    const t = [Math.tanh(2.6), Math.tanh(1.05)];
    const out = 2 * t[0] - t[1] + 0.3;
    expect(cache.layers.map((l) => l.id)).toEqual(['h', 't', 'o']);
    expect(cache.layers[0].input).toBe(X);
    expect(cache.layers[0].output.data[0]).toBeCloseTo(2.6, 15);
    expect(cache.layers[0].output.data[1]).toBeCloseTo(1.05, 15);
    expect(cache.layers[1].output.data[0]).toBeCloseTo(t[0], 15);
    expect(cache.output.data[0]).toBeCloseTo(out, 15);
    expect(cache.activations).toHaveLength(4);
  });

  it('backward gives the chain rule worked by hand', () => {
    const net = createNetwork(spec, createRng(1));
    setWeights(net, weights);
    const X = fromRows([[1, 2]]);
    const Y = fromRows([[0.5]]);
    const cache = forward(net, X);
    const t = [Math.tanh(2.6), Math.tanh(1.05)];
    const p = 2 * t[0] - t[1] + 0.3;
    const dP = 2 * (p - 0.5); // mse over B*K = 1 entry
    const grads = backward(net, cache, Y);
    expect(grads.map((g) => g.id)).toEqual(['h', 'o']);
    expect(grads[1].dW.data[0]).toBeCloseTo(dP * t[0], 14);
    expect(grads[1].dW.data[1]).toBeCloseTo(dP * t[1], 14);
    expect(grads[1].db[0]).toBeCloseTo(dP, 14);
    const dh = [dP * 2 * (1 - t[0] ** 2), dP * -1 * (1 - t[1] ** 2)];
    expect(toRows(grads[0].dW).flat()).toEqual(
      [1 * dh[0], 1 * dh[1], 2 * dh[0], 2 * dh[1]].map((v) => expect.closeTo(v, 14)),
    );
    expect(Array.from(grads[0].db)).toEqual(dh.map((v) => expect.closeTo(v, 14)));
  });

  it('lossAndGradients adds the weight penalty to the loss, never for biases', () => {
    const net = createNetwork(spec, createRng(1));
    setWeights(net, weights);
    const X = fromRows([[1, 2]]);
    const Y = fromRows([[0.5]]);
    const plain = lossAndGradients(net, X, Y).loss;
    const dbPlain = Array.from(lossAndGradients(net, X, Y).grads[0].db);
    const sumSquares = 0.25 + 0.0625 + 1 + 0.5625 + 4 + 1;
    const sumAbs = 0.5 + 0.25 + 1 + 0.75 + 2 + 1;
    const { loss, grads } = lossAndGradients(net, X, Y, { l1: 0.01, l2: 0.1 });
    expect(loss).toBeCloseTo(plain + 0.05 * sumSquares + 0.01 * sumAbs, 14);
    expect(Array.from(grads[0].db)).toEqual(dbPlain);
  });

  it('predict returns a copy; forward reuses its buffers per batch size', () => {
    const rng = createRng(2);
    const net = createNetwork(spec, rng);
    const X = randomMatrix(3, 2, rng);
    const first = forward(net, X);
    const P = predict(net, X);
    expect(P.data).not.toBe(first.output.data);
    const again = forward(net, randomMatrix(3, 2, rng));
    expect(again.output.data).toBe(first.output.data);
    expect(forward(net, randomMatrix(4, 2, rng)).output.data).not.toBe(first.output.data);
  });

  it('same seed, same initial weights; different seed, different weights', () => {
    const s = chainSpec({ inputs: 3, depth: 3, outputs: 2, activation: 'relu', head: 'mse' });
    expect(getWeights(createNetwork(s, createRng(4)))).toEqual(
      getWeights(createNetwork(s, createRng(4))),
    );
    expect(getWeights(createNetwork(s, createRng(4)))).not.toEqual(
      getWeights(createNetwork(s, createRng(5))),
    );
  });

  it('getWeights / setWeights round-trip', () => {
    const net = createNetwork(spec, createRng(1));
    setWeights(net, weights);
    expect(getWeights(net)).toEqual(weights);
    const copy = getWeights(net);
    copy.h.W[0][0] = 99;
    expect(getWeights(net).h.W[0][0]).toBe(0.5);
  });

  it('setWeights rejects wrong shapes with a clear message and changes nothing', () => {
    const net = createNetwork(spec, createRng(1));
    setWeights(net, weights);
    const bad = [
      [
        {
          ...weights,
          o: {
            W: [
              [2, 1],
              [-1, 1],
            ],
            b: [0.3],
          },
        },
        /row 0 of W needs 1 numbers, got 2/,
      ],
      [{ h: weights.h }, /no entry for dense layer "o"/],
      [{ ...weights, o: { W: [[2]], b: [0.3] } }, /W needs 2 rows/],
      [{ ...weights, o: { W: [[2], [-1]], b: [] } }, /b needs 1 numbers, got 0/],
      [{ ...weights, extra: weights.o }, /layer "extra" that the network does not have/],
      [{ h: { ...weights.h, b: [NaN, 1] }, o: weights.o }, /b\[0\] is not a finite number/],
    ] as const;
    for (const [w, message] of bad) {
      expect(() => setWeights(net, w as never)).toThrow(message);
      expect(getWeights(net)).toEqual(weights);
    }
  });

  it('createNetwork explains a spec whose sizes do not fit', () => {
    const broken: LayerSpec = {
      ...spec,
      layers: [spec.layers[0], { ...spec.layers[1], size: 3 } as never, spec.layers[2]],
    };
    expect(() => createNetwork(broken, createRng(1))).toThrow(
      /Activation "t" has size 3 but receives 2/,
    );
    const wrongInput: LayerSpec = { ...spec, input: { id: 'x', size: 5 } };
    expect(() => createNetwork(wrongInput, createRng(1))).toThrow(
      /expects 2 inputs but receives 5/,
    );
  });

  it('forward and backward explain mismatched inputs and targets', () => {
    const net = createNetwork(spec, createRng(1));
    expect(() => forward(net, fromRows([[1, 2, 3]]))).toThrow(
      /3 columns but the network expects 2/,
    );
    const cache = forward(net, fromRows([[1, 2]]));
    expect(() => backward(net, cache, fromRows([[1, 2]]))).toThrow(/targets are 1 x 2/);
  });

  it('softmax + cross_entropy uses the fused gradient (P - T)/B at the logits', () => {
    const rng = createRng(6);
    const s = chainSpec({
      inputs: 2,
      depth: 1,
      outputs: 3,
      activation: 'identity',
      head: 'softmax+cross_entropy',
    });
    const net = createNetwork(s, rng);
    expect(net.fusedLoss).toBe(true);
    const X = randomMatrix(2, 2, rng);
    const Y = targetsFor('softmax+cross_entropy', 2, 3, rng);
    const cache = forward(net, X);
    const grads = backward(net, cache, Y);
    // db = column sums of (P - T)/B
    for (let k = 0; k < 3; k++) {
      const expected =
        (cache.output.data[k] - Y.data[k] + cache.output.data[3 + k] - Y.data[3 + k]) / 2;
      expect(grads[0].db[k]).toBeCloseTo(expected, 15);
    }
  });
});

describe('weights keyed by ids that are Object.prototype names', () => {
  const awkward: LayerSpec = {
    input: { id: 'x', size: 2 },
    layers: [
      { id: '__proto__', type: 'dense', inputs: ['x'], inputSize: 2, units: 3, init: 'auto' },
      {
        id: 'constructor',
        type: 'dense',
        inputs: ['__proto__'],
        inputSize: 3,
        units: 1,
        init: 'auto',
      },
    ],
    loss: { id: 'l', type: 'mse', inputs: ['constructor'] },
  };

  it('are ordinary keys: written as own properties, read back, and missing ones named', () => {
    const net = createNetwork(awkward, createRng(1));
    const weights = getWeights(net);
    expect(Object.keys(weights)).toEqual(['__proto__', 'constructor']);
    // A null prototype: no key can reach Object.prototype's.
    expect(Object.getPrototypeOf(weights)).toBeNull();
    // Through JSON, as a model file brings them.
    const other = createNetwork(awkward, createRng(2));
    setWeights(other, JSON.parse(JSON.stringify(weights)));
    expect(getWeights(other)).toEqual(weights);
    const onlyProto = JSON.parse(`{"__proto__": ${JSON.stringify(weights['__proto__'])}}`);
    expect(() => setWeights(other, onlyProto)).toThrow(/no entry for dense layer "constructor"/);
  });
});
