/**
 * The one registry of node kinds: the palette lists them, the inspector renders their fields,
 * the nodes draw their handles from them, and compile() validates parameters with them.
 * Adding a kind means adding one entry here (and its node component).
 */
import {
  ACTIVATION_NAMES,
  INIT_NAMES,
  LOSS_NAMES,
  type ActivationName,
  type InitName,
  type LossName,
} from '../engine/spec';
import { DEFAULT_ELU_ALPHA, DEFAULT_LEAKY_RELU_ALPHA } from '../engine/activations';
import type { NodeKind, ParamsByKind } from './document';
import { add, concat, dropout } from './branching-kinds';

/** Largest number of features or units a node accepts (keeps a typo from freezing the page). */
export const MAX_WIDTH = 4096;

export interface FieldOption {
  value: string;
  label: string;
}

/** What every field has: the parameter it edits, its label, and when it applies. */
interface FieldBase {
  key: string;
  label: string;
  /** Whether the field applies to a node with these params (absent: always). */
  visibleWhen?: (params: Record<string, unknown>) => boolean;
}

export interface NumberField extends FieldBase {
  type: 'number';
  min: number;
  max: number;
  step?: number;
  /** The value used when the parameter is absent, shown in its place. */
  whenAbsent?: (params: Record<string, unknown>) => number | undefined;
  options?: undefined;
}

export interface SelectField extends FieldBase {
  type: 'select';
  options: readonly FieldOption[];
  min?: undefined;
  max?: undefined;
  step?: undefined;
  whenAbsent?: undefined;
}

export type FieldSpec = NumberField | SelectField;

/** The fields that apply to a node with these params, in order (what the inspector shows). */
export function visibleFields(
  fields: readonly FieldSpec[],
  params: Record<string, unknown>,
): FieldSpec[] {
  return fields.filter((field) => field.visibleWhen?.(params) ?? true);
}

/** A parameter that is missing or wrong, in words for the person editing the node. */
export interface ParamProblem {
  key: string;
  message: string;
}

export interface NodeKindInfo<K extends NodeKind = NodeKind> {
  kind: K;
  /** Shown on the palette, the node title and in messages ("Dense"). */
  label: string;
  /** One sentence for a newcomer: what the node does. */
  description: string;
  /** Whether the node takes a wire in (left handle) / sends one out (right handle). */
  hasInput: boolean;
  hasOutput: boolean;
  /** Whether its input handle takes two or more wires (Add, Concat) rather than exactly one. */
  mergesInputs?: boolean;
  /** What the inspector edits, in order. */
  fields: readonly FieldSpec[];
  /** Parameters of a freshly added node (a new object each call). */
  defaultParams(): ParamsByKind[K];
  /** Typed parameters, or the problems that stop them from being read. */
  readParams(
    params: Record<string, unknown>,
  ): { ok: true; params: ParamsByKind[K] } | { ok: false; problems: ParamProblem[] };
}

const ACTIVATION_LABELS: Record<ActivationName, string> = {
  identity: 'Identity',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  relu: 'ReLU',
  leaky_relu: 'Leaky ReLU',
  elu: 'ELU',
  softmax: 'Softmax',
};

const LOSS_LABELS: Record<LossName, string> = {
  mse: 'Mean squared error',
  cross_entropy: 'Cross-entropy',
  binary_cross_entropy: 'Binary cross-entropy',
};

const INIT_LABELS: Record<InitName, string> = {
  auto: 'Auto',
  xavier: 'Xavier',
  he: 'He',
  normal: 'Normal',
  uniform: 'Uniform',
  zeros: 'Zeros',
};

/** The choices of a select field: each name with its label, in the order of `names`. */
function optionsOf<T extends string>(
  names: readonly T[],
  labels: Record<T, string>,
): readonly FieldOption[] {
  return names.map((value) => ({ value, label: labels[value] }));
}

export const ACTIVATION_OPTIONS = optionsOf(ACTIVATION_NAMES, ACTIVATION_LABELS);
export const LOSS_OPTIONS = optionsOf(LOSS_NAMES, LOSS_LABELS);
export const INIT_OPTIONS = optionsOf(INIT_NAMES, INIT_LABELS);

export function activationLabel(name: ActivationName): string {
  return ACTIVATION_LABELS[name];
}
export function lossLabel(name: LossName): string {
  return LOSS_LABELS[name];
}

/** A width (features, units): a whole number from 1 to MAX_WIDTH, or a problem saying why not. */
function readWidth(
  params: Record<string, unknown>,
  key: string,
  label: string,
): number | ParamProblem {
  const value = params[key];
  if (value === undefined || value === null || value === '')
    return { key, message: `${label} is missing: enter a whole number from 1 to ${MAX_WIDTH}.` };
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { key, message: `${label} must be a number from 1 to ${MAX_WIDTH}.` };
  if (!Number.isInteger(value))
    return { key, message: `${label} must be a whole number (it is ${value}).` };
  if (value < 1 || value > MAX_WIDTH)
    return { key, message: `${label} must be from 1 to ${MAX_WIDTH} (it is ${value}).` };
  return value;
}

/** One of `names`, or a problem listing the choices by their labels. */
function readChoice<T extends string>(
  params: Record<string, unknown>,
  key: string,
  label: string,
  names: readonly T[],
  labels: Record<T, string>,
): T | ParamProblem {
  const value = params[key];
  if (typeof value === 'string' && (names as readonly string[]).includes(value)) return value as T;
  const choices = names.map((name) => labels[name]).join(', ');
  if (value === undefined || value === null || value === '')
    return { key, message: `Choose the ${label.toLowerCase()}: ${choices}.` };
  return { key, message: `Unknown ${label.toLowerCase()} "${String(value)}": choose ${choices}.` };
}

