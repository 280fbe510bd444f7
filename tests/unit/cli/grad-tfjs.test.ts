/**
 * `grad` against an independent autodiff: TensorFlow.js (cpu backend, float32) computes the same
 * loss and gradients for random networks — every activation, each loss, depths 1 to 3, with and
 * without standardization and weight penalties — from the same model file and CSV.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradOutput } from '../../../src/cli/commands/grad';
import { createRng, type Rng } from '../../../src/lib/engine/rng';
import type { ActivationName, LayerItemSpec, LossName } from '../../../src/lib/engine/spec';
import { writeModelFile, type ModelFile } from '../../../src/lib/model-file/index';
import { createWorkspace, type Workspace } from './helpers';

type Tf = typeof import('@tensorflow/tfjs');
type Tensor = import('@tensorflow/tfjs').Tensor;
const tf: Tf = createRequire(import.meta.url)('@tensorflow/tfjs');

let ws: Workspace;
beforeAll(async () => {
  ws = createWorkspace();
  await tf.setBackend('cpu');
  await tf.ready();
});
afterAll(() => ws.remove());

interface NetworkCase {
  name: string;
  /** Hidden activations: one dense layer before each, then the output dense layer. */
  hidden: ActivationName[];
  /** Activation after the output layer, or null for none. */
  head: ActivationName | null;
  loss: LossName;
  task: 'classification' | 'regression';
  classes: string[];
  standardize: boolean;
  l2: number;
  l1: number;
  /** leaky_relu slope or elu alpha, when not the default. */
  alpha?: number;
}

const CASES: NetworkCase[] = [
  {
    name: 'depth 1, mse regression, no activation',
    hidden: [],
    head: null,
    loss: 'mse',
    task: 'regression',
    classes: [],
    standardize: false,
    l2: 0,
    l1: 0,
  },
  {
    name: 'depth 1, softmax + cross-entropy',
    hidden: [],
    head: 'softmax',
    loss: 'cross_entropy',
    task: 'classification',
    classes: ['a', 'b', 'c'],
    standardize: true,
    l2: 0,
    l1: 0,
  },
  {
    name: 'depth 1, sigmoid + binary cross-entropy',
    hidden: [],
    head: 'sigmoid',
    loss: 'binary_cross_entropy',
    task: 'classification',
    classes: ['no', 'yes'],
    standardize: true,
    l2: 0,
    l1: 0,
  },
  {
    name: 'depth 2, relu, softmax + cross-entropy',
    hidden: ['relu'],
    head: 'softmax',
    loss: 'cross_entropy',
    task: 'classification',
    classes: ['a', 'b', 'c'],
    standardize: true,
    l2: 0,
    l1: 0,
  },
  {
    name: 'depth 2, tanh, identity head, mse regression, l2',
    hidden: ['tanh'],
    head: 'identity',
    loss: 'mse',
    task: 'regression',
    classes: [],
    standardize: true,
    l2: 0.05,
    l1: 0,
  },
  {
    name: 'depth 2, leaky_relu (slope 0.2), sigmoid + bce',
    hidden: ['leaky_relu'],
    head: 'sigmoid',
    loss: 'binary_cross_entropy',
    task: 'classification',
    classes: ['no', 'yes'],
    standardize: false,
    l2: 0,
    l1: 0,
    alpha: 0.2,
  },
  {
    name: 'depth 2, leaky_relu (default slope), softmax + cross-entropy, l1',
    hidden: ['leaky_relu'],
    head: 'softmax',
    loss: 'cross_entropy',
    task: 'classification',
    classes: ['a', 'b', 'c', 'd'],
    standardize: true,
    l2: 0,
    l1: 0.01,
  },
  {
    name: 'depth 3, elu and sigmoid, mse on one-hot classes',
    hidden: ['elu', 'sigmoid'],
    head: null,
    loss: 'mse',
    task: 'classification',
    classes: ['a', 'b', 'c'],
    standardize: true,
    l2: 0,
    l1: 0,
  },
  {
    // Softmax's own Jacobian (not fused with cross-entropy): a file may put it last only.
    name: 'depth 3, identity and tanh hidden, softmax head, mse on one-hot classes',
    hidden: ['identity', 'tanh'],
    head: 'softmax',
    loss: 'mse',
    task: 'classification',
    classes: ['p', 'q', 'r'],
    standardize: true,
    l2: 0.01,
    l1: 0,
  },
  {
    name: 'depth 3, sigmoid and tanh, softmax + cross-entropy',
    hidden: ['sigmoid', 'tanh'],
    head: 'softmax',
    loss: 'cross_entropy',
    task: 'classification',
    classes: ['a', 'b', 'c'],
    standardize: false,
    l2: 0,
    l1: 0,
  },
  {
    name: 'depth 3, relu and elu, sigmoid head, mse regression',
    hidden: ['relu', 'elu'],
    head: 'sigmoid',
    loss: 'mse',
    task: 'regression',
    classes: [],
    standardize: true,
    l2: 0,
    l1: 0,
  },
];

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

