/**
 * Dropout (DESIGN.md §2): masks from the seeded generator in a training pass only, y = x ⊙ m/(1-r)
 * and dC/dx = dC/dy ⊙ m/(1-r); the identity in evaluation; rate 0 the same as no dropout, bit
 * for bit.
 */
import { describe, expect, it } from 'vitest';
import { zeros } from '../../../src/lib/engine/matrix';
import {
  createNetwork,
  dataLoss,
  forward,
  getWeights,
  lossAndGradients,
  setWeights,
} from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import type { LayerItemSpec, LayerSpec } from '../../../src/lib/engine/spec';
import { Trainer } from '../../../src/lib/engine/trainer';
import { randomMatrix, targetsFor } from './helpers';

/** 3 -> Dense 4 -> tanh -> [Dropout] -> Dense 2 -> softmax -> cross-entropy. */
function chain(rate: number | null): LayerSpec {
  const layers: LayerItemSpec[] = [
    { id: 'd1', type: 'dense', inputs: ['x'], inputSize: 3, units: 4, init: 'auto' },
    { id: 'a1', type: 'activation', inputs: ['d1'], fn: 'tanh', size: 4 },
  ];
  if (rate !== null) layers.push({ id: 'p', type: 'dropout', inputs: ['a1'], rate, size: 4 });
  layers.push(
    {
      id: 'd2',
      type: 'dense',
      inputs: [rate === null ? 'a1' : 'p'],
      inputSize: 4,
      units: 2,
      init: 'auto',
    },
    { id: 'out', type: 'activation', inputs: ['d2'], fn: 'softmax', size: 2 },
  );
  return {
    input: { id: 'x', size: 3 },
    layers,
    loss: { id: 'l', type: 'cross_entropy', inputs: ['out'] },
  };
}

/** The exact bits of some float64 numbers (so -0 and 0, or 1 ulp, differ). */
const bits = (a: Float64Array): string =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
const allBits = (arrays: Float64Array[]): string[] => arrays.map(bits);