function isProblem(value: unknown): value is ParamProblem {
  return typeof value === 'object' && value !== null && 'message' in value;
}

function collect<P>(
  values: Record<string, unknown>,
  build: () => P,
): { ok: true; params: P } | { ok: false; problems: ParamProblem[] } {
  const problems = Object.values(values).filter(isProblem);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, params: build() };
}

const input: NodeKindInfo<'input'> = {
  kind: 'input',
  label: 'Input',
  description: 'Where the data comes in: one number per feature of a row.',
  hasInput: false,
  hasOutput: true,
  fields: [{ type: 'number', key: 'size', label: 'Size', min: 1, max: MAX_WIDTH, step: 1 }],
  defaultParams: () => ({ size: 2 }),
  readParams(params) {
    const size = readWidth(params, 'size', 'Size');
    return collect({ size }, () => ({ size: size as number }));
  },
};

const dense: NodeKindInfo<'dense'> = {
  kind: 'dense',
  label: 'Dense',
  description: 'A fully connected layer: every output is a weighted sum of all inputs plus a bias.',
  hasInput: true,
  hasOutput: true,
  fields: [
    { type: 'number', key: 'units', label: 'Units', min: 1, max: MAX_WIDTH, step: 1 },
    { type: 'select', key: 'init', label: 'Initializer', options: INIT_OPTIONS },
  ],
  defaultParams: () => ({ units: 8, init: 'auto' }),
  readParams(params) {
    const units = readWidth(params, 'units', 'Units');
    const init = readChoice(params, 'init', 'Initializer', INIT_NAMES, INIT_LABELS);
    return collect({ units, init }, () => ({ units: units as number, init: init as InitName }));
  },
};

/** The activations with an alpha, and the alpha each uses when none is given (DESIGN.md §2). */
const ALPHA_DEFAULTS: Partial<Record<ActivationName, number>> = {
  leaky_relu: DEFAULT_LEAKY_RELU_ALPHA,
  elu: DEFAULT_ELU_ALPHA,
};

/** Whether the chosen function has an alpha (leaky ReLU's slope, ELU's alpha). */
export function usesAlpha(params: Record<string, unknown>): boolean {
  return typeof params.fn === 'string' && Object.hasOwn(ALPHA_DEFAULTS, params.fn);
}

/** The alpha field: one range for both functions, checked by readParams and offered by the input. */
export const ALPHA_FIELD: NumberField = {
  type: 'number',
  key: 'alpha',
  label: 'Alpha (α)',
  min: 0,
  max: 10,
  step: 0.01,
  visibleWhen: usesAlpha,
  whenAbsent: (params) =>
    usesAlpha(params) ? ALPHA_DEFAULTS[params.fn as ActivationName] : undefined,
};

/**
 * Alpha's problem, if any. A non-number is wrong whatever the function; the range only matters
 * where the function uses alpha, since elsewhere the field is hidden and the value ignored.
 */
function alphaProblemOf(params: Record<string, unknown>): ParamProblem | null {
  const alpha = params.alpha;
  if (alpha === undefined) return null;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha))
    return { key: 'alpha', message: 'The slope (alpha) must be a number.' };
  const { min, max } = ALPHA_FIELD;
  if (usesAlpha(params) && (alpha < min || alpha > max))
    return {
      key: 'alpha',
      message: `Alpha (α) must be from ${min} to ${max} (it is ${alpha}).`,
    };
  return null;
}

const activation: NodeKindInfo<'activation'> = {
  kind: 'activation',
  label: 'Activation',
  description:
    'Bends each number with a function (ReLU, Sigmoid, …) so the network can learn curves.',
  hasInput: true,
  hasOutput: true,
  fields: [
    { type: 'select', key: 'fn', label: 'Function', options: ACTIVATION_OPTIONS },
    ALPHA_FIELD,
  ],
  defaultParams: () => ({ fn: 'relu' }),
  readParams(params) {
    const fn = readChoice(params, 'fn', 'Function', ACTIVATION_NAMES, ACTIVATION_LABELS);
    const alpha = params.alpha;
    const alphaProblem = alphaProblemOf(params);
    return collect({ fn, alphaProblem }, () => ({
      fn: fn as ActivationName,
      ...(typeof alpha === 'number' ? { alpha } : {}),
    }));
  },
};

const loss: NodeKindInfo<'loss'> = {
  kind: 'loss',
  label: 'Loss',
  description: 'Scores the prediction against the target; training makes this number small.',
  hasInput: true,
  hasOutput: false,
  fields: [{ type: 'select', key: 'loss', label: 'Loss', options: LOSS_OPTIONS }],
  defaultParams: () => ({ loss: 'cross_entropy' }),
  readParams(params) {
    const name = readChoice(params, 'loss', 'Loss', LOSS_NAMES, LOSS_LABELS);
    return collect({ name }, () => ({ loss: name as LossName }));
  },
};

export const NODE_KINDS: { readonly [K in NodeKind]: NodeKindInfo<K> } = {
  input,
  dense,
  activation,
  dropout,
  add,
  concat,
  loss,
};

/** Palette order: the order a network is read in. */
export const NODE_KIND_ORDER: readonly NodeKind[] = [
  'input',
  'dense',
  'activation',
  'dropout',
  'add',
  'concat',
  'loss',
];

export function isNodeKind(value: unknown): value is NodeKind {
  return typeof value === 'string' && Object.hasOwn(NODE_KINDS, value);
}
