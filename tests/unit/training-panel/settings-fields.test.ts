/**
 * The settings form's fields: text read as numbers, the field's patch, and the messages the
 * training state then shows under the field (resolveSettings with the ranges of SETTING_LIMITS).
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TRAINING,
  OPTIMIZER_NAMES,
  PRECISIONS,
  SETTING_LIMITS,
  resolveSettings,
  type TrainingSettings,
} from '../../../src/lib/engine/settings';
import {
  BATCH_SIZE,
  EPOCHS,
  LEARNING_RATE,
  OPTIMIZER_PARAMETER_FIELDS,
  PRECISION_OPTIONS,
  SEED,
  testFractionNote,
  TEST_FRACTION,
  fieldApplies,
  fieldPatch,
  fieldValue,
  parseNumberText,
  precisionValue,
  type NumberFieldSpec,
} from '../../../src/lib/components/training/settings-fields';

const field = (id: string) => OPTIMIZER_PARAMETER_FIELDS.find((f) => f.id === id)!;

/** What the form shows under `f` after `text` is typed, with these settings: null when taken. */
function complaint(f: NumberFieldSpec, text: string, base: TrainingSettings = DEFAULT_TRAINING) {
  const result = resolveSettings(base, fieldPatch(f, parseNumberText(text)));
  return result.ok ? null : (result.errors[f.id] ?? null);
}

const ADAM: TrainingSettings = {
  ...DEFAULT_TRAINING,
  optimizer: { name: 'adam', learningRate: 0.01 },
};

describe('parseNumberText', () => {
  it('reads numbers in plain and scientific notation', () => {
    expect(parseNumberText(' 0.01 ')).toBe(0.01);
    expect(parseNumberText('1e3')).toBe(1000);
  });

  it('gives NaN for text that is not a number, which is refused as such', () => {
    for (const text of ['', '  ', 'abc', '1,5', 'Infinity']) {
      expect(parseNumberText(text)).toBeNaN();
      expect(complaint(LEARNING_RATE, text)).toBe('Learning rate must be a number.');
    }
  });
});

describe('ranges (SETTING_LIMITS, one list)', () => {
  it('labels and bounds of the fields are those of SETTING_LIMITS', () => {
    for (const f of [LEARNING_RATE, BATCH_SIZE, EPOCHS, SEED, TEST_FRACTION]) {
      const limit = SETTING_LIMITS[f.id];
      expect([f.label, f.min, f.max, f.integer]).toEqual([
        limit.label,
        limit.min,
        limit.max,
        limit.integer,
      ]);
    }
  });

  it('keeps each field in its range, naming the field and the bounds', () => {
    expect(complaint(LEARNING_RATE, '0')).toBe(
      'Learning rate must be above 0 and at most 1000000.',
    );
    expect(complaint(field('momentum'), '1')).toBe('Momentum μ must be at least 0 and below 1.');
    expect(complaint(field('momentum'), '0')).toBeNull();
    expect(complaint(TEST_FRACTION, '0.95')).not.toBeNull();
    expect(complaint(TEST_FRACTION, '0')).toBeNull();
    expect(complaint(SEED, '-1')).not.toBeNull();
  });

  it('wants whole numbers where a count is meant', () => {
    expect(complaint(BATCH_SIZE, '1.5')).toBe('Batch size must be a whole number.');
    expect(complaint(BATCH_SIZE, '0')).not.toBeNull();
    expect(complaint(BATCH_SIZE, '64')).toBeNull();
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

  it('reads values from the optimizer block or the settings; patches name the one field', () => {
    expect(fieldValue(field('beta2'), ADAM)).toBe(0.999);
    expect(fieldPatch(field('beta1'), 0.8)).toEqual({ optimizer: { beta1: 0.8 } });
    expect(fieldPatch(BATCH_SIZE, 128)).toEqual({ batchSize: 128 });
    const changed = resolveSettings(ADAM, fieldPatch(field('beta1'), 0.8));
    expect(changed.ok && changed.settings.optimizer).toEqual({
      name: 'adam',
      learningRate: 0.01,
      beta1: 0.8,
      beta2: 0.999,
    });
    expect(changed.ok && fieldValue(field('beta1'), changed.settings)).toBe(0.8);
    expect(ADAM.optimizer.beta1).toBeUndefined();
  });
});

describe('precision', () => {
  it('offers every precision the engine knows, labelled as issue 11 names them', () => {
    expect(PRECISION_OPTIONS.map((o) => o.value)).toEqual([...PRECISIONS]);
    expect(PRECISION_OPTIONS.map((o) => o.label)).toEqual(['float64 (exact)', 'float32 (fast)']);
  });

  it('shows float64 when the settings leave it out, and the chosen one once configured', () => {
    expect(DEFAULT_TRAINING.precision).toBeUndefined();
    expect(precisionValue(DEFAULT_TRAINING)).toBe('float64');
    const fast = resolveSettings(DEFAULT_TRAINING, { precision: 'float32' });
    expect(fast.ok && precisionValue(fast.settings)).toBe('float32');
    const back = fast.ok && resolveSettings(fast.settings, { precision: 'float64' });
    expect(back && back.ok && precisionValue(back.settings)).toBe('float64');
  });

  it('refuses a precision it does not know, with the choices', () => {
    const result = resolveSettings(DEFAULT_TRAINING, {
      precision: 'float16' as unknown as 'float32',
    });
    expect(result.ok ? null : result.errors.precision).toBe(
      'Unknown precision "float16". Choose float64 (exact) or float32 (fast).',
    );
  });
});

describe('the test fraction with a published split', () => {
  it('applies when the dataset has no split of its own', () => {
    expect(testFractionNote(null)).toBeNull();
  });
  it('is off with the reason, naming the split, when it has one (Fashion-MNIST)', () => {
    expect(testFractionNote({ train: 60000, test: 10000 })).toBe(
      'Not used: this dataset comes with its published split, 60,000 train / 10,000 test.',
    );
  });
});
