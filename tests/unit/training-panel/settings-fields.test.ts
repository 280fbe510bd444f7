import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TRAINING,
  OPTIMIZER_NAMES,
  type TrainingSettings,
} from '../../../src/lib/engine/settings';
import {
  BATCH_SIZE,
  LEARNING_RATE,
  OPTIMIZER_PARAMETER_FIELDS,
  SEED,
  TEST_FRACTION,
  fieldApplies,
  fieldValue,
  readNumberField,
  withFieldValue,
  withOptimizer,
} from '../../../src/lib/components/training/settings-fields';

const field = (id: string) => OPTIMIZER_PARAMETER_FIELDS.find((f) => f.id === id)!;

describe('readNumberField', () => {
  it('reads numbers in plain and scientific notation', () => {
    expect(readNumberField(LEARNING_RATE, ' 0.01 ')).toEqual({ ok: true, value: 0.01 });
    expect(readNumberField(LEARNING_RATE, '1e3')).toEqual({ ok: true, value: 1000 });
  });

  it('refuses text that is not a number, and says so', () => {
    for (const text of ['', '  ', 'abc', '1,5', 'Infinity'])
      expect(readNumberField(LEARNING_RATE, text)).toEqual({
        ok: false,
        problem: 'Enter a number.',
      });
  });

  it('keeps each field in its range, naming the field and the bounds', () => {
    expect(readNumberField(LEARNING_RATE, '0')).toEqual({
      ok: false,
      problem: 'Learning rate must be above 0 and at most 1000000.',
    });
    expect(readNumberField(field('momentum'), '1')).toEqual({
      ok: false,
      problem: 'Momentum μ must be at least 0 and below 1.',
    });
    expect(readNumberField(field('momentum'), '0')).toEqual({ ok: true, value: 0 });
    expect(readNumberField(TEST_FRACTION, '0.95').ok).toBe(false);
    expect(readNumberField(TEST_FRACTION, '0')).toEqual({ ok: true, value: 0 });
    expect(readNumberField(SEED, '-1').ok).toBe(false);
  });

  it('wants whole numbers where a count is meant', () => {
    expect(readNumberField(BATCH_SIZE, '1.5')).toEqual({
      ok: false,
      problem: 'Batch size must be a whole number.',
    });
    expect(readNumberField(BATCH_SIZE, '0').ok).toBe(false);
    expect(readNumberField(BATCH_SIZE, '64')).toEqual({ ok: true, value: 64 });
  });
});

describe('optimizer parameters', () => {
  it('shows each parameter only for the optimizers that use it', () => {
    const shown = (name: (typeof OPTIMIZER_NAMES)[number]) =>
      OPTIMIZER_PARAMETER_FIELDS.filter((f) => fieldApplies(f, name)).map((f) => f.id);
    expect(shown('sgd')).toEqual([]);
    expect(shown('momentum')).toEqual(['momentum']);
    expect(shown('nesterov')).toEqual(['momentum']);
    expect(shown('adagrad')).toEqual([]);
    expect(shown('rmsprop')).toEqual(['rho']);
    expect(shown('adam')).toEqual(['beta1', 'beta2']);
    expect(fieldApplies(LEARNING_RATE, 'adam')).toBe(true);
  });

  it('switching optimizer keeps the learning rate and starts its own parameters at DESIGN §2 defaults', () => {
    const momentum = {
      ...DEFAULT_TRAINING,
      optimizer: { name: 'momentum' as const, learningRate: 0.05, momentum: 0.5 },
    };
    const adam = withOptimizer(momentum, 'adam');
    expect(adam.optimizer).toEqual({ name: 'adam', learningRate: 0.05, beta1: 0.9, beta2: 0.999 });
    expect(withOptimizer(adam, 'rmsprop').optimizer).toEqual({
      name: 'rmsprop',
      learningRate: 0.05,
      rho: 0.9,
    });
    // Choosing the same optimizer again keeps its parameters.
    expect(withOptimizer(momentum, 'momentum').optimizer.momentum).toBe(0.5);
    expect(withOptimizer(momentum, 'sgd').optimizer).toEqual({ name: 'sgd', learningRate: 0.05 });
    // The input settings are never changed.
    expect(momentum.optimizer).toEqual({ name: 'momentum', learningRate: 0.05, momentum: 0.5 });
  });

  it('reads and writes values in the optimizer block or the settings, without mutating', () => {
    const adam: TrainingSettings = {
      ...DEFAULT_TRAINING,
      optimizer: { name: 'adam', learningRate: 0.01 },
    };
    expect(fieldValue(field('beta2'), adam)).toBe(0.999);
    const changed = withFieldValue(adam, field('beta1'), 0.8);
    expect(changed.optimizer.beta1).toBe(0.8);
    expect(adam.optimizer.beta1).toBeUndefined();
    const bigger = withFieldValue(adam, BATCH_SIZE, 128);
    expect(bigger.batchSize).toBe(128);
    expect(fieldValue(BATCH_SIZE, bigger)).toBe(128);
    expect(adam.batchSize).toBe(DEFAULT_TRAINING.batchSize);
  });
});
