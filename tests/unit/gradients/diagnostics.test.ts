/**
 * Diagnostics on constructed statistics: every kind fires just past its threshold and stays
 * quiet just before it, and the messages name the layers and numbers they are about.
 */
import { describe, expect, test } from 'vitest';
import {
  addToEpochNorms,
  DEFAULT_THRESHOLDS,
  diagnose,
  diagnosticsByNode,
  epochNorm,
  formatFactor,
  type DiagnosisInput,
  type EpochGradientNorms,
} from '../../../src/lib/gradients/diagnostics';
import type { ActivationLayerStats, NormColumn, StepStats } from '../../../src/lib/gradients/types';
import type { ActivationName } from '../../../src/lib/engine/spec';

/** One constructed update of a chain Dense d1, Dense d2, ... */
interface Update {
  /** ‖dC/dW‖ per dense layer. */
  norms: number[];
  /** ‖dC/db‖ per dense layer (default norms / 10). */
  normB?: number[];
  epoch?: number;
  activations?: ActivationLayerStats[];
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `d${i + 1}`);

function statsOf(u: Update, update: number): StepStats {
  return {
    update,
    dense: u.norms.map((n, i) => ({
      id: `d${i + 1}`,
      inputSize: 3,
      units: 3,
      gradWNorm: n,
      gradBNorm: u.normB?.[i] ?? n / 10,
      meanAbsGrad: n / 100,
      maxAbsGrad: n / 10,
      weightNorm: 1,
      updateRatio: 1e-3,
    })),
    activations: u.activations ?? [],
  };
}

/** The diagnosis input after the given consecutive updates (numbered from 1). */
function inputOf(updates: Update[], extra: Partial<DiagnosisInput> = {}): DiagnosisInput {
  const layerIds = ids(updates[0]?.norms.length ?? 0);
  const recent: NormColumn[] = updates.map((u, i) => ({
    update: i + 1,
    epoch: u.epoch ?? 1,
    norms: u.norms,
  }));
  let epochs: EpochGradientNorms[] = [];
  for (const column of recent) epochs = addToEpochNorms(epochs, layerIds, column);
  const last = updates[updates.length - 1];
  return {
    latest: last ? statsOf(last, updates.length) : null,
    layerIds,
    recent,
    epochs,
    nameOf: (id) => `Layer ${id}`,
    ...extra,
  };
}

function activation(
  id: string,
  fn: ActivationName,
  deadFraction: number | null,
  saturatedFraction: number | null,
): ActivationLayerStats {
  return { id, fn, units: 8, deadFraction, saturatedFraction };
}

const repeat = (n: number, make: (i: number) => Update) =>
  Array.from({ length: n }, (_, i) => make(i));
const kinds = (updates: Update[]) => diagnose(inputOf(updates)).map((d) => d.kind);

describe('vanishing gradients', () => {
  const { vanishingRatio: ratio, vanishingUpdates: n } = DEFAULT_THRESHOLDS;

  test('fires when the first layer is below 1e-3 × the last on the last 5 updates', () => {
    const found = diagnose(inputOf(repeat(n, () => ({ norms: [0.99e-3, 0.5, 1] }))));
    expect(found).toHaveLength(1);
    expect(found[0].kind).toBe('vanishing');
    expect(found[0].nodeIds).toEqual(['d1']);
    expect(found[0].message).toContain('Gradients reaching Layer d1');
    expect(found[0].message).toContain('1,000× smaller than at the output (Layer d3)');
    expect(found[0].badge).toBe('Vanishing gradients');
    expect(found[0].nodeBadges).toEqual({
      d1: 'Vanishing gradients: 1,000× smaller than at the output',
    });
  });

  test('does not fire at exactly the ratio', () => {
    expect(kinds(repeat(n, () => ({ norms: [ratio * 2, 1, 2] })))).toEqual([]);
  });

  test('needs the full run of consecutive updates', () => {
    const low = (): Update => ({ norms: [1e-6, 1] });
    expect(kinds(repeat(n - 1, low))).toEqual([]);
    expect(kinds(repeat(n, low))).toEqual(['vanishing']);
    // One healthy update inside the window breaks the run ...
    const broken = repeat(n, low);
    broken[2] = { norms: [1e-2, 1] };
    expect(kinds(broken)).toEqual([]);
    // ... but not once it has scrolled out of the window.
    expect(kinds([{ norms: [1e-2, 1] }, ...repeat(n, low)])).toEqual(['vanishing']);
    // Updates that are not consecutive (a gap in the series) do not make a run.
    const gappy = inputOf(repeat(n, low));
    const recent = gappy.recent.map((c, i) => ({ ...c, update: c.update + (i >= 2 ? 10 : 0) }));
    expect(diagnose({ ...gappy, recent })).toEqual([]);
  });

  test('a zero gradient at the first layer is vanishing; a single dense layer never is', () => {
    const found = diagnose(inputOf(repeat(n, () => ({ norms: [0, 1] }))));
    expect(found.map((d) => d.kind)).toEqual(['vanishing']);
    expect(found[0].message).toContain('No gradient reaches Layer d1');
    expect(kinds(repeat(n, () => ({ norms: [1e-9] })))).toEqual([]);
  });

  test('names saturating sigmoids as the cause and suggests ReLU with He initialisation', () => {
    const activations = [
      activation('s1', 'sigmoid', null, 0.9),
      activation('s2', 'sigmoid', null, 0.9),
    ];
    const found = diagnose(inputOf(repeat(n, () => ({ norms: [1e-5, 1e-3, 0.1], activations }))));
    const vanishing = found.find((d) => d.kind === 'vanishing');
    expect(vanishing?.message).toContain('10,000× smaller');
    expect(vanishing?.message).toContain('the sigmoids are saturating');
    expect(vanishing?.suggestion).toBe('Try ReLU with He initialisation, or fewer layers.');
    // Only d1 is below 1e-3 × the output's 0.1 (d2 sits exactly at 1e-2 × it).
    expect(vanishing?.nodeIds).toEqual(['d1']);
  });

  test('unsaturated sigmoids are blamed for their slope of at most 0.25', () => {
    const activations = [
      activation('s1', 'sigmoid', null, 0),
      activation('s2', 'sigmoid', null, 0),
    ];
    const found = diagnose(inputOf(repeat(n, () => ({ norms: [1e-5, 0.1], activations }))));
    expect(found[0].message).toContain('at most 0.25, and 2 of them shrink it');
  });

  test('lists every layer below the ratio, first layer first', () => {
    const found = diagnose(inputOf(repeat(n, () => ({ norms: [1e-7, 1e-5, 0.5, 1] }))));
    expect(found[0].nodeIds).toEqual(['d1', 'd2']);
    expect(found[0].nodeBadges).toEqual({
      d1: 'Vanishing gradients: 1.0e7× smaller than at the output',
      d2: 'Vanishing gradients: 100,000× smaller than at the output',
    });
  });
});

