/**
 * Random branching networks for the engine tests: a seeded builder that grows a DAG from the
 * input with dense layers, activations, dropout, Add (of branches of one width, skip connections
 * included) and Concat, with fan-out wherever an output is picked twice, then joins every loose
 * end and puts a head on it. Every layer leads to the loss, as compile() guarantees.
 */
import { createRng, type Rng } from '../../../src/lib/engine/rng';
import {
  layerOutputSize,
  type ActivationName,
  type LayerItemSpec,
  type LayerSpec,
  type LossName,
} from '../../../src/lib/engine/spec';
import type { Head } from './helpers';

/** Hidden activations (softmax only in heads). */
export const HIDDEN_ACTIVATIONS: ActivationName[] = [
  'identity',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'elu',
];

export interface DagOptions {
  seed: number;
  inputs: number;
  outputs: number;
  /** How many growth steps (each adds one to four layers). */
  steps: number;
  head: Head;
  /** The activation used most; others appear at random too. */
  activation: ActivationName;
}

interface Node {
  id: string;
  width: number;
}

export function randomDagSpec(opts: DagOptions): LayerSpec {
  const rng = createRng(opts.seed);
  const layers: LayerItemSpec[] = [];
  const nodes: Node[] = [{ id: 'in', width: opts.inputs }];
  const used = new Set<string>();
  let n = 0;
  const pick = (): Node => nodes[rng.int(nodes.length)];
  const push = (layer: LayerItemSpec): Node => {
    layers.push(layer);
    for (const id of layer.inputs) used.add(id);
    const node = { id: layer.id, width: layerOutputSize(layer) };
    nodes.push(node);
    return node;
  };
  const fn = (): ActivationName =>
    rng.next() < 0.5 ? opts.activation : HIDDEN_ACTIVATIONS[rng.int(HIDDEN_ACTIVATIONS.length)];
  const dense = (from: Node, units: number): Node =>
    push({
      id: `d${++n}`,
      type: 'dense',
      inputs: [from.id],
      inputSize: from.width,
      units,
      init: 'auto',
    });
  const activation = (from: Node): Node => {
    const f = fn();
    return push({
      id: `a${++n}`,
      type: 'activation',
      inputs: [from.id],
      fn: f,
      size: from.width,
      ...(f === 'leaky_relu' && rng.next() < 0.5 ? { alpha: 0.2 } : {}),
    });
  };
  const distinct = (count: number): Node[] => {
    const chosen = new Map<string, Node>();
    for (let tries = 0; chosen.size < count && tries < 20; tries++) {
      const node = pick();
      chosen.set(node.id, node);
    }
    return [...chosen.values()];
  };

  for (let step = 0; step < opts.steps; step++) {
    const op = rng.int(5);
    if (op === 0) activation(dense(pick(), 1 + rng.int(5)));
    else if (op === 1) {
      const from = pick();
      push({ id: `p${++n}`, type: 'dropout', inputs: [from.id], rate: 0.5, size: from.width });
    } else if (op === 2) {
      // A skip connection where one fits: some node of width w plus a branch from it back to w.
      const base = pick();
      const branch = activation(dense(activation(dense(base, 1 + rng.int(4))), base.width));
      push({ id: `s${++n}`, type: 'add', inputs: [base.id, branch.id], size: base.width });
    } else if (op === 3) {
      const width = 1 + rng.int(4);
      const parts = distinct(2 + rng.int(2)).map((from) => dense(from, width));
      if (parts.length >= 2)
        push({ id: `s${++n}`, type: 'add', inputs: parts.map((p) => p.id), size: width });
    } else {
      const parts = distinct(2 + rng.int(2));
      if (parts.length >= 2)
        push({
          id: `c${++n}`,
          type: 'concat',
          inputs: parts.map((p) => p.id),
          size: parts.reduce((s, p) => s + p.width, 0),
        });
    }
  }
  return withHead(layers, nodes, used, opts);
}

/** Join the loose ends (a Concat when there are several), then Dense to the outputs and the head. */
function withHead(
  layers: LayerItemSpec[],
  nodes: Node[],
  used: Set<string>,
  opts: DagOptions,
): LayerSpec {
  const loose = nodes.filter((node) => !used.has(node.id) && node.id !== 'in');
  let end: Node = loose[0] ?? nodes[0];
  if (loose.length > 1) {
    const size = loose.reduce((s, p) => s + p.width, 0);
    layers.push({ id: 'join', type: 'concat', inputs: loose.map((p) => p.id), size });
    end = { id: 'join', width: size };
  }
  layers.push({
    id: 'out',
    type: 'dense',
    inputs: [end.id],
    inputSize: end.width,
    units: opts.outputs,
    init: 'auto',
  });
  let last = 'out';
  let loss: LossName = 'mse';
  if (opts.head !== 'mse') {
    const fn = opts.head.startsWith('softmax') ? 'softmax' : 'sigmoid';
    layers.push({ id: 'head', type: 'activation', inputs: ['out'], fn, size: opts.outputs });
    last = 'head';
    loss = opts.head === 'softmax+mse' ? 'mse' : (opts.head.split('+')[1] as LossName);
  }
  return {
    input: { id: 'in', size: opts.inputs },
    layers,
    loss: { id: 'loss', type: loss, inputs: [last] },
  };
}

/** Every weight and bias redrawn with std `scale` (so no unit saturates or dies by design). */
export function scaleWeights(
  params: { W: { data: Float64Array }; b: Float64Array }[],
  rng: Rng,
  scale: number,
): void {
  for (const p of params) {
    for (let i = 0; i < p.W.data.length; i++) p.W.data[i] = scale * rng.normal();
    for (let i = 0; i < p.b.length; i++) p.b[i] = 0.3 * scale * rng.normal();
  }
}
