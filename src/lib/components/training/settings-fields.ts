/**
 * The fields of the training settings form: labels (DESIGN §7 names), ranges and how typed text
 * becomes a setting. Kept apart from the component so the rules are one list, read in one place.
 */
import {
  OPTIMIZER_DEFAULTS,
  OPTIMIZER_NAMES,
  type OptimizerName,
  type OptimizerSettings,
  type TrainingSettings,
} from '../../engine/settings';

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

/** Where a numeric field lives: a key of the optimizer block or of the settings themselves. */
type OptimizerKey = 'learningRate' | 'momentum' | 'rho' | 'beta1' | 'beta2';
type SettingsKey = 'batchSize' | 'epochs' | 'seed' | 'testFraction' | 'l1' | 'l2';

export interface NumberFieldSpec {
  id: OptimizerKey | SettingsKey;
  /** The visible label (and accessible name). */
  label: string;
  /** One line under the field: the allowed range and what the number does. */
  hint: string;
  min: number;
  max: number;
  /** Whether the minimum itself is allowed (false for "above 0"). */
  minInclusive: boolean;
  /** Whether the maximum itself is allowed (false for "below 1"). */
  maxInclusive: boolean;
  integer: boolean;
  /** Optimizers that use the field (absent: every optimizer; the field is not per optimizer). */
  optimizers?: readonly OptimizerName[];
  /** Step of the number input's arrows. */
  step: number | 'any';
}

export const LEARNING_RATE: NumberFieldSpec = {
  id: 'learningRate',
  label: 'Learning rate',
  hint: 'Size of each step downhill; try 0.001–0.5.',
  min: 0,
  max: 1e6,
  minInclusive: false,
  maxInclusive: true,
  integer: false,
  step: 'any',
};

/** The optimizer's own parameters, shown only for the optimizers that use them. */
export const OPTIMIZER_PARAMETER_FIELDS: readonly NumberFieldSpec[] = [
  {
    id: 'momentum',
    label: 'Momentum μ',
    hint: 'Share of the last step kept, 0 to below 1 (default 0.9).',
    min: 0,
    max: 1,
    minInclusive: true,
    maxInclusive: false,
    integer: false,
    optimizers: ['momentum', 'nesterov'],
    step: 0.01,
  },
  {
    id: 'rho',
    label: 'Decay ρ',
    hint: 'How slowly the squared-gradient average forgets, 0 to below 1 (default 0.9).',
    min: 0,
    max: 1,
    minInclusive: true,
    maxInclusive: false,
    integer: false,
    optimizers: ['rmsprop'],
    step: 0.01,
  },
  {
    id: 'beta1',
    label: 'β1',
    hint: 'Decay of the gradient average, 0 to below 1 (default 0.9).',
    min: 0,
    max: 1,
    minInclusive: true,
    maxInclusive: false,
    integer: false,
    optimizers: ['adam'],
    step: 0.01,
  },
  {
    id: 'beta2',
    label: 'β2',
    hint: 'Decay of the squared-gradient average, 0 to below 1 (default 0.999).',
    min: 0,
    max: 1,
    minInclusive: true,
    maxInclusive: false,
    integer: false,
    optimizers: ['adam'],
    step: 0.001,
  },
];

export const BATCH_SIZE: NumberFieldSpec = {
  id: 'batchSize',
  label: 'Batch size',
  hint: 'Rows per update (whole number, 1 or more).',
  min: 1,
  max: 1_000_000,
  minInclusive: true,
  maxInclusive: true,
  integer: true,
  step: 1,
};

export const EPOCHS: NumberFieldSpec = {
  id: 'epochs',
  label: 'Epochs',
  hint: 'Passes over the training rows (1–100000).',
  min: 1,
  max: 100_000,
  minInclusive: true,
  maxInclusive: true,
  integer: true,
  step: 1,
};

export const L1: NumberFieldSpec = {
  id: 'l1',
  label: 'L1',
  hint: 'Penalty λ·Σ|W| (0 for none).',
  min: 0,
  max: 1e3,
  minInclusive: true,
  maxInclusive: true,
  integer: false,
  step: 'any',
};

export const L2: NumberFieldSpec = {
  id: 'l2',
  label: 'L2',
  hint: 'Penalty (λ/2)·ΣW² (0 for none).',
  min: 0,
  max: 1e3,
  minInclusive: true,
  maxInclusive: true,
  integer: false,
  step: 'any',
};

export const SEED: NumberFieldSpec = {
  id: 'seed',
  label: 'Seed',
  hint: 'Same seed, same weights, same split (whole number).',
  min: 0,
  max: 2 ** 32 - 1,
  minInclusive: true,
  maxInclusive: true,
  integer: true,
  step: 1,
};

export const TEST_FRACTION: NumberFieldSpec = {
  id: 'testFraction',
  label: 'Test fraction',
  hint: 'Share of rows held out for testing, 0 to 0.9.',
  min: 0,
  max: 0.9,
  minInclusive: true,
  maxInclusive: true,
  integer: false,
  step: 0.05,
};

function describeRange(field: NumberFieldSpec): string {
  const low = field.minInclusive ? `at least ${field.min}` : `above ${field.min}`;
  const high = field.maxInclusive ? `at most ${field.max}` : `below ${field.max}`;
  return `${low} and ${high}`;
}

/**
 * The number typed into `field`, or the reason it cannot be used ("Enter a number.", "Use a whole
 * number.", "Learning rate must be above 0 and at most 1000000.").
 */
export function readNumberField(
  field: NumberFieldSpec,
  text: string,
): { ok: true; value: number } | { ok: false; problem: string } {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value)) return { ok: false, problem: 'Enter a number.' };
  if (field.integer && !Number.isInteger(value))
    return { ok: false, problem: `${field.label} must be a whole number.` };
  const aboveMin = field.minInclusive ? value >= field.min : value > field.min;
  const belowMax = field.maxInclusive ? value <= field.max : value < field.max;
  if (!aboveMin || !belowMax)
    return { ok: false, problem: `${field.label} must be ${describeRange(field)}.` };
  return { ok: true, value };
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

/** New settings with `field` set to `value` (never mutates `settings`). */
export function withFieldValue(
  settings: TrainingSettings,
  field: NumberFieldSpec,
  value: number,
): TrainingSettings {
  switch (field.id) {
    case 'learningRate':
    case 'momentum':
    case 'rho':
    case 'beta1':
    case 'beta2':
      return { ...settings, optimizer: { ...settings.optimizer, [field.id]: value } };
    default:
      return { ...settings, [field.id]: value };
  }
}

/**
 * Settings with another optimizer: the learning rate stays, the new optimizer's own parameters
 * start at their defaults (a momentum of 0.9 means nothing to Adam).
 */
export function withOptimizer(settings: TrainingSettings, name: OptimizerName): TrainingSettings {
  const optimizer: OptimizerSettings = { name, learningRate: settings.optimizer.learningRate };
  for (const field of OPTIMIZER_PARAMETER_FIELDS) {
    if (!fieldApplies(field, name)) continue;
    const key = field.id as 'momentum' | 'rho' | 'beta1' | 'beta2';
    optimizer[key] =
      settings.optimizer.name === name
        ? (settings.optimizer[key] ?? OPTIMIZER_DEFAULTS[key])
        : OPTIMIZER_DEFAULTS[key];
  }
  return { ...settings, optimizer };
}