describe('exploding gradients', () => {
  const { explodingNorm: limit } = DEFAULT_THRESHOLDS;

  test('fires above 1e3 for the weight or the bias gradient, not at 1e3', () => {
    expect(kinds([{ norms: [1, limit] }])).toEqual([]);
    expect(kinds([{ norms: [1, limit * 1.0001] }])).toEqual(['exploding']);
    expect(kinds([{ norms: [1, 2], normB: [0, limit * 1.5] }])).toEqual(['exploding']);
    const found = diagnose(inputOf([{ norms: [2000, 1, 5000] }]));
    expect(found[0].severity).toBe('error');
    expect(found[0].nodeIds).toEqual(['d1', 'd3']);
    expect(found[0].message).toContain('Layer d3 has a gradient norm of 5,000');
    expect(found[0].suggestion).toMatch(/Lower the learning rate/);
  });

  test('NaN or ∞ is reported as divergence', () => {
    const found = diagnose(inputOf([{ norms: [NaN, 1, Infinity] }]));
    expect(found.map((d) => d.kind)).toEqual(['exploding']);
    expect(found[0].message).toContain('Layer d1 and Layer d3 are no longer finite');
  });

  /** Three updates per epoch with the second layer at the given norm, then one of the next epoch. */
  function epochsOf(perEpoch: number[]): Update[] {
    const updates = perEpoch.flatMap((norm, e) =>
      repeat(3, () => ({ norms: [0.5, norm], epoch: e + 1 })),
    );
    return [...updates, { norms: [0.5, 0.5], epoch: perEpoch.length + 1 }];
  }

  test('fires when a layer grows tenfold from one complete epoch to the next', () => {
    const found = diagnose(inputOf(epochsOf([0.5, 5])));
    expect(found.map((d) => d.kind)).toEqual(['exploding']);
    expect(found[0].severity).toBe('warning');
    expect(found[0].nodeIds).toEqual(['d2']);
    expect(found[0].message).toContain('grew 10× from epoch 1 to epoch 2');
  });

  test('does not fire just below tenfold, nor for growth that ends below norm 1', () => {
    expect(kinds(epochsOf([0.5, 4.99]))).toEqual([]);
    expect(kinds(epochsOf([1e-6, 1e-4]))).toEqual([]);
  });

  test('the running epoch does not count', () => {
    expect(
      kinds([
        { norms: [0.5, 0.5], epoch: 1 },
        { norms: [0.5, 50], epoch: 2 },
      ]),
    ).toEqual([]);
  });
});

