/**
 * Issue 9: iris with SGD at learning rate 1000 blows up (weights in the thousands, every sigmoid
 * saturated). The gradients panel must call that a blow-up first, never "vanishing", must not
 * advise "Xavier instead of Normal" when the initializer is Auto, and every number it prints must
 * be short. Runs the real engine; the statistics are computed as the worker does.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatGradient } from '../../../src/lib/components/gradients/format';
import {
  diagnose,
  formatFactor,
  formatNumber,
  type Diagnostic,
} from '../../../src/lib/gradients/diagnostics';
import { irisAtLearningRate, type BlowUpRun } from './lr1000-run';

/** Every number written in a text, as it is written ("480,000,000,000", "4.8e17"). */
function numbersIn(text: string): string[] {
  return text.match(/[0-9][0-9.,e+−-]*/g) ?? [];
}

let run: BlowUpRun;
let found: Diagnostic[];
beforeAll(async () => {
  run = await irisAtLearningRate(1000, 20);
  found = diagnose({ ...run.input, spec: run.spec });
});

describe('iris at learning rate 1000', () => {
  it('really blows up: the loss stays far above its start and the sigmoids saturate', () => {
    // ln 3 ≈ 1.1 is the loss of a network that has learned nothing; this run is far above it.
    expect(Math.min(...run.losses)).toBeGreaterThan(10 * Math.log(3));
    expect(run.input.latest!.activations[0].saturatedFraction).toBe(1);
  });

  it('says the run has blown up, first, and never says "vanishing"', () => {
    expect(found[0].kind).toBe('diverged');
    expect(found[0].severity).toBe('error');
    expect(found[0].message).toMatch(/^Training has blown up: the weights of n\d are /);
    expect(found.map((d) => d.kind)).not.toContain('vanishing');
    for (const d of found) {
      expect(d.message.toLowerCase()).not.toContain('vanishing');
      expect(d.badge.toLowerCase()).not.toContain('vanishing');
    }
  });

  it('gives no advice about Normal initialisation to a network on Auto', () => {
    expect(run.spec.layers.filter((l) => l.type === 'dense').map((l) => l.init)).toEqual([
      'auto',
      'auto',
    ]);
    for (const d of found) expect(d.suggestion).not.toContain('Normal');
  });

  it('advises against Normal when a layer does draw from Normal', () => {
    const spec = structuredClone(run.spec);
    for (const l of spec.layers) if (l.type === 'dense') l.init = 'normal';
    const saturated = diagnose({ ...run.input, spec }).find((d) => d.kind === 'saturated');
    expect(saturated?.suggestion).toContain('instead of Normal');
  });

  it('prints no number longer than 9 characters', () => {
    for (const d of found)
      for (const text of [d.message, d.suggestion, d.badge, ...Object.values(d.nodeBadges ?? {})])
        for (const n of numbersIn(text))
          expect(n.length, `${n} in "${text}"`).toBeLessThanOrEqual(9);
  });

  it('reads the blow-up from the weights: the same gradients at weights of ordinary size are not called diverged', () => {
    // The trainer stops this run after its first epoch (DESIGN §2); what the panel saw of it
    // before that is weights far past their start, which alone makes the 'diverged' entry.
    expect(found[0].kind).toBe('diverged');
    const latest = structuredClone(run.input.latest!);
    for (const l of latest.dense) l.weightNorm = 1;
    expect(diagnose({ ...run.input, latest }).map((d) => d.kind)).not.toContain('diverged');
  });

  it('puts the trainer’s divergence message first when the run stopped on it', () => {
    const divergence = 'Training diverged at epoch 3: the loss is 460, over 10 × 1.1.';
    const listed = diagnose({ ...run.input, divergence });
    expect(listed[0]).toMatchObject({ kind: 'diverged', message: divergence });
  });
});

describe('numbers are bounded in length', () => {
  it('factors: grouped up to a million, scientific past it', () => {
    expect(formatFactor(14.2)).toBe('14×');
    expect(formatFactor(10_000)).toBe('10,000×');
    expect(formatFactor(990_000)).toBe('990,000×');
    expect(formatFactor(999_000)).toBe('1.0e6×');
    expect(formatFactor(4.8e17)).toBe('4.8e17×');
    expect(formatFactor(5.4e40)).toBe('5.4e40×');
    expect(formatFactor(Infinity)).toBe('infinitely');
  });

  it('values: scientific past 1e6 and below 1e-4', () => {
    expect(formatNumber(1234)).toBe('1,230');
    expect(formatNumber(0.0123)).toBe('0.012');
    expect(formatNumber(3.2e7)).toBe('3.2e7');
    expect(formatNumber(1.2e-5)).toBe('1.2e-5');
    expect(formatNumber(-2.5e300)).toBe('-2.5e300');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(-Infinity)).toBe('−∞');
  });

  it('the gradient table and bars write every value in at most 10 characters', () => {
    const values = [
      0,
      1,
      -1,
      0.5,
      1e-300,
      -1e-300,
      1e300,
      -1.7976931348623157e308,
      5e-324,
      1234.5678,
      0.011,
      9999.9,
      1e4,
      NaN,
      Infinity,
      -Infinity,
    ];
    for (const v of values) expect(formatGradient(v).length, String(v)).toBeLessThanOrEqual(10);
    expect(formatGradient(1e300)).toBe('1.00e+300');
    expect(formatGradient(1.176770018022355e-18)).toBe('1.18e-18');
  });
});
