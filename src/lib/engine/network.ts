/**
 * A network built from a LayerSpec: layers sharing one interface wired as a directed acyclic
 * graph (a chain being the simplest), a loss, and buffers reused per batch size so a training
 * step allocates nothing. Node 0 is the input X, node i + 1 the output of spec.layers[i].
 *
 *   forward   A_0 = X,  A_{i+1} = layer_i(its inputs' A),  in spec (topological) order;  P = A_L
 *   backward  dA_L = dC/dP (or, when the loss fuses with the last activation, dC/d(its input)
 *             = (P - T)/B), then in reverse order each layer turns dA_{i+1} into its parameter
 *             gradients and one dC/dA per input; an output that feeds several layers gets the sum.
 *
 * About 350 lines: the network's build (with where its arrays live), forward, backward and loss
 * belong together (each layer kind lives in its own file, the arena in kernels/wasm-arena.ts).
 */
import {
  EVALUATION,
  type AllocateArray,
  type ForwardMode,
  type Layer,
  type LayerCache,
} from './layer';
import { createActivationLayer, createDenseLayer, type DenseLayer } from './layer';
import { createDropoutLayer } from './dropout';
import { createAddLayer, createConcatLayer } from './merge';
import { createLoss, type Loss } from './losses';
import { layersWithMistake, lossWithMistake, type Mistake } from './mistakes';
import { defaultKernel, type MatmulKernel } from './matmul';
import { cloneMatrix, zeros, type Matrix } from './matrix';
import { initializeDense } from './initializers';
import {
  addPenaltyGradient,
  penalty,
  NO_REGULARIZATION,
  type Regularization,
} from './regularization';
import type { Rng } from './rng';
import type { ActivationName, LayerItemSpec, LayerSpec } from './spec';
import { topologyOf, type Topology } from './topology';
import type { DenseGrads, DenseParams } from './types';
import { validateSpec } from './validate-spec';
import { ROW_CHUNK, SUM_CHUNK, WasmArena, productScratch } from './kernels/wasm-arena';

export { validateSpec } from './validate-spec';
export { getWeights, setWeights } from './network-weights';
export { EVALUATION, type ForwardMode } from './layer';

/** What forward keeps for backward; also what diagnostics read (per-layer activations). */
export interface ForwardCache {
  batchSize: number;
  /** activations[0] is X; activations[i + 1] is the output of spec.layers[i]. */
  activations: Matrix[];
  /** The same buffers per layer: its id, what went in (per input) and what came out. */
  layers: LayerCache[];
  /** The prediction P (the last layer's output). */
  output: Matrix;
}

interface Workspace {
  cache: ForwardCache;
  /** gradients[n] = dC/d(activations[n]). */
  gradients: Matrix[];
  /**
   * dInputs[i][k]: where layer i writes the gradient of its k-th input: that node's gradients
   * buffer, a scratch buffer when it adds to one already written, or null for X.
   */
  dInputs: (Matrix | null)[][];
}

export interface Network {
  readonly spec: LayerSpec;
  /** Parameters of the dense layers, in spec order. */
  readonly params: DenseParams[];
  /** Their gradients (same order), overwritten by every backward. */
  readonly grads: DenseGrads[];
  readonly layers: Layer[];
  /** Who feeds whom, as indices (topology.ts). */
  readonly topology: Topology;
  readonly loss: Loss;
  /** True when the loss fuses with the last layer (softmax + cross_entropy, sigmoid + bce). */
  readonly fusedLoss: boolean;
  /** Flat views for optimizers: [W_0, b_0, W_1, b_1, ...] and the matching gradients. */
  readonly parameterArrays: Float64Array[];
  readonly gradientArrays: Float64Array[];
  /** Buffers per batch size (a few sizes at most: the batch, a short last batch, the splits). */
  readonly workspaces: Map<number, Workspace>;
  /** The matrix-product kernel every dense layer of this network uses. */
  readonly kernel: MatmulKernel;
  /** The teaching mistake this network runs (mistakes.ts), or null: the correct maths. */
  readonly mistake: Mistake | null;
}

export interface NetworkOptions {
  /**
   * Where the parameters, gradients and optimizer state live: 'webassembly' in the network's own
   * WebAssembly memory (kernels/wasm-arena.ts: products and the momentum update read them in
   * place), 'javascript' in plain arrays, 'auto' (the default) the first for networks of at least
   * ARENA_MIN_PARAMETERS numbers where WebAssembly SIMD runs. The numbers are the same either way.
   */
  parameterMemory?: 'auto' | 'webassembly' | 'javascript';
  /** The matrix-product kernel (default: the fastest that runs here; all give the same bits). */
  kernel?: MatmulKernel;
  /** A deliberate "common mistake" for the backprop inspector (mistakes.ts); never in training. */
  mistake?: Mistake | null;
}