describe('epoch summaries', () => {
  const column = (norms: number[], epoch: number, update = 1): NormColumn => ({
    update,
    epoch,
    norms,
  });

  test('geometric mean per layer; zero, NaN and ∞ are left out', () => {
    let epochs: EpochGradientNorms[] = [];
    for (const n of [1e-2, 1e-4, 0, NaN, Infinity])
      epochs = addToEpochNorms(epochs, ['a', 'b'], column([n, 1], 3));
    expect(epochs).toHaveLength(1);
    expect(epochNorm(epochs[0], 'a')).toBeCloseTo(1e-3, 15);
    expect(epochNorm(epochs[0], 'b')).toBe(1);
    expect(epochNorm(epochs[0], 'missing')).toBeUndefined();
  });

  test('a lower epoch (after a reset) starts over; old summaries are not mutated', () => {
    const first = addToEpochNorms([], ['a'], column([1], 4));
    const second = addToEpochNorms(first, ['a'], column([100], 4));
    expect(epochNorm(first[0], 'a')).toBe(1);
    expect(epochNorm(second[0], 'a')).toBeCloseTo(10, 12);
    const reset = addToEpochNorms(second, ['a'], column([5], 1));
    expect(reset.map((e) => e.epoch)).toEqual([1]);
  });

  test('keeps at most `keep` epochs', () => {
    let epochs: EpochGradientNorms[] = [];
    for (let e = 1; e <= 10; e++) epochs = addToEpochNorms(epochs, ['a'], column([1], e), 4);
    expect(epochs.map((e) => e.epoch)).toEqual([7, 8, 9, 10]);
  });
});

describe('dead ReLU units', () => {
  const { deadFraction: limit } = DEFAULT_THRESHOLDS;
  const with_ = (fn: ActivationName, dead: number | null) =>
    diagnose(inputOf([{ norms: [1, 1], activations: [activation('a1', fn, dead, null)] }]));

  test('fires above 50% dead, not at 50%', () => {
    expect(with_('relu', limit)).toEqual([]);
    const found = with_('relu', 0.625);
    expect(found.map((d) => d.kind)).toEqual(['dead_relu']);
    expect(found[0].severity).toBe('warning');
    expect(found[0].nodeIds).toEqual(['a1']);
    expect(found[0].message).toContain('63% of the units of Layer a1 output zero');
    expect(found[0].badge).toBe('63% units dead');
    expect(found[0].suggestion).toMatch(/Leaky ReLU/);
  });

  test('all units dead is an error', () => {
    const found = with_('relu', 1);
    expect(found[0].severity).toBe('error');
    expect(found[0].message).toMatch(/^All of the units/);
  });

  test('only ReLU layers die (leaky ReLU and ELU keep a slope on their flat side)', () => {
    expect(with_('leaky_relu', 0.9)).toEqual([]);
    expect(with_('elu', 0.9)).toEqual([]);
    expect(with_('relu', null)).toEqual([]);
  });
});

describe('saturated sigmoid and tanh units', () => {
  const { saturatedFraction: limit } = DEFAULT_THRESHOLDS;
  const with_ = (fn: ActivationName, share: number | null) =>
    diagnose(inputOf([{ norms: [1, 1], activations: [activation('a2', fn, null, share)] }]));

  test('fires above 50% saturated, not at 50%', () => {
    expect(with_('sigmoid', limit)).toEqual([]);
    const found = with_('sigmoid', 0.71);
    expect(found.map((d) => d.kind)).toEqual(['saturated']);
    expect(found[0].message).toContain('71% of the units of Layer a2 are saturated');
    expect(found[0].badge).toBe('71% units saturated');
    expect(found[0].message).toContain('near 0 or 1');
    expect(with_('tanh', 0.8)[0].message).toContain('near −1 or 1');
  });

  test('other activations are never reported as saturated', () => {
    expect(with_('relu', 1)).toEqual([]);
    expect(with_('softmax', 1)).toEqual([]);
    expect(with_('sigmoid', null)).toEqual([]);
  });
});

test('no updates, no diagnoses; a healthy run, none either', () => {
  expect(diagnose(inputOf([]))).toEqual([]);
  const activations = [activation('a1', 'relu', 0.1, null), activation('a2', 'sigmoid', null, 0.2)];
  expect(diagnose(inputOf(repeat(10, () => ({ norms: [0.05, 0.2, 0.4], activations }))))).toEqual(
    [],
  );
});

test('factors are written with two significant digits and thousands separators', () => {
  expect(formatFactor(10000)).toBe('10,000×');
  expect(formatFactor(12345)).toBe('12,000×');
  expect(formatFactor(14.2)).toBe('14×');
  expect(formatFactor(Infinity)).toBe('infinitely');
});

test('diagnosticsByNode lists a diagnosis under each node it names', () => {
  const activations = [activation('a1', 'relu', 0.9, null)];
  const found = diagnose(inputOf(repeat(5, () => ({ norms: [1e-7, 1e-6, 1], activations }))));
  const byNode = diagnosticsByNode(found);
  expect(byNode.get('d1')?.map((d) => d.kind)).toEqual(['vanishing']);
  expect(byNode.get('d2')?.map((d) => d.kind)).toEqual(['vanishing']);
  expect(byNode.get('a1')?.map((d) => d.kind)).toEqual(['dead_relu']);
  expect(byNode.has('d3')).toBe(false);
});
