/**
 * The layer spec of DESIGN.md §3: what compile() produces from the graph, what the engine
 * builds a network from, and what the model file stores (plain JSON-serialisable data), with
 * validateSpec, the check that a spec describes a chain whose sizes fit together.
 */

export const ACTIVATION_NAMES = [
  'identity',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'elu',
  'softmax',
] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** The rectifier family: He initialisation suits them, and their units can die (output 0 always). */
export const RELU_FAMILY: readonly ActivationName[] = ['relu', 'leaky_relu', 'elu'];
export const isReluFamily = (fn: ActivationName): boolean => RELU_FAMILY.includes(fn);

export const LOSS_NAMES = ['mse', 'cross_entropy', 'binary_cross_entropy'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

export const INIT_NAMES = ['auto', 'xavier', 'he', 'normal', 'uniform', 'zeros'] as const;
export type InitName = (typeof INIT_NAMES)[number];

export interface InputSpec {
  id: string;
  size: number;
}

export interface DenseSpec {
  id: string;
  type: 'dense';
  inputs: string[];
  inputSize: number;
  units: number;
  init: InitName;
}

export interface ActivationSpec {
  id: string;
  type: 'activation';
  inputs: string[];
  fn: ActivationName;
  size: number;
  /** Negative slope of leaky_relu (default 0.01) or alpha of elu (default 1). */
  alpha?: number;
}

export type LayerItemSpec = DenseSpec | ActivationSpec;

export interface LossSpec {
  id: string;
  type: LossName;
  inputs: string[];
}

/** The whole network: called "LayerSpec" in DESIGN.md §3. */
export interface LayerSpec {
  input: InputSpec;
  /** Topological order. */
  layers: LayerItemSpec[];
  loss: LossSpec;
}

/** Size of what the network outputs (the last layer's width, or the input size with no layers). */
export function outputSize(spec: LayerSpec): number {
  const last = spec.layers[spec.layers.length - 1];
  if (!last) return spec.input.size;
  return last.type === 'dense' ? last.units : last.size;
}

/**
 * Columns of the target matrix (and so the network's output width) that data of this task and
 * class count needs under `loss`: one for regression and for binary cross-entropy (one sigmoid
 * unit), one per class otherwise (softmax + cross-entropy).
 */
export function targetWidth(
  task: 'classification' | 'regression',
  classCount: number,
  loss: LossName,
): number {
  if (task === 'regression') return 1;
  return loss === 'binary_cross_entropy' ? 1 : classCount;
}

function isPositiveInteger(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

/** Throw a clear error if the spec does not describe a chain whose sizes fit together. */
export function validateSpec(spec: LayerSpec): void {
  if (!spec || !spec.input || !Array.isArray(spec.layers) || !spec.loss)
    throw new Error('The layer spec needs an input, a list of layers and a loss.');
  if (!isPositiveInteger(spec.input.size))
    throw new Error(`Input "${spec.input.id}" needs a size that is a whole number above 0.`);
  const seen = new Set<string>([spec.input.id]);
  let size = spec.input.size;
  for (const layer of spec.layers) {
    if (seen.has(layer.id)) throw new Error(`Two nodes share the id "${layer.id}".`);
    seen.add(layer.id);
    if (layer.type === 'dense') {
      if (!isPositiveInteger(layer.units))
        throw new Error(`Dense layer "${layer.id}" needs a number of units above 0.`);
      if (layer.inputSize !== size)
        throw new Error(
          `Dense layer "${layer.id}" expects ${layer.inputSize} inputs but receives ${size}.`,
        );
      if (!INIT_NAMES.includes(layer.init))
        throw new Error(`Dense layer "${layer.id}" has an unknown initializer "${layer.init}".`);
      size = layer.units;
    } else if (layer.type === 'activation') {
      if (!ACTIVATION_NAMES.includes(layer.fn))
        throw new Error(`Activation "${layer.id}" has an unknown function "${layer.fn}".`);
      if (layer.size !== size)
        throw new Error(`Activation "${layer.id}" has size ${layer.size} but receives ${size}.`);
      if (layer.alpha !== undefined && !Number.isFinite(layer.alpha))
        throw new Error(`Activation "${layer.id}" needs a finite alpha.`);
    } else {
      throw new Error(`Layer "${(layer as { id: string }).id}" has an unknown type.`);
    }
  }
  if (!LOSS_NAMES.includes(spec.loss.type))
    throw new Error(`Loss "${spec.loss.id}" has an unknown type "${spec.loss.type}".`);
}