/** Below this many parameters a network keeps plain arrays (an arena gains little there). */
export const ARENA_MIN_PARAMETERS = 1000;

/** How many batch sizes keep their buffers; older ones are dropped first. */
const MAX_WORKSPACES = 6;

/** Each kind's layer; the network never switches on a kind beyond this table. */
const LAYER_FACTORIES: {
  [T in LayerItemSpec['type']]: (
    s: Extract<LayerItemSpec, { type: T }>,
    kernel: MatmulKernel,
    allocate: AllocateArray,
  ) => Layer;
} = {
  dense: (s, kernel, allocate) => createDenseLayer(s, kernel, allocate),
  activation: createActivationLayer,
  dropout: createDropoutLayer,
  add: createAddLayer,
  concat: createConcatLayer,
};

function createLayer(spec: LayerItemSpec, kernel: MatmulKernel, allocate: AllocateArray): Layer {
  return (
    LAYER_FACTORIES[spec.type] as (s: LayerItemSpec, k: MatmulKernel, a: AllocateArray) => Layer
  )(spec, kernel, allocate);
}

/** How the dense layers get their arrays: from a new arena (see NetworkOptions), or plain. */
function arrayAllocator(spec: LayerSpec, memory: NetworkOptions['parameterMemory']): AllocateArray {
  const dense = spec.layers.filter((s) => s.type === 'dense');
  const lengths = dense.flatMap((s) => [s.inputSize * s.units, s.units]);
  const total = lengths.reduce((sum, n) => sum + n, 0);
  const wanted =
    memory === 'webassembly' || (memory !== 'javascript' && total >= ARENA_MIN_PARAMETERS);
  const maxWidth = Math.max(1, ...dense.flatMap((s) => [s.inputSize, s.units]));
  const arena = wanted
    ? WasmArena.create(
        lengths,
        2,
        productScratch(ROW_CHUNK, maxWidth, SUM_CHUNK),
        ROW_CHUNK * maxWidth,
      )
    : null;
  return arena ? (length) => arena.allocate(length) : (length) => new Float64Array(length);
}

/**
 * The activation that alone takes the output of layer `id`, looking through dropout (which only
 * masks), if there is one: what 'auto' initialisation suits.
 */
function activationAfter(spec: LayerSpec, id: string): ActivationName | undefined {
  const takers = spec.layers.filter((layer) => layer.inputs.includes(id));
  const [only] = takers;
  if (takers.length !== 1) return undefined;
  if (only.type === 'dropout') return activationAfter(spec, only.id);
  return only.type === 'activation' ? only.fn : undefined;
}

/** Build the network and draw its initial weights from `rng`. */
export function createNetwork(spec: LayerSpec, rng: Rng, options: NetworkOptions = {}): Network {
  validateSpec(spec);
  const kernel = options.kernel ?? defaultKernel;
  const mistake = options.mistake ?? null;
  const allocate = arrayAllocator(spec, options.parameterMemory);
  const layers = layersWithMistake(
    spec.layers.map((s) => createLayer(s, kernel, allocate)),
    mistake,
  );
  const denseLayers = layers.filter((l): l is DenseLayer => l.params !== null);
  const params = denseLayers.map((l) => l.params);
  const grads = denseLayers.map((l) => l.grads);
  const loss = lossWithMistake(createLoss(spec.loss.type), mistake);
  const last = spec.layers[spec.layers.length - 1];
  const net: Network = {
    spec,
    params,
    grads,
    layers,
    topology: topologyOf(spec),
    loss,
    fusedLoss: last !== undefined && last.type === 'activation' && last.fn === loss.fusedActivation,
    parameterArrays: params.flatMap((p) => [p.W.data, p.b]),
    gradientArrays: grads.flatMap((g) => [g.dW.data, g.db]),
    workspaces: new Map(),
    kernel,
    mistake,
  };
  initializeNetwork(net, rng);
  return net;
}

/** Redraw every dense layer's weights from `rng`, in spec order. */
export function initializeNetwork(net: Network, rng: Rng): void {
  let k = 0;
  for (const s of net.spec.layers)
    if (s.type === 'dense')
      initializeDense(net.params[k++], s.init, activationAfter(net.spec, s.id), rng);
}