describe('dropout', () => {
  it('rate 0 in a training pass equals no dropout bit for bit, and draws nothing', () => {
    const withDropout = createNetwork(chain(0), createRng(4));
    const without = createNetwork(chain(null), createRng(4));
    expect(allBits(withDropout.parameterArrays)).toEqual(allBits(without.parameterArrays));
    const data = createRng(5);
    const X = randomMatrix(7, 3, data);
    const Y = targetsFor('softmax+cross_entropy', 7, 2, data);
    const rng = createRng(9);
    const a = lossAndGradients(withDropout, X, Y, undefined, { training: true, rng });
    const b = lossAndGradients(without, X, Y);
    expect(bits(Float64Array.of(a.loss))).toBe(bits(Float64Array.of(b.loss)));
    expect(allBits(withDropout.gradientArrays)).toEqual(allBits(without.gradientArrays));
    expect(rng.next()).toBe(createRng(9).next());
  });

  it('rate 0 trains to the same weights as no dropout, bit for bit', () => {
    const data = createRng(6);
    const xTrain = randomMatrix(40, 3, data);
    const yTrain = targetsFor('softmax+cross_entropy', 40, 2, data);
    const run = (spec: LayerSpec) => {
      const trainer = new Trainer({
        spec,
        data: { task: 'classification', xTrain, yTrain, xTest: zeros(0, 3), yTest: zeros(0, 2) },
        settings: {
          optimizer: { name: 'adam', learningRate: 0.01 },
          batchSize: 8,
          epochs: 3,
          seed: 3,
          testFraction: 0,
          l2: 0,
          l1: 0,
          shuffle: true,
          standardize: false,
        },
      });
      while (trainer.status === 'ready') trainer.runEpoch();
      return JSON.stringify(trainer.getWeights());
    };
    expect(run(chain(0))).toBe(run(chain(null)));
  });

  it('is the identity in evaluation (prediction, metrics, gradient checks)', () => {
    const net = createNetwork(chain(0.5), createRng(4));
    const plain = createNetwork(chain(null), createRng(4));
    setWeights(plain, getWeights(net));
    const X = randomMatrix(5, 3, createRng(1));
    expect(bits(forward(net, X).output.data)).toBe(bits(forward(plain, X).output.data));
  });

  it('in training keeps each entry with probability 1 - r, scaled by 1/(1 - r), from the seed', () => {
    const rate = 0.3;
    const spec: LayerSpec = {
      input: { id: 'x', size: 50 },
      layers: [{ id: 'p', type: 'dropout', inputs: ['x'], rate, size: 50 }],
      loss: { id: 'l', type: 'mse', inputs: ['p'] },
    };
    const net = createNetwork(spec, createRng(1));
    const X = zeros(200, 50);
    X.data.fill(1);
    const pass = (seed: number) =>
      forward(net, X, { training: true, rng: createRng(seed) }).output.data.slice();
    const y = pass(7);
    const dropped = y.filter((v) => v === 0).length / y.length;
    expect(y.every((v) => v === 0 || v === 1 / (1 - rate))).toBe(true);
    // 10,000 draws: the standard deviation of the fraction is 0.0046; 0.03 is 6.5 of them.
    expect(Math.abs(dropped - rate)).toBeLessThan(0.03);
    expect(bits(pass(7))).toBe(bits(y));
    expect(bits(pass(8))).not.toBe(bits(y));
  });

  it('training gradients with a fixed mask agree with finite differences (rel. error < 1e-7)', () => {
    // A branch through dropout added to one that skips it: x -> d1 -> tanh -> dropout -> d2 ─┐
    //                                                       x -> d3 ─────────────────────── add -> mse
    const spec: LayerSpec = {
      input: { id: 'x', size: 3 },
      layers: [
        { id: 'd1', type: 'dense', inputs: ['x'], inputSize: 3, units: 5, init: 'auto' },
        { id: 'a1', type: 'activation', inputs: ['d1'], fn: 'tanh', size: 5 },
        { id: 'p', type: 'dropout', inputs: ['a1'], rate: 0.4, size: 5 },
        { id: 'd2', type: 'dense', inputs: ['p'], inputSize: 5, units: 2, init: 'auto' },
        { id: 'd3', type: 'dense', inputs: ['x'], inputSize: 3, units: 2, init: 'auto' },
        { id: 's', type: 'add', inputs: ['d2', 'd3'], size: 2 },
      ],
      loss: { id: 'l', type: 'mse', inputs: ['s'] },
    };
    const net = createNetwork(spec, createRng(2));
    const data = createRng(3);
    const X = randomMatrix(6, 3, data);
    const Y = randomMatrix(6, 2, data);
    // A fresh generator with one seed draws the same mask at every evaluation of C.
    const training = () => ({ training: true as const, rng: createRng(11) });
    const cost = () => dataLoss(net, forward(net, X, training()), Y);
    const mask = forward(net, X, training()).layers[2].memory!.data;
    expect(mask.some((m) => m === 0) && mask.some((m) => m > 1)).toBe(true);
    lossAndGradients(net, X, Y, undefined, training());
    const analytic = net.gradientArrays.map((g) => g.slice());
    const h = 1e-3;
    let worst = 0;
    net.parameterArrays.forEach((values, k) => {
      for (let i = 0; i < values.length; i++) {
        const original = values[i];
        const at = (offset: number) => {
          values[i] = original + offset;
          return cost();
        };
        const numerical = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
        values[i] = original;
        const a = analytic[k][i];
        worst = Math.max(
          worst,
          Math.abs(a - numerical) / Math.max(Math.abs(a), Math.abs(numerical), 1e-4),
        );
      }
    });
    expect(worst).toBeLessThan(1e-7);
  });
});
