/**
 * The gradient view on a DAG: backward slots split at a fan-out and meet at the node feeding the
 * branches, pulses on a skip wire span the layers it jumps, and each wire shows the ‖dC/dA‖ its
 * consumer sends back (checked against central finite differences and the Add's rule).
 */
import { describe, expect, test } from 'vitest';
import type { ActivationSpec, DenseSpec, LayerSpec } from '../../../src/lib/engine/spec';
import {
  backwardOrder,
  backwardSlots,
  slotCount,
  wireGradient,
} from '../../../src/lib/gradients/flow-encoding';
import { pulseWindow } from '../../../src/lib/gradients/pulse-path';
import { createNetwork, dataLoss, forward } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import { cloneMatrix, fromRows } from '../../../src/lib/engine/matrix';
import { wireGradientNorms } from '../../../src/lib/worker/stats';
import type { StepStats } from '../../../src/lib/gradients/types';

const dense = (id: string, input: string, inputSize: number, units: number): DenseSpec => ({
  id,
  type: 'dense',
  inputs: [input],
  inputSize,
  units,
  init: 'xavier',
});
const act = (id: string, input: string, fn: 'sigmoid' | 'tanh', size: number): ActivationSpec => ({
  id,
  type: 'activation',
  inputs: [input],
  fn,
  size,
});

/** i -> d1 -> s1 -> d2 -> s2, Add(s1, s2) -> d3 -> loss: a skip around d2 + s2. */
const skip: LayerSpec = {
  input: { id: 'i', size: 3 },
  layers: [
    dense('d1', 'i', 3, 4),
    act('s1', 'd1', 'tanh', 4),
    dense('d2', 's1', 4, 4),
    act('s2', 'd2', 'sigmoid', 4),
    { id: 'add', type: 'add', inputs: ['s1', 's2'], size: 4 },
    dense('d3', 'add', 4, 2),
  ],
  loss: { id: 'L', type: 'mse', inputs: ['d3'] },
};

/** Two parallel branches from the input meeting in a Concat. */
const wide: LayerSpec = {
  input: { id: 'i', size: 3 },
  layers: [
    dense('a', 'i', 3, 2),
    dense('b', 'i', 3, 5),
    { id: 'c', type: 'concat', inputs: ['a', 'b'], size: 7 },
    dense('o', 'c', 7, 2),
  ],
  loss: { id: 'L', type: 'mse', inputs: ['o'] },
};

describe('backward slots on a DAG', () => {
  test('a node comes one slot after the last of its consumers', () => {
    const slots = backwardSlots(skip);
    // By hand: L 0, d3 1, add 2, s2 3, d2 4, s1 = 1 + max(add 2, d2 4) = 5, d1 6, i 7.
    expect(Object.fromEntries(slots)).toEqual({
      L: 0,
      d3: 1,
      add: 2,
      s2: 3,
      d2: 4,
      s1: 5,
      d1: 6,
      i: 7,
    });
    expect(slotCount(slots)).toBe(8);
    expect(backwardOrder(skip)).toEqual(['L', 'd3', 'add', 's2', 'd2', 's1', 'd1', 'i']);
  });

  test('parallel branches share a slot: the pass splits at the Concat and meets at the input', () => {
    const slots = backwardSlots(wide);
    expect(Object.fromEntries(slots)).toEqual({ L: 0, o: 1, c: 2, a: 3, b: 3, i: 4 });
    expect(slotCount(slots)).toBe(5);
    expect(backwardOrder(wide)).toEqual(['L', 'o', 'c', 'b', 'a', 'i']);
  });

  test('pulses on both wires into the Add leave together; the skip wire spans three slots', () => {
    const slots = backwardSlots(skip);
    const ms = 100;
    const total = (8 + 0.5) * ms;
    expect(pulseWindow(slots, 's2', 'add', ms)).toEqual({ start: 200, travel: 100, total });
    expect(pulseWindow(slots, 's1', 'add', ms)).toEqual({ start: 200, travel: 300, total });
    // Both reach s1 as its slot starts: the deep path through d2 ends there too.
    expect(pulseWindow(slots, 's1', 'd2', ms)).toEqual({ start: 400, travel: 100, total });
    expect(pulseWindow(slots, 'x', 'nowhere', ms)).toBeNull();
  });
});

