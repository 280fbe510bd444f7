/**
 * A network built from a LayerSpec: a chain of layers sharing one interface, a loss, and buffers
 * reused per batch size so a training step allocates nothing.
 *
 *   forward   A_0 = X,  A_{i+1} = layer_i(A_i),  P = A_L
 *   backward  dA_L = dC/dP (or, when the loss fuses with the last activation, dA_{L-1} = (P - T)/B),
 *             then each layer turns dA_{i+1} into its parameter gradients and dA_i.
 */
import { createActivationLayer, createDenseLayer, type DenseLayer, type Layer } from './layer';
import { createLoss, type Loss } from './losses';
import { cloneMatrix, zeros, type Matrix } from './matrix';
import { initializeDense } from './initializers';
import {
  addPenaltyGradient,
  penalty,
  NO_REGULARIZATION,
  type Regularization,
} from './regularization';
import type { Rng } from './rng';
import {
  ACTIVATION_NAMES,
  INIT_NAMES,
  LOSS_NAMES,
  type ActivationName,
  type LayerSpec,
} from './spec';
import type { DenseGrads, DenseParams, WeightsJson } from './types';

/** What forward keeps for backward; also what diagnostics read (per-layer activations). */
export interface ForwardCache {
  batchSize: number;
  /** activations[0] is X; activations[i + 1] is the output of spec.layers[i]. */
  activations: Matrix[];
  /** The same buffers per layer: its id, what went in and what came out. */
  layers: { id: string; input: Matrix; output: Matrix }[];
  /** The prediction P (the last layer's output). */
  output: Matrix;
}

interface Workspace {
  cache: ForwardCache;
  /** gradients[i] = dC/d(activations[i]). */
  gradients: Matrix[];
}

export interface Network {
  readonly spec: LayerSpec;
  /** Parameters of the dense layers, in spec order. */
  readonly params: DenseParams[];
  /** Their gradients (same order), overwritten by every backward. */
  readonly grads: DenseGrads[];
  readonly layers: Layer[];
  readonly loss: Loss;
  /** True when the loss fuses with the last layer (softmax + cross_entropy, sigmoid + bce). */
  readonly fusedLoss: boolean;
  /** Flat views for optimizers: [W_0, b_0, W_1, b_1, ...] and the matching gradients. */
  readonly parameterArrays: Float64Array[];
  readonly gradientArrays: Float64Array[];
  /** Buffers per batch size (a few sizes at most: the batch, a short last batch, the splits). */
  readonly workspaces: Map<number, Workspace>;
}

/** How many batch sizes keep their buffers; older ones are dropped first. */
const MAX_WORKSPACES = 6;

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

/** The activation right after spec.layers[index], if that is an activation layer. */
function nextActivation(spec: LayerSpec, index: number): ActivationName | undefined {
  const next = spec.layers[index + 1];
  return next && next.type === 'activation' ? next.fn : undefined;
}

/** Build the network and draw its initial weights from `rng`. */
export function createNetwork(spec: LayerSpec, rng: Rng): Network {
  validateSpec(spec);
  const layers: Layer[] = spec.layers.map((s) =>
    s.type === 'dense' ? createDenseLayer(s) : createActivationLayer(s),
  );
  const denseLayers = layers.filter((l): l is DenseLayer => l.params !== null);
  const params = denseLayers.map((l) => l.params);
  const grads = denseLayers.map((l) => l.grads);
  const loss = createLoss(spec.loss.type);
  const last = spec.layers[spec.layers.length - 1];
  const net: Network = {
    spec,
    params,
    grads,
    layers,
    loss,
    fusedLoss: last !== undefined && last.type === 'activation' && last.fn === loss.fusedActivation,
    parameterArrays: params.flatMap((p) => [p.W.data, p.b]),
    gradientArrays: grads.flatMap((g) => [g.dW.data, g.db]),
    workspaces: new Map(),
  };
  initializeNetwork(net, rng);
  return net;
}

/** Redraw every dense layer's weights from `rng`, in spec order. */
export function initializeNetwork(net: Network, rng: Rng): void {
  let k = 0;
  net.spec.layers.forEach((s, i) => {
    if (s.type === 'dense')
      initializeDense(net.params[k++], s.init, nextActivation(net.spec, i), rng);
  });
}

function workspaceFor(net: Network, batchSize: number): Workspace {
  const existing = net.workspaces.get(batchSize);
  if (existing) return existing;
  if (net.workspaces.size >= MAX_WORKSPACES) {
    const oldest = net.workspaces.keys().next().value as number;
    net.workspaces.delete(oldest);
  }
  const activations: Matrix[] = [zeros(0, net.spec.input.size)];
  const gradients: Matrix[] = [zeros(batchSize, net.spec.input.size)];
  for (const layer of net.layers) {
    activations.push(zeros(batchSize, layer.outputSize));
    gradients.push(zeros(batchSize, layer.outputSize));
  }
  const cache: ForwardCache = {
    batchSize,
    activations,
    layers: net.layers.map((l, i) => ({
      id: l.id,
      input: activations[i],
      output: activations[i + 1],
    })),
    output: activations[activations.length - 1],
  };
  const workspace = { cache, gradients };
  net.workspaces.set(batchSize, workspace);
  return workspace;
}

/**
 * Run X (B x inputSize) through the network. The cache's buffers belong to the network and are
 * overwritten by the next forward with the same batch size: copy what you need to keep.
 */
