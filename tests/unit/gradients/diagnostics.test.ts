/**
 * Diagnostics on constructed statistics: every kind fires just past its threshold and stays
 * quiet just before it, and the messages name the layers and numbers they are about.
 */
import { describe, expect, test } from 'vitest';
import {
  addToEpochNorms,
  DEFAULT_THRESHOLDS,
  diagnose,
  epochNorm,
  formatFactor,
  type EpochGradientNorms,
} from '../../../src/lib/gradients/diagnostics';
import type { ActivationStats, GradientUpdate } from '../../../src/lib/gradients/types';
import type { ActivationName } from '../../../src/lib/engine/spec';

/** An update of a chain Dense d1, Dense d2, ... with the given ‖dC/dW‖ (other stats plain). */
function update(
  norms: number[],
  options: {
    step?: number;
    epoch?: number;
    activations?: ActivationStats[];
    normB?: number[];
  } = {},
): GradientUpdate {
  return {
    step: options.step ?? 1,
    epoch: options.epoch ?? 1,
    dense: norms.map((n, i) => ({
      id: `d${i + 1}`,
      gradNormW: n,
      gradNormB: options.normB?.[i] ?? n / 10,
      meanAbsGrad: n / 100,
      maxAbsGrad: n / 10,
      weightNorm: 1,
      updateRatio: 1e-3,
    })),
    activations: options.activations ?? [],
  };
}

function activation(
  id: string,
  fn: ActivationName,
  deadFraction: number,
  saturatedFraction: number,
): ActivationStats {
  return { id, fn, deadFraction, saturatedFraction };
}

const repeat = (n: number, make: (i: number) => GradientUpdate) =>
  Array.from({ length: n }, (_, i) => make(i));
const names = (id: string) => `Layer ${id}`;
const kinds = (updates: GradientUpdate[], epochs?: EpochGradientNorms[]) =>
  diagnose({ updates, epochs, nameOf: names }).map((d) => d.kind);

describe('vanishing gradients', () => {
  const { vanishingRatio: ratio, vanishingUpdates: n } = DEFAULT_THRESHOLDS;

  test('fires when the first layer is below 1e-3 × the last on the last 5 updates', () => {
    const updates = repeat(n, (i) => update([0.99e-3, 0.5, 1], { step: i + 1 }));
    const found = diagnose({ updates, nameOf: names });
    expect(found).toHaveLength(1);
    expect(found[0].kind).toBe('vanishing');
    expect(found[0].nodeIds).toEqual(['d1']);
    expect(found[0].message).toContain('Gradients reaching Layer d1');
    expect(found[0].message).toContain('1,000× smaller than at the output (Layer d3)');
  });

  test('does not fire at exactly the ratio', () => {
    const updates = repeat(n, () => update([ratio * 2, 1, 2]));
    expect(kinds(updates)).toEqual([]);
  });

  test('needs the full run of consecutive updates', () => {
    const low = (i: number) => update([1e-6, 1], { step: i + 1 });
    expect(kinds(repeat(n - 1, low))).toEqual([]);
    expect(kinds(repeat(n, low))).toEqual(['vanishing']);
    // One healthy update inside the window breaks the run.
    const broken = repeat(n, low);
    broken[2] = update([1e-2, 1]);
    expect(kinds(broken)).toEqual([]);
    // ... but not once it has scrolled out of the window.
    expect(kinds([update([1e-2, 1]), ...repeat(n, low)])).toEqual(['vanishing']);
  });

  test('a zero gradient at the first layer is vanishing; a single dense layer never is', () => {
    const found = diagnose({ updates: repeat(n, () => update([0, 1])), nameOf: names });
    expect(found.map((d) => d.kind)).toEqual(['vanishing']);
    expect(found[0].message).toContain('No gradient reaches Layer d1');
    expect(kinds(repeat(n, () => update([1e-9])))).toEqual([]);
  });

  test('names sigmoids as the cause and suggests ReLU with He initialisation', () => {
    const acts = [activation('s1', 'sigmoid', 0, 0.9), activation('s2', 'sigmoid', 0, 0.9)];
    const found = diagnose({
      updates: repeat(n, () => update([1e-5, 1e-3, 0.1], { activations: acts })),
      nameOf: names,
    });
    const vanishing = found.find((d) => d.kind === 'vanishing');
    expect(vanishing?.message).toContain('10,000× smaller');
    expect(vanishing?.message).toContain('the sigmoids are saturating');
    expect(vanishing?.suggestion).toBe('Try ReLU with He initialisation, or fewer layers.');
    // Only d1 is below 1e-3 × the output's 0.1 (d2 sits exactly at 1e-2 × it).
    expect(vanishing?.nodeIds).toEqual(['d1']);
  });

  test('lists every layer below the ratio, first layer first', () => {
    const found = diagnose({ updates: repeat(n, () => update([1e-7, 1e-5, 0.5, 1])) });
    expect(found[0].nodeIds).toEqual(['d1', 'd2']);
  });
});

