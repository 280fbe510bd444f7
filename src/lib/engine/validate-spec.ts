/**
 * The engine's check of a LayerSpec (DESIGN.md §3) before it builds a network: ids unique, layers
 * in topological order reading only the input or earlier layers, widths that fit at every wire,
 * every layer leading on to the loss. Throws one clear Error at the first problem.
 */
import {
  ACTIVATION_NAMES,
  INIT_NAMES,
  LOSS_NAMES,
  type LayerItemSpec,
  type LayerSpec,
} from './spec';

function isPositiveInteger(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n > 0;
}

const KIND_NAMES: Record<LayerItemSpec['type'], string> = {
  dense: 'Dense layer',
  activation: 'Activation',
  dropout: 'Dropout',
  add: 'Add',
  concat: 'Concat',
};

/** The inputs' widths, after checking the list itself: known earlier ids, each once, how many. */
function inputWidths(layer: LayerItemSpec, widths: ReadonlyMap<string, number>): number[] {
  const name = `${KIND_NAMES[layer.type]} "${layer.id}"`;
  const inputs: unknown = layer.inputs;
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new Error(`${name} needs a list of inputs.`);
  const merges = layer.type === 'add' || layer.type === 'concat';
  if (merges && inputs.length < 2) throw new Error(`${name} needs two or more inputs.`);
  if (!merges && inputs.length !== 1) throw new Error(`${name} takes exactly one input.`);
  if (new Set(inputs).size !== inputs.length) throw new Error(`${name} lists an input twice.`);
  return inputs.map((id: unknown) => {
    const width = typeof id === 'string' ? widths.get(id) : undefined;
    if (width === undefined)
      throw new Error(
        `${name} takes "${String(id)}", which is neither the input nor a layer before it.`,
      );
    return width;
  });
}

/** The layer's output width, after checking its own fields against its inputs' widths. */
function checkLayer(layer: LayerItemSpec, inWidths: number[]): number {
  const name = `${KIND_NAMES[layer.type]} "${layer.id}"`;
  const [size] = inWidths;
  switch (layer.type) {
    case 'dense':
      if (!isPositiveInteger(layer.units))
        throw new Error(`${name} needs a number of units above 0.`);
      if (layer.inputSize !== size)
        throw new Error(`${name} expects ${layer.inputSize} inputs but receives ${size}.`);
      if (!INIT_NAMES.includes(layer.init))
        throw new Error(`${name} has an unknown initializer "${layer.init}".`);
      return layer.units;
    case 'activation':
      if (!ACTIVATION_NAMES.includes(layer.fn))
        throw new Error(`${name} has an unknown function "${layer.fn}".`);
      if (layer.alpha !== undefined && !Number.isFinite(layer.alpha))
        throw new Error(`${name} needs a finite alpha.`);
      break;
    case 'dropout':
      if (typeof layer.rate !== 'number' || !(layer.rate >= 0 && layer.rate < 1))
        throw new Error(`${name} needs a rate from 0 up to (not including) 1.`);
      break;
    case 'add': {
      const other = inWidths.findIndex((w) => w !== layer.size);
      if (other >= 0)
        throw new Error(
          `${name} has size ${layer.size} but input "${layer.inputs[other]}" gives ${inWidths[other]}; Add needs inputs of one width.`,
        );
      return layer.size;
    }
    case 'concat': {
      const total = inWidths.reduce((a, b) => a + b, 0);
      if (layer.size !== total)
        throw new Error(`${name} has size ${layer.size} but its inputs give ${total} together.`);
      return layer.size;
    }
    default:
      throw new Error(`Layer "${(layer as { id: string }).id}" has an unknown type.`);
  }
  if (layer.size !== size) throw new Error(`${name} has size ${layer.size} but receives ${size}.`);
  return size;
}

/** Throw a clear error unless the spec describes a network whose sizes fit together. */
export function validateSpec(spec: LayerSpec): void {
  if (!spec || !spec.input || !Array.isArray(spec.layers) || !spec.loss)
    throw new Error('The layer spec needs an input, a list of layers and a loss.');
  if (!isPositiveInteger(spec.input.size))
    throw new Error(`Input "${spec.input.id}" needs a size that is a whole number above 0.`);
  const widths = new Map<string, number>([[spec.input.id, spec.input.size]]);
  const unused = new Set<string>();
  for (const layer of spec.layers) {
    if (widths.has(layer.id)) throw new Error(`Two nodes share the id "${layer.id}".`);
    const inWidths = inputWidths(layer, widths);
    for (const id of layer.inputs) unused.delete(id);
    widths.set(layer.id, checkLayer(layer, inWidths));
    unused.add(layer.id);
  }
  if (!LOSS_NAMES.includes(spec.loss.type))
    throw new Error(`Loss "${spec.loss.id}" has an unknown type "${spec.loss.type}".`);
  const last = spec.layers.at(-1)?.id ?? spec.input.id;
  const lossInputs: unknown = spec.loss.inputs;
  if (!Array.isArray(lossInputs) || lossInputs.length !== 1 || lossInputs[0] !== last)
    throw new Error(`Loss "${spec.loss.id}" must take the last layer, "${last}".`);
  unused.delete(last);
  const [deadEnd] = unused;
  if (deadEnd !== undefined)
    throw new Error(`Layer "${deadEnd}" leads nowhere: no later layer takes its output.`);
}
