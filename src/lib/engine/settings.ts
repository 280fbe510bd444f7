/** Training settings (the model file's `training` block, DESIGN.md §4): defaults, the one check. */

export const OPTIMIZER_NAMES = [
  'sgd',
  'momentum',
  'nesterov',
  'adagrad',
  'rmsprop',
  'adam',
] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizerSettings {
  name: OptimizerName;
  learningRate: number;
  /** momentum, nesterov (default 0.9) */
  momentum?: number;
  /** rmsprop (default 0.9) */
  rho?: number;
  /** adam (defaults 0.9, 0.999) */
  beta1?: number;
  beta2?: number;
  /** adagrad, rmsprop, adam (default 1e-8) */
  epsilon?: number;
}

/**
 * The arithmetic of a training step's matrix products: 'float64' (exact, the default) or
 * 'float32' (fast: the f32x4 kernel; step-precision.ts). Everything else stays float64.
 */
export const PRECISIONS = ['float64', 'float32'] as const;
export type Precision = (typeof PRECISIONS)[number];

export interface TrainingSettings {
  optimizer: OptimizerSettings;
  batchSize: number;
  epochs: number;
  seed: number;
  testFraction: number;
  l2: number;
  l1: number;
  /** Shuffle the training rows each epoch (default true). */
  shuffle: boolean;
  /** Standardize features, fitted on the training split (default true). */
  standardize: boolean;
  /** The training step's arithmetic (absent: 'float64'). See PRECISIONS. */
  precision?: Precision;
}

export const OPTIMIZER_DEFAULTS = {
  momentum: 0.9,
  rho: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
} as const;

export const DEFAULT_TRAINING: TrainingSettings = {
  optimizer: { name: 'momentum', learningRate: 0.01, momentum: 0.9 },
  batchSize: 32,
  epochs: 200,
  seed: 42,
  testFraction: 0.2,
  l2: 0,
  l1: 0,
  shuffle: true,
  standardize: true,
};

/** Optimizer settings with every default filled in. */
export function withOptimizerDefaults(o: OptimizerSettings): Required<OptimizerSettings> {
  return {
    name: o.name,
    learningRate: o.learningRate,
    momentum: o.momentum ?? OPTIMIZER_DEFAULTS.momentum,
    rho: o.rho ?? OPTIMIZER_DEFAULTS.rho,
    beta1: o.beta1 ?? OPTIMIZER_DEFAULTS.beta1,
    beta2: o.beta2 ?? OPTIMIZER_DEFAULTS.beta2,
    epsilon: o.epsilon ?? OPTIMIZER_DEFAULTS.epsilon,
  };
}

// ---- Checking and merging: the one place a change of settings is merged and validated ----------

/** A change of some settings; `optimizer` may name some of its keys only. */
export interface SettingsPatch extends Partial<Omit<TrainingSettings, 'optimizer'>> {
  optimizer?: Partial<OptimizerSettings>;
}

/** The numeric settings, by the name the form, the CLI flags and the messages use. */
export type NumericSetting =
  | 'learningRate'
  | 'momentum'
  | 'rho'
  | 'beta1'
  | 'beta2'
  | 'epsilon'
  | 'batchSize'
  | 'epochs'
  | 'seed'
  | 'testFraction'
  | 'l1'
  | 'l2';

export type SettingsField = NumericSetting | 'optimizer' | 'shuffle' | 'standardize' | 'precision';

/** Why a field cannot be used, per field, in words for the user. */
export type SettingsErrors = Partial<Record<SettingsField, string>>;

export type SettingsResult =
  { ok: true; settings: TrainingSettings } | { ok: false; errors: SettingsErrors };

export interface SettingLimit {
  /** The name in messages ("Learning rate must be above 0 and at most 1000000."). */
  label: string;
  min: number;
  max: number;
  /** Whether the minimum itself is allowed (false for "above 0"). */
  minInclusive: boolean;
  /** Whether the maximum itself is allowed (false for "below 1"). */
  maxInclusive: boolean;
  integer: boolean;
}

const fraction = (label: string): SettingLimit => ({
  label,
  min: 0,
  max: 1,
  minInclusive: true,
  maxInclusive: false,
  integer: false,
});

/** The allowed range of every numeric setting: read by the form, the worker and the CLI. */
export const SETTING_LIMITS: Readonly<Record<NumericSetting, SettingLimit>> = {
  learningRate: {
    label: 'Learning rate',
    min: 0,
    max: 1e6,
    minInclusive: false,
    maxInclusive: true,
    integer: false,
  },
  momentum: fraction('Momentum μ'),
  rho: fraction('Decay ρ'),
  beta1: fraction('β1'),
  beta2: fraction('β2'),
  epsilon: {
    label: 'Epsilon',
    min: 0,
    max: 1,
    minInclusive: false,
    maxInclusive: true,
    integer: false,
  },
  batchSize: {
    label: 'Batch size',
    min: 1,
    max: 1e6,
    minInclusive: true,
    maxInclusive: true,
    integer: true,
  },
  epochs: {
    label: 'Epochs',
    min: 0,
    max: 100_000,
    minInclusive: true,
    maxInclusive: true,
    integer: true,
  },
  seed: {
    label: 'Seed',
    min: 0,
    max: 2 ** 32 - 1,
    minInclusive: true,
    maxInclusive: true,
    integer: true,
  },
  testFraction: {
    label: 'Test fraction',
    min: 0,
    max: 0.9,
    minInclusive: true,
    maxInclusive: true,
    integer: false,
  },
  l1: { label: 'L1', min: 0, max: 1e3, minInclusive: true, maxInclusive: true, integer: false },
  l2: { label: 'L2', min: 0, max: 1e3, minInclusive: true, maxInclusive: true, integer: false },
};

