/**
 * The networks the benchmark trains and the random data they train on: every implementation
 * sees the same layer sizes, the same initial weights and the same rows in the same order.
 */
import {
  createNetwork,
  createRng,
  getWeights,
  zeros,
  type LayerItemSpec,
  type LayerSpec,
  type Matrix,
  type WeightsJson,
} from '../src/lib/engine/index';

export interface BenchNetwork {
  /** e.g. "64-128-64-10" */
  name: string;
  /** Layer widths, input first. */
  sizes: number[];
  batchSize: number;
}

export const BENCH_NETWORKS: readonly BenchNetwork[] = [
  { name: '64-128-64-10', sizes: [64, 128, 64, 10], batchSize: 32 },
  { name: '784-256-128-10', sizes: [784, 256, 128, 10], batchSize: 64 },
  { name: '784-1024-1024-10', sizes: [784, 1024, 1024, 10], batchSize: 64 },
];

/** Momentum SGD as in DESIGN.md §2; tfjs's momentum is the same rule with lr folded differently. */
export const LEARNING_RATE = 0.01;
export const MOMENTUM = 0.9;

/** Floating-point operations of one training step: forward 2, backward 4 per weight and sample. */
export function flopsPerSample(sizes: readonly number[]): number {
  let weights = 0;
  for (let i = 0; i + 1 < sizes.length; i++) weights += sizes[i] * sizes[i + 1];
  return 6 * weights;
}

/** Dense layers with ReLU between them, softmax + cross-entropy at the end. */
export function benchSpec(sizes: readonly number[]): LayerSpec {
  const layers: LayerItemSpec[] = [];
  let previous = 'x';
  for (let i = 0; i + 1 < sizes.length; i++) {
    const last = i + 2 === sizes.length;
    const dense = `dense${i + 1}`;
    layers.push({
      id: dense,
      type: 'dense',
      inputs: [previous],
      inputSize: sizes[i],
      units: sizes[i + 1],
      init: 'auto',
    });
    const act = last ? 'softmax' : `relu${i + 1}`;
    layers.push({
      id: act,
      type: 'activation',
      inputs: [dense],
      fn: last ? 'softmax' : 'relu',
      size: sizes[i + 1],
    });
    previous = act;
  }
  return {
    input: { id: 'x', size: sizes[0] },
    layers,
    loss: { id: 'loss', type: 'cross_entropy', inputs: [previous] },
  };
}

export interface BenchData {
  /** rows x inputs, standard normal features. */
  X: Matrix;
  /** rows x classes, one-hot labels drawn uniformly. */
  Y: Matrix;
  /** The weights every implementation starts from. */
  initialWeights: WeightsJson;
}

/** `batches` full batches of random data and the initial weights, all from `seed`. */
export function benchData(network: BenchNetwork, batches: number, seed: number): BenchData {
  const sizes = network.sizes;
  const rows = batches * network.batchSize;
  const inputs = sizes[0],
    classes = sizes[sizes.length - 1];
  const rng = createRng(seed);
  const X = zeros(rows, inputs),
    Y = zeros(rows, classes);
  for (let i = 0; i < rows * inputs; i++) X.data[i] = rng.normal();
  for (let r = 0; r < rows; r++) Y.data[r * classes + rng.int(classes)] = 1;
  const initialWeights = getWeights(createNetwork(benchSpec(sizes), createRng(seed + 1)));
  return { X, Y, initialWeights };
}