function randomInt(rng: Rng, low: number, high: number): number {
  return low + Math.floor(rng.next() * (high - low + 1));
}

interface Generated {
  model: ModelFile;
  csv: string;
  /** Raw features and targets as the test reads them. */
  X: number[][];
  T: number[][];
}

/** A random network of the case's kind, a model file for it, and a CSV of random rows. */
function generate(c: NetworkCase, seed: number): Generated {
  const rng = createRng(seed);
  const features = randomInt(rng, 2, 5);
  const rows = randomInt(rng, 5, 17);
  const outputs =
    c.task === 'regression' || c.loss === 'binary_cross_entropy' ? 1 : c.classes.length;
  const sizes = [features, ...c.hidden.map(() => randomInt(rng, 2, 6)), outputs];
  const layers: LayerItemSpec[] = [];
  const weights: ModelFile['weights'] = {};
  let previous = 'x';
  let id = 0;
  const addActivation = (fn: ActivationName, size: number) => {
    const layerId = `act${id++}`;
    layers.push({
      id: layerId,
      type: 'activation',
      inputs: [previous],
      fn,
      size,
      ...((fn === 'leaky_relu' || fn === 'elu') && c.alpha !== undefined ? { alpha: c.alpha } : {}),
    });
    previous = layerId;
  };
  for (let k = 0; k + 1 < sizes.length; k++) {
    const layerId = `dense${id++}`;
    const [inputSize, units] = [sizes[k], sizes[k + 1]];
    layers.push({ id: layerId, type: 'dense', inputs: [previous], inputSize, units, init: 'auto' });
    weights[layerId] = {
      W: Array.from({ length: inputSize }, () =>
        Array.from({ length: units }, () => 0.8 * gaussian(rng)),
      ),
      b: Array.from({ length: units }, () => 0.3 * gaussian(rng)),
    };
    previous = layerId;
    const activation = k < c.hidden.length ? c.hidden[k] : c.head;
    if (activation) addActivation(activation, units);
  }
  const spec = {
    input: { id: 'x', size: features },
    layers,
    loss: { id: 'loss', type: c.loss, inputs: [previous] },
  };
  const names = Array.from({ length: features }, (_, j) => `f${j + 1}`);
  const X = Array.from({ length: rows }, () => names.map(() => 3 * gaussian(rng) + 1));
  const labels = X.map(() =>
    c.task === 'regression' ? 2 * gaussian(rng) : randomInt(rng, 0, c.classes.length - 1),
  );
  const T = labels.map((y) =>
    c.task === 'regression' || c.loss === 'binary_cross_entropy'
      ? [y]
      : c.classes.map((_, k) => (k === y ? 1 : 0)),
  );
  const cell = (y: number) => (c.task === 'regression' ? String(y) : c.classes[y]);
  const csv = [
    [...names, 'y'].join(','),
    ...X.map((row, i) => [...row, cell(labels[i])].join(',')),
  ].join('\n');
  const nodeIds = [spec.input.id, ...layers.map((l) => l.id), spec.loss.id];
  const paramsOf = (i: number): Record<string, unknown> => {
    if (i === 0) return { size: spec.input.size };
    if (i === nodeIds.length - 1) return { loss: spec.loss.type };
    const layer = layers[i - 1];
    if (layer.type === 'dense') return { units: layer.units, init: layer.init };
    if (layer.type !== 'activation') throw new Error('these random networks are chains');
    return { fn: layer.fn, ...(layer.alpha !== undefined ? { alpha: layer.alpha } : {}) };
  };
  const model: ModelFile = {
    format: 'backprop-studio.model',
    version: 2,
    name: c.name,
    graph: {
      nodes: nodeIds.map((nodeId, i) => ({
        id: nodeId,
        type:
          i === 0
            ? 'input'
            : i === nodeIds.length - 1
              ? 'loss'
              : nodeId.startsWith('dense')
                ? 'dense'
                : 'activation',
        position: { x: 200 * i, y: 0 },
        // The graph must compile to the spec (DESIGN.md §4): each node carries its layer's params.
        params: paramsOf(i),
      })),
      edges: nodeIds.slice(1).map((target, i) => ({ id: `e${i}`, source: nodeIds[i], target })),
    },
    spec,
    data: {
      dataset: 'random.csv',
      features: names,
      target: 'y',
      task: c.task,
      classes: c.classes,
      ...(c.standardize
        ? {
            standardize: {
              mean: names.map(() => gaussian(rng)),
              std: names.map(() => 0.5 + 3 * rng.next()),
            },
          }
        : {}),
    },
    training: {
      optimizer: { name: 'sgd', learningRate: 0.1 },
      batchSize: 8,
      epochs: 1,
      seed: 1,
      testFraction: 0.2,
      l2: c.l2,
      l1: c.l1,
    },
    weights,
  };
  return { model, csv, X, T };
}