describe('what a wire shows', () => {
  const base: StepStats = {
    update: 3,
    dense: ['d1', 'd2', 'd3'].map((id, k) => ({
      id,
      inputSize: 4,
      units: 4,
      gradWNorm: 10 ** -k,
      gradBNorm: 0,
      meanAbsGrad: 0,
      maxAbsGrad: 0,
      weightNorm: 1,
      updateRatio: 0,
    })),
    activations: [],
  };

  test('its own ‖dC/dA‖ when the update carries wire norms', () => {
    const stats: StepStats = {
      ...base,
      wireNorms: [
        { source: 's1', target: 'add', norm: 0.5 },
        { source: 's2', target: 'add', norm: 0.25 },
      ],
    };
    expect(wireGradient(skip, stats, 's1', 'add')).toEqual({ norm: 0.5, kind: 'wire' });
    expect(wireGradient(skip, stats, 's2', 'add')).toEqual({ norm: 0.25, kind: 'wire' });
    expect(wireGradient(skip, stats, 's1', 'd2')).toBeUndefined();
  });

  test('older events: the nearest dense layer before the wire, along first inputs', () => {
    expect(wireGradient(skip, base, 'd2', 's2')).toEqual({
      norm: 0.1,
      kind: 'layer',
      layerId: 'd2',
    });
    // Into the Add: back along its first input (s1) to d1.
    expect(wireGradient(skip, base, 's2', 'add')?.layerId).toBe('d1');
    expect(wireGradient(skip, base, 'd3', 'L')?.layerId).toBe('d3');
    expect(wireGradient(skip, base, 'i', 'd1')?.layerId).toBe('d1');
  });
});

describe('wireGradientNorms', () => {
  const X = fromRows([
    [0.3, -1.2, 0.8],
    [1.1, 0.4, -0.5],
    [-0.7, 0.9, 0.2],
  ]);
  const Y = fromRows([
    [1, 0],
    [0, 1],
    [0.5, 0.5],
  ]);

  function wiresOf(spec: LayerSpec) {
    const net = createNetwork(spec, createRng(7));
    const gradsBefore = net.gradientArrays.map((a) => a.slice());
    const cache = forward(net, X);
    const wires = wireGradientNorms(net, cache, Y);
    const byWire = new Map(wires.map((w) => [`${w.source}->${w.target}`, w.norm]));
    return { net, wires, byWire, gradsBefore };
  }

  test('one entry per wire; the network gradient buffers are left as they were', () => {
    const { net, wires, gradsBefore } = wiresOf(skip);
    expect(wires.map((w) => `${w.source}->${w.target}`).sort()).toEqual(
      ['i->d1', 'd1->s1', 's1->d2', 'd2->s2', 's1->add', 's2->add', 'add->d3', 'd3->L'].sort(),
    );
    net.gradientArrays.forEach((a, k) => expect(a).toEqual(gradsBefore[k]));
  });

  test('an Add sends dC/dy unchanged to each input: equal norms in and out', () => {
    const { byWire } = wiresOf(skip);
    const out = byWire.get('add->d3')!;
    expect(out).toBeGreaterThan(0);
    expect(byWire.get('s1->add')).toBeCloseTo(out, 14);
    expect(byWire.get('s2->add')).toBeCloseTo(out, 14);
  });

  test('the wire into the loss carries ‖dC/dP‖ = ‖2(P - T)/(BK)‖ (mse, by hand)', () => {
    const { net, byWire } = wiresOf(skip);
    const P = forward(net, X).output;
    let sum = 0;
    for (let k = 0; k < P.data.length; k++) sum += ((2 * (P.data[k] - Y.data[k])) / 6) ** 2;
    expect(byWire.get('d3->L')).toBeCloseTo(Math.sqrt(sum), 14);
  });

  test('the wire out of the input carries ‖dC/dX‖ (central finite differences)', () => {
    for (const spec of [skip]) {
      const { net, byWire } = wiresOf(spec);
      const h = 1e-6;
      let sum = 0;
      for (let k = 0; k < X.data.length; k++) {
        const plus = cloneMatrix(X);
        const minus = cloneMatrix(X);
        plus.data[k] += h;
        minus.data[k] -= h;
        const up = dataLoss(net, forward(net, plus), Y);
        const down = dataLoss(net, forward(net, minus), Y);
        sum += ((up - down) / (2 * h)) ** 2;
      }
      expect(byWire.get('i->d1')! / Math.sqrt(sum)).toBeCloseTo(1, 6);
    }
  });

  test('a fan-out: each consumer sends its own part, which the finite differences sum', () => {
    // The input feeds both branches of `wide`: ‖part a‖ and ‖part b‖ each differ from ‖dC/dX‖,
    // and by the triangle inequality the two parts bound it.
    const { net, byWire } = wiresOf(wide);
    const h = 1e-6;
    let sum = 0;
    for (let k = 0; k < X.data.length; k++) {
      const plus = cloneMatrix(X);
      const minus = cloneMatrix(X);
      plus.data[k] += h;
      minus.data[k] -= h;
      sum +=
        ((dataLoss(net, forward(net, plus), Y) - dataLoss(net, forward(net, minus), Y)) /
          (2 * h)) **
        2;
    }
    const total = Math.sqrt(sum);
    const a = byWire.get('i->a')!;
    const b = byWire.get('i->b')!;
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(a + b + 1e-8);
    expect(total).toBeGreaterThanOrEqual(Math.abs(a - b) - 1e-8);
  });
});
