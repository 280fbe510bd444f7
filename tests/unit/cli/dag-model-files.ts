/**
 * Model files of random branching networks for the CLI tests: the graph that compiles to a given
 * spec (one node per layer, wires in each layer's input order, so merges keep their order), the
 * weights, and a CSV of random rows whose target suits the head.
 */
import { createNetwork, getWeights } from '../../../src/lib/engine/network';
import { createRng, type Rng } from '../../../src/lib/engine/rng';
import type { LayerItemSpec, LayerSpec } from '../../../src/lib/engine/spec';
import { compileGraph } from '../../../src/lib/graph/compile';
import type { GraphDocument, GraphNode } from '../../../src/lib/graph/document';
import {
  compileContextOf,
  type ModelData,
  type ModelFile,
} from '../../../src/lib/model-file/index';
import { randomDagSpec, scaleWeights, HIDDEN_ACTIVATIONS } from '../engine/dag-helpers';
import type { Head } from '../engine/helpers';

function layerParams(layer: LayerItemSpec): Record<string, unknown> {
  switch (layer.type) {
    case 'dense':
      return { units: layer.units, init: layer.init };
    case 'activation':
      return { fn: layer.fn, ...(layer.alpha !== undefined ? { alpha: layer.alpha } : {}) };
    case 'dropout':
      return { rate: layer.rate };
    default:
      return {};
  }
}

/** The graph document whose compile() is `spec`: wires in the order of each layer's inputs. */
export function graphOfSpec(spec: LayerSpec): GraphDocument {
  const node = (id: string, type: GraphNode['type'], i: number, params: Record<string, unknown>) =>
    ({ id, type, position: { x: 200 * i, y: 0 }, params }) as GraphNode;
  const nodes = [
    node(spec.input.id, 'input', 0, { size: spec.input.size }),
    ...spec.layers.map((l, i) => node(l.id, l.type, i + 1, layerParams(l))),
    node(spec.loss.id, 'loss', spec.layers.length + 1, { loss: spec.loss.type }),
  ];
  const wires = [...spec.layers, spec.loss].flatMap((l) =>
    l.inputs.map((source) => ({ source, target: l.id })),
  );
  return { nodes, edges: wires.map((w, i) => ({ id: `e${i + 1}`, ...w })) };
}

function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

export interface DagCase {
  model: ModelFile;
  csv: string;
  /** The CSV's feature rows, raw. */
  X: number[][];
  /** The targets as the loss reads them (one-hot, 0/1 or values). */
  T: number[][];
}

const CLASSES: Record<Head, string[]> = {
  mse: [],
  'softmax+cross_entropy': ['a', 'b', 'c'],
  'sigmoid+binary_cross_entropy': ['no', 'yes'],
  'softmax+mse': ['p', 'q', 'r'],
};

/** A random DAG with `head`, its model file (weights drawn at std 0.7) and a CSV of `rows` rows. */
export function randomDagCase(seed: number, head: Head, standardize: boolean): DagCase {
  const rng = createRng(7919 * seed + 1);
  const inputs = 2 + rng.int(3);
  const classes = CLASSES[head];
  const outputs = head === 'mse' || classes.length === 2 ? 1 : classes.length;
  const activation = HIDDEN_ACTIVATIONS[seed % HIDDEN_ACTIVATIONS.length];
  const drawn = randomDagSpec({ seed, inputs, outputs, steps: 6, head, activation });
  // The file's spec is what compile() makes of the graph (its own topological order).
  const graph = graphOfSpec(drawn);
  const { spec, errors } = compileGraph(graph, { inputSize: inputs });
  if (!spec) throw new Error(`seed ${seed}: ${errors.map((e) => e.message).join(' ')}`);
  const net = createNetwork(spec, rng);
  scaleWeights(net.params, rng, 0.7);
  const features = Array.from({ length: inputs }, (_, j) => `f${j + 1}`);
  const rows = 3 + rng.int(12);
  const X = Array.from({ length: rows }, () => features.map(() => 2 * gaussian(rng) + 1));
  const labels = X.map(() => (head === 'mse' ? gaussian(rng) : rng.int(classes.length)));
  const T = labels.map((y) =>
    head === 'mse' || classes.length === 2 ? [y] : classes.map((_, k) => (k === y ? 1 : 0)),
  );
  const cell = (y: number) => (head === 'mse' ? String(y) : classes[y]);
  const csv = [
    [...features, 'y'].join(','),
    ...X.map((row, i) => [...row, cell(labels[i])].join(',')),
  ].join('\n');
  const data: ModelData = {
    dataset: 'random.csv',
    features,
    target: 'y',
    task: head === 'mse' ? 'regression' : 'classification',
    classes,
    ...(standardize
      ? {
          standardize: {
            mean: features.map(() => gaussian(rng)),
            std: features.map(() => 0.5 + 2 * rng.next()),
          },
        }
      : {}),
  };
  const model: ModelFile = {
    format: 'backprop-studio.model',
    version: 2,
    name: `dag-${seed}`,
    graph,
    spec,
    data,
    training: {
      optimizer: { name: 'sgd', learningRate: 0.1 },
      batchSize: 8,
      epochs: 1,
      seed: 1,
      testFraction: 0.2,
      l2: 0,
      l1: 0,
    },
    weights: getWeights(net),
  };
  return { model, csv, X, T };
}

/**
 * The model with a Dropout node of `rate` wired after its first merge (Add or Concat), and the
 * spec compile() makes of that graph. Untrained: the weights stay those of the dense layers.
 */
export function withDropoutAfterMerge(model: ModelFile, rate: number): ModelFile {
  const graph = structuredClone(model.graph);
  const merge = graph.nodes.find((n) => n.type === 'add' || n.type === 'concat');
  if (!merge) throw new Error(`${model.name} has no Add or Concat node`);
  const out = graph.edges.find((e) => e.source === merge.id)!;
  const at = merge.position;
  graph.nodes.push({
    id: 'drop',
    type: 'dropout',
    position: { x: at.x + 100, y: at.y + 100 },
    params: { rate },
  });
  graph.edges.push({ id: 'e-drop', source: merge.id, target: 'drop' });
  out.source = 'drop';
  const { spec, errors } = compileGraph(graph, compileContextOf(model.data));
  if (!spec) throw new Error(errors.map((e) => e.message).join(' '));
  return { ...model, graph, spec };
}

/** The model with every Dropout's rate set to `rate`, in the graph and in the spec. */
export function withDropoutRate(model: ModelFile, rate: number): ModelFile {
  const copy = structuredClone(model);
  for (const node of copy.graph.nodes) if (node.type === 'dropout') node.params = { rate };
  for (const layer of copy.spec!.layers) if (layer.type === 'dropout') layer.rate = rate;
  return copy;
}