/** The same loss as a function of the parameters, in TensorFlow.js (float32). */
function tfLoss(model: ModelFile, X: number[][], T: number[][], params: Tensor[]): Tensor {
  const spec = model.spec!;
  const s = model.data!.standardize;
  let a: Tensor = tf.tensor2d(X);
  if (s) a = a.sub(tf.tensor1d(s.mean)).div(tf.tensor1d(s.std));
  let p = 0;
  const Ws: Tensor[] = [];
  for (const layer of spec.layers) {
    if (layer.type === 'dense') {
      const W = params[p++],
        b = params[p++];
      Ws.push(W);
      a = tf
        .matMul(a as import('@tensorflow/tfjs').Tensor2D, W as import('@tensorflow/tfjs').Tensor2D)
        .add(b);
      continue;
    }
    if (layer.type !== 'activation') throw new Error(`not a chain layer: ${layer.type}`);
    const alpha = layer.alpha;
    switch (layer.fn) {
      case 'identity':
        break;
      case 'sigmoid':
        a = tf.sigmoid(a);
        break;
      case 'tanh':
        a = tf.tanh(a);
        break;
      case 'relu':
        a = tf.relu(a);
        break;
      case 'leaky_relu':
        a = tf.leakyRelu(a, alpha ?? 0.01);
        break;
      case 'elu':
        a = tf.elu(a);
        break;
      case 'softmax':
        a = tf.softmax(a);
        break;
    }
  }
  const target = tf.tensor2d(T);
  const batch = X.length;
  let loss: Tensor;
  if (spec.loss.type === 'mse') loss = tf.mean(tf.square(a.sub(target)));
  else if (spec.loss.type === 'cross_entropy')
    loss = tf.neg(tf.sum(target.mul(tf.log(a)))).div(batch);
  else
    loss = tf
      .neg(
        tf.sum(
          target.mul(tf.log(a)).add(
            tf
              .scalar(1)
              .sub(target)
              .mul(tf.log(tf.scalar(1).sub(a))),
          ),
        ),
      )
      .div(batch);
  const { l1, l2 } = model.training;
  for (const W of Ws) {
    if (l2) loss = loss.add(tf.sum(tf.square(W)).mul(l2 / 2));
    if (l1) loss = loss.add(tf.sum(tf.abs(W)).mul(l1));
  }
  return loss;
}

function norm(values: number[]): number {
  return Math.sqrt(values.reduce((s, v) => s + v * v, 0));
}

/** ‖a - b‖ / max(‖a‖, ‖b‖): the relative error of a whole gradient. */
function relativeError(a: number[], b: number[]): number {
  const scale = Math.max(norm(a), norm(b));
  return scale === 0 ? 0 : norm(a.map((v, i) => v - b[i])) / scale;
}

describe('grad agrees with TensorFlow.js autodiff', () => {
  const seeds = [11, 12];
  for (const c of CASES)
    for (const seed of seeds)
      it(`${c.name} (seed ${seed})`, async () => {
        const { model, csv, X, T } = generate(c, seed);
        writeFileSync(ws.path(`m${seed}.model.json`), writeModelFile(model));
        writeFileSync(ws.path(`d${seed}.csv`), csv);
        const run = await ws.cli([
          'grad',
          '--model',
          `m${seed}.model.json`,
          '--data',
          `d${seed}.csv`,
          '--json',
        ]);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const ours: GradOutput = JSON.parse(run.stdout);

        const dense = model.spec!.layers.filter((l) => l.type === 'dense');
        const initial = dense.flatMap((l) => [
          tf.tensor2d(model.weights![l.id].W),
          tf.tensor1d(model.weights![l.id].b),
        ]);
        const theirs = tf.tidy(() => {
          const value = tfLoss(model, X, T, initial).dataSync()[0];
          const grads = tf.grads((...params: Tensor[]) => tfLoss(model, X, T, params))(initial);
          return { value, grads: grads.map((g) => Array.from(g.dataSync())) };
        });
        initial.forEach((t) => t.dispose());

        expect(Object.keys(ours.gradients)).toEqual(dense.map((l) => l.id));
        expect(
          Math.abs(ours.loss - theirs.value) / Math.max(1, Math.abs(theirs.value)),
        ).toBeLessThan(1e-5);
        dense.forEach((l, k) => {
          const g = ours.gradients[l.id];
          expect(g.W).toHaveLength(l.type === 'dense' ? l.inputSize : 0);
          expect(relativeError(g.W.flat(), theirs.grads[2 * k])).toBeLessThan(1e-4);
          expect(relativeError(g.b, theirs.grads[2 * k + 1])).toBeLessThan(1e-4);
        });
      });
});
