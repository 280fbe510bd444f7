/**
 * The layer spec of DESIGN.md §3: what compile() produces from the graph, what the engine
 * builds a network from, and what the model file stores (plain JSON-serialisable data). The
 * check that a spec's layers and sizes fit together is validate-spec.ts.
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

/** Dropout (DESIGN.md §2): zeroes each entry with probability `rate` in training only. */
export interface DropoutSpec {
  id: string;
  type: 'dropout';
  inputs: string[];
  /** 0 <= rate < 1. */
  rate: number;
  size: number;
}

/** The sum of two or more inputs of one width `size`. */
export interface AddSpec {
  id: string;
  type: 'add';
  inputs: string[];
  size: number;
}

/** Two or more inputs side by side along the feature axis, in the order of `inputs`. */
export interface ConcatSpec {
  id: string;
  type: 'concat';
  inputs: string[];
  /** The sum of the inputs' widths. */
  size: number;
}

export type LayerItemSpec = DenseSpec | ActivationSpec | DropoutSpec | AddSpec | ConcatSpec;

/** Kinds that merge several inputs (every other kind takes exactly one). */
export const isMergeSpec = (layer: LayerItemSpec): layer is AddSpec | ConcatSpec =>
  layer.type === 'add' || layer.type === 'concat';

/** How many numbers per row a layer outputs. */
export function layerOutputSize(layer: LayerItemSpec): number {
  return layer.type === 'dense' ? layer.units : layer.size;
}

export interface LossSpec {
  id: string;
  type: LossName;
  inputs: string[];
}

/** The whole network: called "LayerSpec" in DESIGN.md §3. */
export interface LayerSpec {
  input: InputSpec;
  /** Topological order: a layer's inputs are the input or layers before it; the last one feeds the loss. */
  layers: LayerItemSpec[];
  loss: LossSpec;
}

/** Size of what the network outputs (the last layer's width, or the input size with no layers). */
export function outputSize(spec: LayerSpec): number {
  const last = spec.layers[spec.layers.length - 1];
  if (!last) return spec.input.size;
  return layerOutputSize(last);
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