function workspaceFor(net: Network, batchSize: number): Workspace {
  const existing = net.workspaces.get(batchSize);
  if (existing) return existing;
  if (net.workspaces.size >= MAX_WORKSPACES) {
    const oldest = net.workspaces.keys().next().value as number;
    net.workspaces.delete(oldest);
  }
  const { inputNodes, accumulates } = net.topology;
  const activations: Matrix[] = [zeros(0, net.spec.input.size)];
  const gradients: Matrix[] = [zeros(batchSize, net.spec.input.size)];
  for (const layer of net.layers) {
    activations.push(zeros(batchSize, layer.outputSize));
    gradients.push(zeros(batchSize, layer.outputSize));
  }
  const layers = net.layers.map((layer, i): LayerCache => {
    const inputs = inputNodes[i].map((node) => activations[node]);
    return {
      id: layer.id,
      inputs,
      input: inputs[0],
      output: activations[i + 1],
      memory: layer.createMemory?.(batchSize) ?? null,
    };
  });
  const dInputs = inputNodes.map((nodes, i) =>
    nodes.map((node, k) => {
      if (node === 0) return null;
      return accumulates[i][k] ? zeros(batchSize, gradients[node].cols) : gradients[node];
    }),
  );
  const cache: ForwardCache = {
    batchSize,
    activations,
    layers,
    output: activations[activations.length - 1],
  };
  const workspace = { cache, gradients, dInputs };
  net.workspaces.set(batchSize, workspace);
  return workspace;
}

/**
 * Run X (B x inputSize) through the network. The cache's buffers belong to the network and are
 * overwritten by the next forward with the same batch size: copy what you need to keep.
 * `mode` is evaluation unless a training step passes `{ training: true, rng }` (dropout masks).
 */
export function forward(net: Network, X: Matrix, mode: ForwardMode = EVALUATION): ForwardCache {
  if (X.cols !== net.spec.input.size)
    throw new Error(
      `The input has ${X.cols} columns but the network expects ${net.spec.input.size}.`,
    );
  const { cache } = workspaceFor(net, X.rows);
  const acts = cache.activations;
  const { inputNodes } = net.topology;
  acts[0] = X;
  if (net.layers.length === 0) cache.output = X;
  for (let i = 0; i < net.layers.length; i++) {
    const layerCache = cache.layers[i];
    const nodes = inputNodes[i];
    for (let k = 0; k < nodes.length; k++) layerCache.inputs[k] = acts[nodes[k]];
    layerCache.input = layerCache.inputs[0];
    net.layers[i].forward(layerCache, mode);
  }
  return cache;
}

/**
 * dC/dA of every node (0 = X, i + 1 = spec.layers[i]) as the last backward at this batch size
 * left them, fan-out summed: what the backprop inspector reads. X's entry is never written, nor
 * the last node's when the loss is fused (backward starts at the fused gradient).
 */
export function nodeGradients(net: Network, batchSize: number): readonly Matrix[] {
  return workspaceFor(net, batchSize).gradients;
}

/** target += addend, entry by entry. */
function addInto(target: Matrix, addend: Matrix): void {
  const t = target.data,
    a = addend.data;
  for (let i = 0; i < t.length; i++) t[i] += a[i];
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
  const { gradients, dInputs } = workspaceFor(net, cache.batchSize);
  const { inputNodes, accumulates } = net.topology;
  const L = net.layers.length;
  if (!net.fusedLoss) net.loss.gradient(P, Y, gradients[L]);
  for (let i = L - 1; i >= 0; i--) {
    const targets = dInputs[i];
    if (i === L - 1 && net.fusedLoss) {
      // dC/d(input of the last activation) = (P - T) / B directly.
      if (targets[0]) net.loss.fusedGradient(P, Y, targets[0]);
    } else {
      net.layers[i].backward(cache.layers[i], gradients[i + 1], targets);
    }
    for (let k = 0; k < targets.length; k++) {
      const target = targets[k];
      if (target && accumulates[i][k]) addInto(gradients[inputNodes[i][k]], target);
    }
  }
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
  if (net.fusedLoss) return net.loss.fusedValue(cache.layers[net.layers.length - 1].input, Y);
  return net.loss.value(P, Y);
}

/**
 * The loss (penalty included) and its gradients w.r.t. every dense layer. The gradients are the
 * network's own buffers (see backward). A training step passes `{ training: true, rng }` as
 * `mode` so dropout draws its masks; the default is evaluation (dropout is the identity).
 */
export function lossAndGradients(
  net: Network,
  X: Matrix,
  Y: Matrix,
  reg: Regularization = NO_REGULARIZATION,
  mode: ForwardMode = EVALUATION,
): { loss: number; grads: DenseGrads[] } {
  const cache = forward(net, X, mode);
  const loss = dataLoss(net, cache, Y) + penalty(net.params, reg);
  const grads = backward(net, cache, Y);
  addPenaltyGradient(net.params, grads, reg);
  return { loss, grads };
}

/** The network's prediction for X, as a new matrix the caller owns. */
export function predict(net: Network, X: Matrix): Matrix {
  return cloneMatrix(forward(net, X).output);
}