describe('exploding gradients', () => {
  const { explodingNorm: limit } = DEFAULT_THRESHOLDS;

  test('fires above 1e3 for the weight or the bias gradient, not at 1e3', () => {
    expect(kinds([update([1, limit])])).toEqual([]);
    expect(kinds([update([1, limit * 1.0001])])).toEqual(['exploding']);
    expect(kinds([update([1, 2], { normB: [0, limit * 1.5] })])).toEqual(['exploding']);
    const found = diagnose({ updates: [update([2000, 1, 5000])], nameOf: names });
    expect(found[0].severity).toBe('error');
    expect(found[0].nodeIds).toEqual(['d1', 'd3']);
    expect(found[0].message).toContain('Layer d3 has a gradient norm of 5,000');
    expect(found[0].suggestion).toMatch(/Lower the learning rate/);
  });

  test('NaN or ∞ is reported as divergence', () => {
    const found = diagnose({ updates: [update([NaN, 1, Infinity])], nameOf: names });
    expect(found.map((d) => d.kind)).toEqual(['exploding']);
    expect(found[0].message).toContain('Layer d1 and Layer d3 are no longer finite');
  });

  /** Epoch summaries of a 2-layer net whose second layer has the given norm in each epoch. */
  function epochsOf(perEpoch: number[]): {
    updates: GradientUpdate[];
    epochs: EpochGradientNorms[];
  } {
    let epochs: EpochGradientNorms[] = [];
    const updates: GradientUpdate[] = [];
    perEpoch.forEach((norm, e) => {
      for (let k = 0; k < 3; k++) {
        const u = update([0.5, norm], { epoch: e + 1, step: updates.length + 1 });
        updates.push(u);
        epochs = addToEpochNorms(epochs, u);
      }
    });
    // The next epoch has begun, so the ones above are complete.
    const next = update([0.5, perEpoch[perEpoch.length - 1]], { epoch: perEpoch.length + 1 });
    updates.push(next);
    epochs = addToEpochNorms(epochs, next);
    return { updates, epochs };
  }

  test('fires when a layer grows tenfold from one complete epoch to the next', () => {
    const grew = epochsOf([0.5, 5]);
    const found = diagnose({ ...grew, nameOf: names });
    expect(found.map((d) => d.kind)).toEqual(['exploding']);
    expect(found[0].severity).toBe('warning');
    expect(found[0].nodeIds).toEqual(['d2']);
    expect(found[0].message).toContain('grew 10× from epoch 1 to epoch 2');
  });

  test('does not fire just below tenfold, nor for growth that ends below norm 1', () => {
    const almost = epochsOf([0.5, 4.99]);
    expect(kinds(almost.updates, almost.epochs)).toEqual([]);
    const recovering = epochsOf([1e-6, 1e-4]);
    expect(diagnose(recovering)).toEqual([]);
  });

  test('the running epoch does not count', () => {
    let epochs: EpochGradientNorms[] = [];
    const updates = [update([0.5, 0.5], { epoch: 1 }), update([0.5, 50], { epoch: 2 })];
    for (const u of updates) epochs = addToEpochNorms(epochs, u);
    expect(diagnose({ updates, epochs })).toEqual([]);
  });
});

