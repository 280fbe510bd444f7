/** The gradient check's verdict, written on the page from the worker's numbers. */
import { describe, expect, it } from 'vitest';
import { gradientCheckVerdict } from '../../../src/lib/components/gradients/gradient-check-verdict';
import type { GradientCheckReport } from '../../../src/lib/worker/api';

const layer = (id: string, error: number, entries = 25, total = 25, skipped = 0) => ({
  id,
  weightError: error,
  biasError: error / 2,
  maxRelativeError: error,
  entries,
  totalEntries: total,
  skippedAtKinks: skipped,
});

const report = (layers: GradientCheckReport['layers']): GradientCheckReport => ({
  layers,
  maxRelativeError: Math.max(...layers.map((l) => l.maxRelativeError)),
  batchRows: 32,
});

describe('gradientCheckVerdict', () => {
  it('passes below the tolerance of DESIGN §6 and the CLI (1e-7), saying so', () => {
    const v = gradientCheckVerdict(report([layer('n2', 3.2e-9), layer('n4', 4.4e-10)]));
    expect(v).toEqual({
      passed: true,
      text: 'Backprop agrees with finite differences: the largest relative error is 3.2e-9, below 1e-7.',
    });
  });

  it('fails at or above it, naming the worst layer', () => {
    const v = gradientCheckVerdict(report([layer('n2', 1e-7), layer('n4', 2.5e-3)]));
    expect(v.passed).toBe(false);
    expect(v.text).toBe(
      'Backprop and finite differences disagree in layer n4 (relative error 2.5e-3, above 1e-7): these gradients would be wrong.',
    );
  });

  it('a NaN error fails and is the worst', () => {
    const v = gradientCheckVerdict(report([layer('n2', 1e-9), layer('n4', NaN)]));
    expect(v.passed).toBe(false);
    expect(v.text).toMatch(/in layer n4 \(relative error NaN/);
  });

  it('says what was sampled and what was skipped at ReLU kinks', () => {
    const v = gradientCheckVerdict(
      report([layer('h', 1e-9, 397, 500, 3), layer('o', 1e-9, 303, 303)]),
    );
    expect(v.passed).toBe(true);
    expect(v.text).toMatch(/ 703 of the 803 weights and biases were checked \(a random sample/);
    expect(v.text).toMatch(/ 3 entries sat on a ReLU kink/);
  });
});