export function forward(net: Network, X: Matrix): ForwardCache {
  if (X.cols !== net.spec.input.size)
    throw new Error(
      `The input has ${X.cols} columns but the network expects ${net.spec.input.size}.`,
    );
  const { cache } = workspaceFor(net, X.rows);
  const acts = cache.activations;
  acts[0] = X;
  if (cache.layers.length > 0) cache.layers[0].input = X;
  if (net.layers.length === 0) cache.output = X;
  for (let i = 0; i < net.layers.length; i++) net.layers[i].forward(acts[i], acts[i + 1]);
  return cache;
}

/**
 * Gradients of the data loss (no penalty) w.r.t. every dense layer's parameters, from a forward
 * cache and the targets Y. Returns the network's own gradient buffers, overwritten by the next
 * backward: copy them to keep them.
 */
export function backward(net: Network, cache: ForwardCache, Y: Matrix): DenseGrads[] {
  const P = cache.output;
  if (Y.rows !== P.rows || Y.cols !== P.cols)
    throw new Error(
      `The targets are ${Y.rows} x ${Y.cols} but the network predicts ${P.rows} x ${P.cols}.`,
    );
  const { gradients } = workspaceFor(net, cache.batchSize);
  const acts = cache.activations;
  const L = net.layers.length;
  let start = L - 1;
  if (net.fusedLoss) {
    // dC/d(input of the last activation) = (P - T) / B directly.
    net.loss.fusedGradient(P, Y, gradients[L - 1]);
    start = L - 2;
  } else {
    net.loss.gradient(P, Y, gradients[L]);
  }
  for (let i = start; i >= 0; i--)
    net.layers[i].backward(acts[i], acts[i + 1], gradients[i + 1], i > 0 ? gradients[i] : null);
  return net.grads;
}

/**
 * The data loss of a forward pass (no penalty). When the loss fuses with the last activation it is
 * computed from that activation's input, which stays exact where P rounds to 0 or 1.
 */
export function dataLoss(net: Network, cache: ForwardCache, Y: Matrix): number {
  const P = cache.output;
  if (Y.rows !== P.rows || Y.cols !== P.cols)
    throw new Error(
      `The targets are ${Y.rows} x ${Y.cols} but the network predicts ${P.rows} x ${P.cols}.`,
    );
  if (net.fusedLoss) return net.loss.fusedValue(cache.activations[net.layers.length - 1], Y);
  return net.loss.value(P, Y);
}

/** C = loss(P, Y) + penalty(W): the quantity training minimises. */
export function lossValue(
  net: Network,
  X: Matrix,
  Y: Matrix,
  reg: Regularization = NO_REGULARIZATION,
): number {
  return dataLoss(net, forward(net, X), Y) + penalty(net.params, reg);
}

/**
 * The loss (penalty included) and its gradients w.r.t. every dense layer. The gradients are the
 * network's own buffers (see backward).
 */
export function lossAndGradients(
  net: Network,
  X: Matrix,
  Y: Matrix,
  reg: Regularization = NO_REGULARIZATION,
): { loss: number; grads: DenseGrads[] } {
  const cache = forward(net, X);
  const loss = dataLoss(net, cache, Y) + penalty(net.params, reg);
  const grads = backward(net, cache, Y);
  addPenaltyGradient(net.params, grads, reg);
  return { loss, grads };
}

/** The network's prediction for X, as a new matrix the caller owns. */
export function predict(net: Network, X: Matrix): Matrix {
  return cloneMatrix(forward(net, X).output);
}

/** A plain-JSON copy of the weights, keyed by dense layer id (model file `weights`). */
export function getWeights(net: Network): WeightsJson {
  // Null prototype: a layer id is user data, and "__proto__" must be an ordinary key.
  const out = Object.create(null) as WeightsJson;
  for (const p of net.params) {
    const W: number[][] = [];
    for (let i = 0; i < p.W.rows; i++)
      W.push(Array.from(p.W.data.subarray(i * p.W.cols, (i + 1) * p.W.cols)));
    out[p.id] = { W, b: Array.from(p.b) };
  }
  return out;
}

/**
 * Load weights (e.g. from a model file). Everything is checked before anything is written, so
 * bad weights leave the network as it was.
 */
export function setWeights(net: Network, weights: WeightsJson): void {
  if (typeof weights !== 'object' || weights === null)
    throw new Error('The weights must be an object keyed by dense layer id.');
  const known = new Set(net.params.map((p) => p.id));
  for (const id of Object.keys(weights))
    if (!known.has(id))
      throw new Error(`The weights name a layer "${id}" that the network does not have.`);
  for (const p of net.params) {
    const w = weights[p.id];
    const rows = p.W.rows,
      cols = p.W.cols;
    if (!w) throw new Error(`The weights have no entry for dense layer "${p.id}".`);
    if (!Array.isArray(w.W) || w.W.length !== rows)
      throw new Error(
        `Layer "${p.id}": W needs ${rows} rows (one per input), got ${describeLength(w.W)}.`,
      );
    w.W.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== cols)
        throw new Error(
          `Layer "${p.id}": row ${i} of W needs ${cols} numbers, got ${describeLength(row)}.`,
        );
      row.forEach((v, j) => {
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new Error(`Layer "${p.id}": W[${i}][${j}] is not a finite number.`);
      });
    });
    if (!Array.isArray(w.b) || w.b.length !== cols)
      throw new Error(`Layer "${p.id}": b needs ${cols} numbers, got ${describeLength(w.b)}.`);
    w.b.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new Error(`Layer "${p.id}": b[${j}] is not a finite number.`);
    });
  }
  for (const p of net.params) {
    const w = weights[p.id];
    w.W.forEach((row, i) => p.W.data.set(row, i * p.W.cols));
    p.b.set(w.b);
  }
}

function describeLength(value: unknown): string {
  return Array.isArray(value) ? `${value.length}` : 'none';
}