describe('epoch summaries', () => {
  test('geometric mean per layer; zero, NaN and ∞ are left out', () => {
    let epochs: EpochGradientNorms[] = [];
    for (const n of [1e-2, 1e-4, 0, NaN, Infinity])
      epochs = addToEpochNorms(epochs, update([n, 1], { epoch: 3 }));
    expect(epochs).toHaveLength(1);
    expect(epochNorm(epochs[0], 'd1')).toBeCloseTo(1e-3, 15);
    expect(epochNorm(epochs[0], 'd2')).toBe(1);
    expect(epochNorm(epochs[0], 'missing')).toBeUndefined();
  });

  test('a lower epoch (after a reset) starts over; old summaries are not mutated', () => {
    const first = addToEpochNorms([], update([1, 1], { epoch: 4 }));
    const second = addToEpochNorms(first, update([100, 1], { epoch: 4 }));
    expect(epochNorm(first[0], 'd1')).toBe(1);
    expect(epochNorm(second[0], 'd1')).toBeCloseTo(10, 12);
    const reset = addToEpochNorms(second, update([5, 1], { epoch: 1 }));
    expect(reset.map((e) => e.epoch)).toEqual([1]);
  });

  test('keeps at most `keep` epochs', () => {
    let epochs: EpochGradientNorms[] = [];
    for (let e = 1; e <= 10; e++) epochs = addToEpochNorms(epochs, update([1], { epoch: e }), 4);
    expect(epochs.map((e) => e.epoch)).toEqual([7, 8, 9, 10]);
  });
});

describe('dead ReLU units', () => {
  const { deadFraction: limit } = DEFAULT_THRESHOLDS;
  const with_ = (fn: ActivationName, dead: number) =>
    diagnose({
      updates: [update([1, 1], { activations: [activation('a1', fn, dead, 0)] })],
      nameOf: names,
    });

  test('fires above 50% dead, not at 50%', () => {
    expect(with_('relu', limit)).toEqual([]);
    const found = with_('relu', 0.625);
    expect(found.map((d) => d.kind)).toEqual(['dead_relu']);
    expect(found[0].severity).toBe('warning');
    expect(found[0].nodeIds).toEqual(['a1']);
    expect(found[0].message).toContain('63% of the units of Layer a1 output zero');
    expect(found[0].suggestion).toMatch(/Leaky ReLU/);
  });

  test('all units dead is an error', () => {
    const found = with_('relu', 1);
    expect(found[0].severity).toBe('error');
    expect(found[0].message).toMatch(/^All of the units/);
  });

  test('only ReLU layers die', () => {
    expect(with_('leaky_relu', 0.9)).toEqual([]);
    expect(with_('sigmoid', 0.9)).toEqual([]);
  });
});

describe('saturated sigmoid and tanh units', () => {
  const { saturatedFraction: limit } = DEFAULT_THRESHOLDS;
  const with_ = (fn: ActivationName, share: number) =>
    diagnose({
      updates: [update([1, 1], { activations: [activation('a2', fn, 0, share)] })],
      nameOf: names,
    });

  test('fires above 50% saturated, not at 50%', () => {
    expect(with_('sigmoid', limit)).toEqual([]);
    const found = with_('sigmoid', 0.71);
    expect(found.map((d) => d.kind)).toEqual(['saturated']);
    expect(found[0].message).toContain('71% of the units of Layer a2 are saturated');
    expect(found[0].message).toContain('near 0 or 1');
    expect(with_('tanh', 0.8)[0].message).toContain('near −1 or 1');
  });

  test('other activations are never reported as saturated', () => {
    expect(with_('relu', 1)).toEqual([]);
    expect(with_('softmax', 1)).toEqual([]);
  });
});

test('no updates, no diagnoses; a healthy update, none either', () => {
  expect(diagnose({ updates: [] })).toEqual([]);
  const healthy = repeat(10, (i) =>
    update([0.05, 0.2, 0.4], {
      step: i + 1,
      activations: [activation('a1', 'relu', 0.1, 0), activation('a2', 'sigmoid', 0, 0.2)],
    }),
  );
  expect(diagnose({ updates: healthy })).toEqual([]);
});

test('factors are written with two significant digits and thousands separators', () => {
  expect(formatFactor(10000)).toBe('10,000×');
  expect(formatFactor(12345)).toBe('12,000×');
  expect(formatFactor(14.2)).toBe('14×');
  expect(formatFactor(Infinity)).toBe('infinitely');
});