/** The reason `value` is not allowed for `field`, or null when it is. */
export function settingProblem(field: NumericSetting, value: unknown): string | null {
  const limit = SETTING_LIMITS[field];
  if (typeof value !== 'number' || !Number.isFinite(value))
    return `${limit.label} must be a number.`;
  if (limit.integer && !Number.isInteger(value)) return `${limit.label} must be a whole number.`;
  const aboveMin = limit.minInclusive ? value >= limit.min : value > limit.min;
  const belowMax = limit.maxInclusive ? value <= limit.max : value < limit.max;
  if (aboveMin && belowMax) return null;
  const low = limit.minInclusive ? `at least ${limit.min}` : `above ${limit.min}`;
  const high = limit.maxInclusive ? `at most ${limit.max}` : `below ${limit.max}`;
  return `${limit.label} must be ${low} and ${high}.`;
}

/**
 * `base` with `patch` applied, checked whole: the only place settings are merged and validated.
 * A new optimizer name keeps the learning rate; the new optimizer's own parameters start at
 * their defaults unless the patch gives them (a momentum of 0.9 means nothing to Adam).
 * Parameters an optimizer does not use are dropped.
 */
export function resolveSettings(base: TrainingSettings, patch: SettingsPatch = {}): SettingsResult {
  const { optimizer: optimizerPatch, ...rest } = patch;
  const name = optimizerPatch?.name ?? base.optimizer.name;
  const kept =
    name === base.optimizer.name ? base.optimizer : { learningRate: base.optimizer.learningRate };
  const merged = { ...kept, ...optimizerPatch, name };
  const optimizer: OptimizerSettings = { name, learningRate: merged.learningRate as number };
  // Epsilon is written only when given (files and forms rarely set it); the others show a value.
  for (const key of OPTIMIZER_PARAMETERS[name] ?? []) {
    const value = merged[key] ?? (key === 'epsilon' ? undefined : OPTIMIZER_DEFAULTS[key]);
    if (value !== undefined) optimizer[key] = value;
  }
  const settings: TrainingSettings = { ...base, ...rest, optimizer };

  const errors: SettingsErrors = {};
  if (!OPTIMIZER_NAMES.includes(name))
    errors.optimizer = `Unknown optimizer "${String(name)}". Choose one of: ${OPTIMIZER_NAMES.join(', ')}.`;
  const numbers: [NumericSetting, unknown][] = [
    ['learningRate', optimizer.learningRate],
    ...(OPTIMIZER_PARAMETERS[name] ?? [])
      .filter((k) => optimizer[k] !== undefined)
      .map((k): [NumericSetting, unknown] => [k, optimizer[k]]),
    ['batchSize', settings.batchSize],
    ['epochs', settings.epochs],
    ['seed', settings.seed],
    ['testFraction', settings.testFraction],
    ['l1', settings.l1],
    ['l2', settings.l2],
  ];
  for (const [field, value] of numbers) {
    const problem = settingProblem(field, value);
    if (problem) errors[field] = problem;
  }
  for (const flag of ['shuffle', 'standardize'] as const)
    if (typeof settings[flag] !== 'boolean') errors[flag] = `${flag} must be true or false.`;
  if (settings.precision !== undefined && !PRECISIONS.includes(settings.precision))
    errors.precision = `Unknown precision "${String(settings.precision)}". Choose float64 (exact) or float32 (fast).`;
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, settings };
}

/** The checked settings, or an Error listing every problem (for callers that stop on one). */
export function checkedSettings(
  base: TrainingSettings,
  patch: SettingsPatch = {},
): TrainingSettings {
  const result = resolveSettings(base, patch);
  if (!result.ok) throw new Error(Object.values(result.errors).join(' '));
  return result.settings;
}

type OptimizerParameter = 'momentum' | 'rho' | 'beta1' | 'beta2' | 'epsilon';

/** The parameters each optimizer reads besides the learning rate (DESIGN §2). */
export const OPTIMIZER_PARAMETERS: Readonly<Record<OptimizerName, readonly OptimizerParameter[]>> =
  {
    sgd: [],
    momentum: ['momentum'],
    nesterov: ['momentum'],
    adagrad: ['epsilon'],
    rmsprop: ['rho', 'epsilon'],
    adam: ['beta1', 'beta2', 'epsilon'],
  };
