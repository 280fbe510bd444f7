/**
 * DESIGN.md §6: backprop agrees with central finite differences (relative error < 1e-7 in
 * float64) for every hidden activation and every loss head, depths 1 to 4, batch sizes 1 and odd,
 * without and with l1/l2.
 */
import { describe, expect, it } from 'vitest';
import { gradientCheck } from '../../../src/lib/engine/gradient-check';
import { createNetwork } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import type { ActivationName } from '../../../src/lib/engine/spec';
import { chainSpec, HEADS, outputsFor, randomMatrix, targetsFor } from './helpers';

const HIDDEN: ActivationName[] = ['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu'];
const DEPTHS = [1, 2, 3, 4];
const BATCHES = [1, 3, 7];
const REGULARIZATIONS = [
  { l1: 0, l2: 0 },
  { l1: 0.01, l2: 0 },
  { l1: 0, l2: 0.1 },
  { l1: 0.003, l2: 0.05 },
];
const CASES = HIDDEN.flatMap((activation) => HEADS.map((head) => ({ activation, head })));

describe('gradient check against central finite differences', () => {
  it.each(CASES)('$activation hidden layers, $head', ({ activation, head }) => {
    let seed = 1;
    for (const depth of DEPTHS)
      for (const batch of BATCHES)
        for (const reg of REGULARIZATIONS) {
          const rng = createRng(seed++);
          const outputs = outputsFor(head);
          const net = createNetwork(
            chainSpec({ inputs: 3, depth, outputs, activation, head }),
            rng,
          );
          const X = randomMatrix(batch, 3, rng);
          const Y = targetsFor(head, batch, outputs, rng);
          const label = `depth ${depth}, batch ${batch}, l1 ${reg.l1}, l2 ${reg.l2}`;
          const results = gradientCheck(net, X, Y, reg);
          expect(results.map((r) => r.layerId)).toEqual(net.params.map((p) => p.id));
          for (const r of results) {
            const total = net.params.find((p) => p.id === r.layerId)!;
            const size = total.W.data.length + total.b.length;
            expect(r.entries + r.skippedAtKinks, label).toBe(size);
            // Kinks are rare: nearly every entry is really compared.
            expect(r.entries, label).toBeGreaterThanOrEqual(Math.ceil(size * 0.75));
            expect(r.maxRelativeError, `${label}, layer ${r.layerId}`).toBeLessThan(1e-7);
            expect(r.normRelativeError, `${label}, layer ${r.layerId}`).toBeLessThan(1e-8);
          }
        }
  });

  it('smooth activations never skip an entry', () => {
    const rng = createRng(5);
    const net = createNetwork(
      chainSpec({
        inputs: 3,
        depth: 3,
        outputs: 3,
        activation: 'tanh',
        head: 'softmax+cross_entropy',
      }),
      rng,
    );
    const results = gradientCheck(
      net,
      randomMatrix(7, 3, rng),
      targetsFor('softmax+cross_entropy', 7, 3, rng),
    );
    expect(results.every((r) => r.skippedAtKinks === 0)).toBe(true);
  });

  it('catches a wrong backward (a 1% error in one layer)', () => {
    const rng = createRng(9);
    const net = createNetwork(
      chainSpec({ inputs: 3, depth: 3, outputs: 2, activation: 'sigmoid', head: 'mse' }),
      rng,
    );
    const layer = net.layers[2];
    const original = layer.backward;
    net.layers[2] = {
      ...layer,
      backward(cache, dOutput, dInputs) {
        original(cache, dOutput, dInputs);
        layer.grads!.dW.data[0] *= 1.01;
      },
    };
    const results = gradientCheck(net, randomMatrix(3, 3, rng), targetsFor('mse', 3, 2, rng));
    expect(results[0].maxRelativeError).toBeLessThan(1e-7);
    expect(results[1].maxRelativeError).toBeGreaterThan(1e-3);
    expect(results[1].worst).toMatchObject({ param: 'W', row: 0, col: 0 });
  });

  it('the classic two-point difference agrees to about 1e-5', () => {
    const rng = createRng(12);
    const net = createNetwork(
      chainSpec({ inputs: 3, depth: 2, outputs: 3, activation: 'elu', head: 'softmax+mse' }),
      rng,
    );
    const results = gradientCheck(
      net,
      randomMatrix(3, 3, rng),
      targetsFor('softmax+mse', 3, 3, rng),
      undefined,
      {
        points: 2,
      },
    );
    for (const r of results) expect(r.maxRelativeError).toBeLessThan(1e-5);
  });
});
