/**
 * What every exporter starts from: the model file's spec, its weights (or, for an untrained design,
 * the weights its initializer draws from its seed) and how many random numbers that initializer
 * used, so an exported trainer can continue the app's random sequence (shuffles) after them.
 */
import { createNetwork, getWeights } from '../engine/network';
import { createRng, type Rng } from '../engine/rng';
import type { LayerItemSpec, LayerSpec } from '../engine/spec';
import type { WeightsJson } from '../engine/types';
import type { ModelData, ModelFile } from '../model-file/types';
import { ExportError } from './errors';

export interface ExportModel {
  /** The model file as read. */
  file: ModelFile;
  name: string;
  spec: LayerSpec;
  weights: WeightsJson;
  /** True when the file had no weights and `weights` were drawn from `seed`. */
  weightsFromSeed: boolean;
  seed: number;
  /** Uniform draws the seeded generator made for the initial weights (normals use two per pair). */
  initDraws: number;
  /** Absent when the file names no dataset (then there is no standardization either). */
  data?: ModelData;
}

/** An Rng that counts the uniform draws behind what it hands out. */
function countingRng(seed: number): { rng: Rng; draws: () => number } {
  const inner = createRng(seed);
  let uniforms = 0,
    normals = 0;
  const rng: Rng = {
    next: () => (uniforms++, inner.next()),
    // Box–Muller: every second normal is the spare of the pair before, so pairs cost two uniforms.
    normal: () => (normals++, inner.normal()),
    int: (n) => (uniforms++, inner.int(n)),
    shuffle: (items) => inner.shuffle(items),
  };
  return { rng, draws: () => uniforms + 2 * Math.ceil(normals / 2) };
}

/**
 * Each layer's inputs must be the input node or a layer listed before it (topological order): the
 * generators emit code in this order, and a name used before it is made would be a broken file.
 */
export function checkTopologicalOrder(spec: LayerSpec): void {
  const made = new Set<string>([spec.input.id]);
  for (const layer of spec.layers) {
    const inputs: readonly string[] = layer.inputs;
    if (inputs.length === 0) throw new ExportError(`Layer "${layer.id}" has no inputs.`);
    for (const input of inputs)
      if (!made.has(input))
        throw new ExportError(
          `Layer "${layer.id}" reads "${input}", which is not a layer before it in the spec.`,
        );
    made.add(layer.id);
  }
  if (spec.layers.length > 0) {
    const last = spec.layers[spec.layers.length - 1].id;
    if (!spec.loss.inputs.includes(last))
      throw new ExportError(`The loss "${spec.loss.id}" does not read the last layer "${last}".`);
  }
}

/** The id of the node the network's output comes from (the last layer, or the input). */
export function outputNodeId(spec: LayerSpec): string {
  return spec.layers.length > 0 ? spec.layers[spec.layers.length - 1].id : spec.input.id;
}

/** The single input of a one-input layer (every kind but add and concat). */
export function soleInput(layer: LayerItemSpec): string {
  if (layer.inputs.length !== 1)
    throw new ExportError(
      `Layer "${layer.id}" needs exactly one input, got ${layer.inputs.length}.`,
    );
  return layer.inputs[0];
}

/** A layer in a few words, for docstrings and comments: "Dense 5", "sigmoid", "Dropout 0.2". */
export function layerLabel(layer: LayerItemSpec): string {
  switch (layer.type) {
    case 'dense':
      return `Dense ${layer.units}`;
    case 'activation':
      return layer.fn;
    case 'dropout':
      return `Dropout ${layer.rate}`;
    case 'add':
      return 'Add';
    case 'concat':
      return 'Concat';
  }
}

/** The pieces every exporter needs, or an ExportError saying what the file lacks. */
export function exportModel(model: ModelFile): ExportModel {
  const spec = model.spec;
  if (!spec)
    throw new ExportError(
      'The model has no layer spec: its graph does not compile yet. Fix the graph first.',
    );
  checkTopologicalOrder(spec);
  const seed = model.training.seed;
  const { rng, draws } = countingRng(seed);
  let net;
  try {
    net = createNetwork(spec, rng);
  } catch (error) {
    throw new ExportError(error instanceof Error ? error.message : String(error));
  }
  const initDraws = draws();
  const weightsFromSeed = !model.weights;
  return {
    file: model,
    name: model.name,
    spec,
    weights: model.weights ?? getWeights(net),
    weightsFromSeed,
    seed,
    initDraws,
    ...(model.data ? { data: model.data } : {}),
  };
}

/** One sentence for the user when the weights were drawn from the seed. */
export function weightsNote(model: ExportModel): string | null {
  return model.weightsFromSeed
    ? `The model has no trained weights: the export holds the initial weights its initializer draws from seed ${model.seed}.`
    : null;
}
