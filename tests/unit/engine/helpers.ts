/** Small builders shared by the engine tests. */
import { zeros, type Matrix } from '../../../src/lib/engine/matrix';
import { createRng, type Rng } from '../../../src/lib/engine/rng';
import type {
  ActivationName,
  InitName,
  LayerItemSpec,
  LayerSpec,
  LossName,
} from '../../../src/lib/engine/spec';

/** The output head: what comes after the last dense layer, and the loss. */
export type Head = 'mse' | 'softmax+cross_entropy' | 'sigmoid+binary_cross_entropy' | 'softmax+mse';

export const HEADS: Head[] = [
  'mse',
  'softmax+cross_entropy',
  'sigmoid+binary_cross_entropy',
  'softmax+mse',
];

/**
 * `depth` dense layers (hidden width `hidden`, each hidden one followed by `activation`), then
 * the head. Ids: d1, a2, d3, ...
 */
export function chainSpec(opts: {
  inputs: number;
  depth: number;
  hidden?: number;
  outputs: number;
  activation: ActivationName;
  head: Head;
  init?: InitName;
}): LayerSpec {
  const hidden = opts.hidden ?? 4;
  const layers: LayerItemSpec[] = [];
  let size = opts.inputs;
  let previous = 'in';
  let n = 1;
  for (let d = 0; d < opts.depth; d++) {
    const last = d === opts.depth - 1;
    const units = last ? opts.outputs : hidden;
    const id = `d${n++}`;
    layers.push({
      id,
      type: 'dense',
      inputs: [previous],
      inputSize: size,
      units,
      init: opts.init ?? 'auto',
    });
    previous = id;
    size = units;
    if (!last) {
      const aid = `a${n++}`;
      layers.push({ id: aid, type: 'activation', inputs: [previous], fn: opts.activation, size });
      previous = aid;
    }
  }
  let loss: LossName = 'mse';
  if (opts.head !== 'mse') {
    const fn = opts.head.startsWith('softmax') ? 'softmax' : 'sigmoid';
    layers.push({ id: 'out', type: 'activation', inputs: [previous], fn, size });
    previous = 'out';
    loss = opts.head.endsWith('binary_cross_entropy')
      ? 'binary_cross_entropy'
      : opts.head.endsWith('cross_entropy')
        ? 'cross_entropy'
        : 'mse';
  }
  return {
    input: { id: 'in', size: opts.inputs },
    layers,
    loss: { id: 'loss', type: loss, inputs: [previous] },
  };
}

export function randomMatrix(rows: number, cols: number, rng: Rng, scale = 1): Matrix {
  const m = zeros(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = scale * rng.normal();
  return m;
}

/** Targets that suit the head: one-hot rows, 0/1 labels, or real values. */
export function targetsFor(head: Head, rows: number, cols: number, rng: Rng): Matrix {
  const T = zeros(rows, cols);
  for (let i = 0; i < rows; i++) {
    if (head === 'mse') for (let k = 0; k < cols; k++) T.data[i * cols + k] = rng.normal();
    else if (head === 'sigmoid+binary_cross_entropy') T.data[i] = rng.int(2);
    else T.data[i * cols + rng.int(cols)] = 1;
  }
  return T;
}

export function outputsFor(head: Head): number {
  return head === 'sigmoid+binary_cross_entropy' ? 1 : head === 'mse' ? 2 : 3;
}

/** Two Gaussian blobs in 2-D, one-hot over 2 classes. */
export function blobs(n: number, seed: number): { X: Matrix; Y: Matrix } {
  const rng = createRng(seed);
  const X = zeros(n, 2),
    Y = zeros(n, 2);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    X.data[i * 2] = (c ? 1.5 : -1.5) + rng.normal();
    X.data[i * 2 + 1] = (c ? -1 : 1) + rng.normal();
    Y.data[i * 2 + c] = 1;
  }
  return { X, Y };
}
