/**
 * The canvas encoding of gradient magnitudes: a log scale (equal ratios, equal steps), monotone
 * in width and colour, clamped at the ends; and the backward order of the pulse.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  backwardOrder,
  backwardSlots,
  edgeGradientLayer,
  flowColour,
  flowDomain,
  flowPosition,
  flowTicks,
  flowWidth,
  MAX_WIDTH,
  MIN_WIDTH,
  NOT_FINITE_COLOUR,
  passAnimationMs,
  pulseMsPerLayer,
  STEP_MS_PER_LAYER,
} from '../../../src/lib/gradients/flow-encoding';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import { parseColour } from '../../../src/lib/components/charts/palette';

const iris: LayerSpec = {
  input: { id: 'n1', size: 4 },
  layers: [
    { id: 'n2', type: 'dense', inputs: ['n1'], inputSize: 4, units: 5, init: 'auto' },
    { id: 'n3', type: 'activation', inputs: ['n2'], fn: 'sigmoid', size: 5 },
    { id: 'n4', type: 'dense', inputs: ['n3'], inputSize: 5, units: 3, init: 'auto' },
    { id: 'n5', type: 'activation', inputs: ['n4'], fn: 'softmax', size: 3 },
  ],
  loss: { id: 'n6', type: 'cross_entropy', inputs: ['n5'] },
};

describe('log scale', () => {
  test('domain: whole decades around the values, at least three wide', () => {
    expect(flowDomain([0.02, 0.3])).toEqual([1e-3, 1]);
    expect(flowDomain([3e-7, 0.5, 0, NaN, Infinity])).toEqual([1e-7, 1]);
    expect(flowDomain([1])).toEqual([0.01, 10]);
    expect(flowDomain([0, -1, NaN])).toBeNull();
  });

  test('equal ratios give equal steps in position and width', () => {
    const domain: [number, number] = [1e-4, 1];
    expect(flowPosition(1e-4, domain)).toBe(0);
    expect(flowPosition(1e-2, domain)).toBeCloseTo(0.5, 12);
    expect(flowPosition(1, domain)).toBe(1);
    const w = [1e-4, 1e-3, 1e-2, 1e-1, 1].map((v) => flowWidth(v, domain));
    const steps = w.slice(1).map((x, i) => x - w[i]);
    for (const s of steps) expect(s).toBeCloseTo((MAX_WIDTH - MIN_WIDTH) / 4, 1);
    expect(w[0]).toBe(MIN_WIDTH);
    expect(w[4]).toBe(MAX_WIDTH);
  });

  test('clamped outside the domain; zero is the bottom, ∞ the top, NaN has no place', () => {
    const domain: [number, number] = [1e-3, 1];
    expect(flowWidth(1e-9, domain)).toBe(MIN_WIDTH);
    expect(flowWidth(0, domain)).toBe(MIN_WIDTH);
    expect(flowWidth(1e6, domain)).toBe(MAX_WIDTH);
    expect(flowWidth(Infinity, domain)).toBe(MAX_WIDTH);
    expect(flowPosition(NaN, domain)).toBeNull();
    expect(flowColour(NaN, domain)).toBe(NOT_FINITE_COLOUR);
  });

  test('width and colour are monotone in the magnitude (property)', () => {
    // Plasma's red channel rises along the part of the ramp in use, so it orders the colours.
    fc.assert(
      fc.property(
        fc.double({ min: 1e-12, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-12, max: 1e6, noNaN: true }),
        (a, b) => {
          const domain = flowDomain([a, b]) as [number, number];
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(flowWidth(lo, domain)).toBeLessThanOrEqual(flowWidth(hi, domain));
          expect(parseColour(flowColour(lo, domain))[0]).toBeLessThanOrEqual(
            parseColour(flowColour(hi, domain))[0],
          );
        },
      ),
    );
  });

  test('colours are written rgb(r, g, b), the form the DOM keeps', () => {
    expect(flowColour(1e-3, [1e-3, 1])).toBe('rgb(13, 8, 135)'); // plasma's start
    expect(flowColour(1, [1e-3, 1])).toMatch(/^rgb\(\d+, \d+, \d+\)$/);
  });

  test('ticks are the powers of ten of the domain, thinned', () => {
    expect(flowTicks([1e-3, 1])).toEqual([1e-3, 1e-2, 1e-1, 1]);
    const many = flowTicks([1e-12, 1], 5);
    expect(many.length).toBeLessThanOrEqual(5);
    expect(many[0]).toBe(1e-12);
  });
});

describe('backward order', () => {
  test('loss first, then the layers from output to input, then the input', () => {
    expect(backwardOrder(iris)).toEqual(['n6', 'n5', 'n4', 'n3', 'n2', 'n1']);
    expect(backwardSlots(iris).get('n6')).toBe(0);
    expect(backwardSlots(iris).get('n1')).toBe(5);
  });

  test('each wire shows the dense layer it feeds, or the dense layer before its target', () => {
    expect(edgeGradientLayer(iris, 'n2')).toBe('n2'); // input -> dense
    expect(edgeGradientLayer(iris, 'n3')).toBe('n2'); // dense -> sigmoid carries dC/dZ of n2
    expect(edgeGradientLayer(iris, 'n4')).toBe('n4');
    expect(edgeGradientLayer(iris, 'n5')).toBe('n4');
    expect(edgeGradientLayer(iris, 'n6')).toBe('n4'); // softmax -> loss
    expect(edgeGradientLayer(iris, 'nope')).toBeUndefined();
  });

  test('an activation right after the input shows the dense layer after it', () => {
    const spec: LayerSpec = {
      input: { id: 'i', size: 2 },
      layers: [
        { id: 'a', type: 'activation', inputs: ['i'], fn: 'tanh', size: 2 },
        { id: 'd', type: 'dense', inputs: ['a'], inputSize: 2, units: 1, init: 'auto' },
      ],
      loss: { id: 'l', type: 'mse', inputs: ['d'] },
    };
    expect(edgeGradientLayer(spec, 'a')).toBe('d');
    const noDense: LayerSpec = {
      input: { id: 'i', size: 1 },
      layers: [],
      loss: { id: 'l', type: 'mse', inputs: ['i'] },
    };
    expect(edgeGradientLayer(noDense, 'l')).toBeUndefined();
  });

  test('step mode plays one layer per 400 ms; training passes fit in under a second', () => {
    expect(pulseMsPerLayer('step', 6)).toBe(STEP_MS_PER_LAYER);
    expect(pulseMsPerLayer('training', 6) * 5).toBeLessThanOrEqual(1000);
    expect(pulseMsPerLayer('training', 40)).toBeGreaterThanOrEqual(60);
  });
});

test('one animation length per pass holds every slot and the last flash fading after it', () => {
  fc.assert(
    fc.property(fc.integer({ min: 2, max: 40 }), fc.constantFrom('step', 'training'), (n, mode) => {
      const ms = pulseMsPerLayer(mode as 'step' | 'training', n);
      const total = passAnimationMs(n, ms);
      // The input (last slot) lights at (n - 1) × ms and fades over the next slot plus its rise.
      expect(total).toBeGreaterThanOrEqual((n - 1) * ms + ms + Math.min(120, ms / 3));
      // The pass queue moves on after n slots: the animations end soon after that.
      expect(total - n * ms).toBeCloseTo(ms / 2, 9);
    }),
  );
});
