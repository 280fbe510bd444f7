/**
 * The fields of the training settings form: labels (DESIGN §7 names), hints, arrow steps, and how
 * typed text becomes a number and a settings patch. Ranges are not here: they are SETTING_LIMITS
 * (engine/settings.ts), checked by resolveSettings when the training state is configured.
 */
import {
  OPTIMIZER_DEFAULTS,
  OPTIMIZER_NAMES,
  PRECISIONS,
  SETTING_LIMITS,
  type OptimizerName,
  type Precision,
  type SettingsPatch,
  type TrainingSettings,
} from '../../engine/settings';
import { describeSplit } from '../../state/dataset-choice';

export const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  nesterov: 'Nesterov momentum',
  adagrad: 'AdaGrad',
  rmsprop: 'RMSprop',
  adam: 'Adam',
};

export const OPTIMIZER_OPTIONS = OPTIMIZER_NAMES.map((name) => ({
  value: name,
  label: OPTIMIZER_LABELS[name],
}));

export const PRECISION_LABELS: Record<Precision, string> = {
  float64: 'float64 (exact)',
  float32: 'float32 (fast)',
};

export const PRECISION_OPTIONS = PRECISIONS.map((value) => ({
  value,
  label: PRECISION_LABELS[value],
}));

/** Only the training step changes arithmetic (engine/kernels/step-precision.ts). */
export const PRECISION_HINT = 'Training steps only; gradient checks and exports stay float64.';

/** The precision the form shows: absent means float64 (engine/settings.ts). */
export function precisionValue(settings: TrainingSettings): Precision {
  return settings.precision ?? 'float64';
}

/** Where a numeric field lives: a key of the optimizer block or of the settings themselves. */
type OptimizerKey = 'learningRate' | 'momentum' | 'rho' | 'beta1' | 'beta2';
type SettingsKey = 'batchSize' | 'epochs' | 'seed' | 'testFraction' | 'l1' | 'l2';

export interface NumberFieldSpec {
  id: OptimizerKey | SettingsKey;
  /** The visible label (and accessible name): the name SETTING_LIMITS uses in its messages. */
  label: string;
  /** One line under the field: the allowed range and what the number does. */
  hint: string;
  /** The number input's bounds (its arrows), from SETTING_LIMITS. */
  min: number;
  max: number;
  integer: boolean;
  /** Optimizers that use the field (absent: every optimizer; the field is not per optimizer). */
  optimizers?: readonly OptimizerName[];
  /** Step of the number input's arrows. */
  step: number | 'any';
}

function field(
  id: NumberFieldSpec['id'],
  hint: string,
  step: number | 'any',
  optimizers?: readonly OptimizerName[],
): NumberFieldSpec {
  const { label, min, max, integer } = SETTING_LIMITS[id];
  return { id, label, hint, min, max, integer, step, ...(optimizers ? { optimizers } : {}) };
}

export const LEARNING_RATE = field(
  'learningRate',
  'Size of each step downhill; try 0.001–0.5.',
  'any',
);

/** The optimizer's own parameters, shown only for the optimizers that use them. */
export const OPTIMIZER_PARAMETER_FIELDS: readonly NumberFieldSpec[] = [
  field('momentum', 'Share of the last step kept, 0 to below 1 (default 0.9).', 0.01, [
    'momentum',
    'nesterov',
  ]),
  field(
    'rho',
    'How slowly the squared-gradient average forgets, 0 to below 1 (default 0.9).',
    0.01,
    ['rmsprop'],
  ),
  field('beta1', 'Decay of the gradient average, 0 to below 1 (default 0.9).', 0.01, ['adam']),
  field('beta2', 'Decay of the squared-gradient average, 0 to below 1 (default 0.999).', 0.001, [
    'adam',
  ]),
];

export const BATCH_SIZE = field('batchSize', 'Rows per update (whole number, 1 or more).', 1);
export const EPOCHS = field('epochs', 'Passes over the training rows (up to 100000).', 1);
export const L1 = field('l1', 'Penalty λ·Σ|W| (0 for none).', 'any');
export const L2 = field('l2', 'Penalty (λ/2)·ΣW² (0 for none).', 'any');
export const SEED = field('seed', 'Same seed, same weights, same split (whole number).', 1);
export const TEST_FRACTION = field(
  'testFraction',
  'Share of rows held out for testing, 0 to 0.9.',
  0.05,
);

/**
 * Why the test fraction is off for a dataset with a published split (Fashion-MNIST), or null
 * when the fraction applies. The field keeps its value for the next dataset.
 */
export function testFractionNote(
  fixedSplit: { train: number; test: number } | null,
): string | null {
  if (!fixedSplit) return null;
  return `Not used: this dataset comes with its published split, ${describeSplit(fixedSplit)}.`;
}

/**
 * The number typed, or NaN for text that is not one ("", "abc", "1,5", "Infinity"): the
 * training state then says "… must be a number." under the field.
 */
export function parseNumberText(text: string): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  return trimmed === '' || !Number.isFinite(value) ? NaN : value;
}

/** Whether `field` belongs on the form for `optimizer`. */
export function fieldApplies(field: NumberFieldSpec, optimizer: OptimizerName): boolean {
  return field.optimizers === undefined || field.optimizers.includes(optimizer);
}

/** The value a field shows for these settings (optimizer parameters fall back to their defaults). */
export function fieldValue(field: NumberFieldSpec, settings: TrainingSettings): number {
  switch (field.id) {
    case 'learningRate':
      return settings.optimizer.learningRate;
    case 'momentum':
    case 'rho':
    case 'beta1':
    case 'beta2':
      return settings.optimizer[field.id] ?? OPTIMIZER_DEFAULTS[field.id];
    default:
      return settings[field.id];
  }
}

/** The settings change that sets `field` to `value` (for TrainingState.configure). */
export function fieldPatch(field: NumberFieldSpec, value: number): SettingsPatch {
  switch (field.id) {
    case 'learningRate':
    case 'momentum':
    case 'rho':
    case 'beta1':
    case 'beta2':
      return { optimizer: { [field.id]: value } };
    default:
      return { [field.id]: value };
  }
}
