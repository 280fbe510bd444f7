/**
 * Ready-made networks: the "Templates" menu, `init --template`, and the training panel's
 * defaults. Each carries the dataset it is meant for and training settings that train it well
 * (tests/unit/graph/templates.test.ts trains every one of them to its target). Most are chains;
 * "Deep sigmoid + skip connections" and "Wide and deep" branch and merge. The guided examples
 * (guided-templates.ts) follow the exercise set of the backprop inspector.
 */
import type { TrainingSettings } from '../engine/settings';
import type { GraphDocument, GraphEdge, GraphNode, NodeKind, ParamsByKind } from './document';
import { GUIDED_TEMPLATES } from './guided-templates';

export const TEMPLATE_IDS = [
  'iris',
  'xor',
  'digits',
  'runge',
  'deep-sigmoid',
  'deep-sigmoid-skip',
  'wide-and-deep',
  'fashion_mnist',
  'one-dense-layer',
  'two-dense-layers',
  'n-layers-batched',
  'iris-momentum',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export type ChainLink = { [K in NodeKind]: { type: K; params: ParamsByKind[K] } }[NodeKind];

/** A template's graph: its nodes (ids n1, n2, … in this order) and wires between their indices. */
export interface TemplateGraph {
  nodes: readonly ChainLink[];
  /** [from, to] as indices into `nodes`; a merge's inputs in this order (Concat's columns). */
  wires: readonly (readonly [number, number])[];
}

/** A chain: each node wired to the next. */
function chain(...nodes: ChainLink[]): TemplateGraph {
  return { nodes, wires: nodes.slice(1).map((_, i) => [i, i + 1] as const) };
}

const sigmoidLayer = (units: number): ChainLink[] => [
  { type: 'dense', params: { units, init: 'xavier' } },
  { type: 'activation', params: { fn: 'sigmoid' } },
];
const DEEP_SIGMOID_HEAD: ChainLink[] = [
  { type: 'dense', params: { units: 10, init: 'xavier' } },
  { type: 'activation', params: { fn: 'softmax' } },
  { type: 'loss', params: { loss: 'cross_entropy' } },
];

/**
 * 64 → 8 × (Dense 32 + Sigmoid) → Dense 10 → Softmax, and with `skips` an Add around every two
 * layers after the first (h ← h + layers(h)): the gradient reaches the first layer through the
 * Adds instead of through eight sigmoid derivatives of at most 1/4 each.
 */
function deepSigmoid(skips: boolean): TemplateGraph {
  const nodes: ChainLink[] = [{ type: 'input', params: { size: 64 } }, ...sigmoidLayer(32)];
  const wires: [number, number][] = [
    [0, 1],
    [1, 2],
  ];
  const append = (link: ChainLink, from: number): number => {
    nodes.push(link);
    wires.push([from, nodes.length - 1]);
    return nodes.length - 1;
  };
  let last = 2;
  const layers = (count: number) => {
    for (let k = 0; k < count; k++) for (const link of sigmoidLayer(32)) last = append(link, last);
  };
  for (let block = 0; block < 3; block++) {
    const blockInput = last;
    layers(2);
    if (skips) {
      const sum = append({ type: 'add', params: {} }, blockInput);
      wires.push([last, sum]);
      last = sum;
    }
  }
  layers(1);
  for (const link of DEEP_SIGMOID_HEAD) last = append(link, last);
  return { nodes, wires };
}

/** Wine's 13 features straight into the last layer beside a deep ReLU path (wide and deep). */
function wideAndDeep(): TemplateGraph {
  return {
    nodes: [
      { type: 'input', params: { size: 13 } },
      { type: 'dense', params: { units: 16, init: 'auto' } },
      { type: 'activation', params: { fn: 'relu' } },
      { type: 'dense', params: { units: 16, init: 'auto' } },
      { type: 'activation', params: { fn: 'relu' } },
      { type: 'concat', params: {} },
      { type: 'dense', params: { units: 3, init: 'auto' } },
      { type: 'activation', params: { fn: 'softmax' } },
      { type: 'loss', params: { loss: 'cross_entropy' } },
    ],
    wires: [
      [0, 1],
      [1, 2],
      [2, 3],
      [3, 4],
      [0, 5],
      [4, 5],
      [5, 6],
      [6, 7],
      [7, 8],
    ],
  };
}

export interface Template {
  /** Short id, as in `init --template iris`. */
  id: TemplateId;
  /** Shown in the Templates menu. */
  label: string;
  /** One line for newcomers: what the network learns. */
  description: string;
  /** Built-in dataset name (src/lib/data/builtin.ts) the template is meant for. */
  dataset: string;
  training: TrainingSettings;
  /** The network, Input first, Loss last, nodes in topological order. */
  graph: TemplateGraph;
  /**
   * For the guided examples of the exercise set: a few lines on what to look at in the
   * inspector's "Backprop" tab (absent for the other templates).
   */
  guide?: readonly string[];
}

/** Long enough for the gradient view to tell the two deep sigmoid templates apart. */
const DEEP_SIGMOID_EPOCHS = 20;

const base = {
  testFraction: 0.2,
  l2: 0,
  l1: 0,
  shuffle: true,
  standardize: true,
} as const;

export const TEMPLATES: readonly Template[] = [
  {
    id: 'iris',
    label: 'Iris classifier',
    description: 'Tells three iris species apart from four flower measurements.',
    dataset: 'iris',
    // The course's settings: momentum 0.9, learning rate 0.01, batches of 32, 200 epochs.
    training: {
      ...base,
      optimizer: { name: 'momentum', learningRate: 0.01, momentum: 0.9 },
      batchSize: 32,
      epochs: 200,
      seed: 42,
    },
    graph: chain(
      { type: 'input', params: { size: 4 } },
      { type: 'dense', params: { units: 5, init: 'auto' } },
      { type: 'activation', params: { fn: 'sigmoid' } },
      { type: 'dense', params: { units: 3, init: 'auto' } },
      { type: 'activation', params: { fn: 'softmax' } },
      { type: 'loss', params: { loss: 'cross_entropy' } },
    ),
  },
  {
    id: 'xor',
    label: 'XOR',
    description:
      'The classic problem no straight line can solve: one hidden layer bends the boundary.',
    dataset: 'xor',
    training: {
      ...base,
      optimizer: { name: 'adam', learningRate: 0.03 },
      batchSize: 16,
      epochs: 200,
      seed: 1,
    },
    graph: chain(
      { type: 'input', params: { size: 2 } },
      { type: 'dense', params: { units: 4, init: 'auto' } },
      { type: 'activation', params: { fn: 'tanh' } },
      { type: 'dense', params: { units: 1, init: 'auto' } },
      { type: 'activation', params: { fn: 'sigmoid' } },
      { type: 'loss', params: { loss: 'binary_cross_entropy' } },
    ),
  },
  {
    id: 'digits',
    label: 'Digits',
    description: 'Reads handwritten digits from 8×8 pixel images (64 numbers) into 10 classes.',
    dataset: 'digits',
    training: {
      ...base,
      optimizer: { name: 'adam', learningRate: 0.005 },
      batchSize: 32,
      epochs: 30,
      seed: 42,
    },
    graph: chain(
      { type: 'input', params: { size: 64 } },
      { type: 'dense', params: { units: 32, init: 'auto' } },
      { type: 'activation', params: { fn: 'relu' } },
      { type: 'dense', params: { units: 10, init: 'auto' } },
      { type: 'activation', params: { fn: 'softmax' } },
      { type: 'loss', params: { loss: 'cross_entropy' } },
    ),
  },
  {
    id: 'runge',
    label: 'Runge regression',
    description: 'Fits the curve y = 1/(1+25x²): a regression with two small tanh layers.',
    dataset: 'runge',
    training: {
      ...base,
      optimizer: { name: 'adam', learningRate: 0.01 },
      batchSize: 16,
      epochs: 300,
      seed: 5,
    },
    graph: chain(
      { type: 'input', params: { size: 1 } },
      { type: 'dense', params: { units: 16, init: 'auto' } },
      { type: 'activation', params: { fn: 'tanh' } },
      { type: 'dense', params: { units: 16, init: 'auto' } },
      { type: 'activation', params: { fn: 'tanh' } },
      { type: 'dense', params: { units: 1, init: 'auto' } },
      { type: 'loss', params: { loss: 'mse' } },
    ),
  },
  {
    id: 'deep-sigmoid',
    label: 'Deep sigmoid',
    description:
      'Eight sigmoid layers on the digits: watch the gradient shrink on its way back to the first layer.',
    dataset: 'digits',
    training: {
      ...base,
      optimizer: { name: 'momentum', learningRate: 0.01, momentum: 0.9 },
      batchSize: 32,
      epochs: DEEP_SIGMOID_EPOCHS,
      seed: 42,
    },
    graph: deepSigmoid(false),
  },
  {
    id: 'deep-sigmoid-skip',
    label: 'Deep sigmoid + skip connections',
    description:
      'The same eight sigmoid layers with an Add around every two: the gradient takes the short way back.',
    dataset: 'digits',
    training: {
      ...base,
      optimizer: { name: 'momentum', learningRate: 0.01, momentum: 0.9 },
      batchSize: 32,
      epochs: DEEP_SIGMOID_EPOCHS,
      seed: 42,
    },
    graph: deepSigmoid(true),
  },
  {
    id: 'wide-and-deep',
    label: 'Wide and deep',
    description:
      'Tells three wines apart: the raw measurements (wide) and two ReLU layers (deep) meet in a Concat.',
    dataset: 'wine',
    training: {
      ...base,
      optimizer: { name: 'adam', learningRate: 0.01 },
      batchSize: 16,
      epochs: 60,
      seed: 42,
    },
    graph: wideAndDeep(),
  },
  {
    id: 'fashion_mnist',
    label: 'Fashion-MNIST MLP',
    description:
      'Tells 10 kinds of clothes apart in 28×28 photos (784 pixels): two ReLU layers, 256 and 128 wide.',
    dataset: 'fashion_mnist',
    // Fashion-MNIST keeps its official 60,000/10,000 split, so testFraction is not used.
    training: {
      ...base,
      optimizer: { name: 'adam', learningRate: 0.001 },
      batchSize: 64,
      epochs: 10,
      seed: 42,
    },
    graph: chain(
      { type: 'input', params: { size: 784 } },
      { type: 'dense', params: { units: 256, init: 'auto' } },
      { type: 'activation', params: { fn: 'relu' } },
      { type: 'dense', params: { units: 128, init: 'auto' } },
      { type: 'activation', params: { fn: 'relu' } },
      { type: 'dense', params: { units: 10, init: 'auto' } },
      { type: 'activation', params: { fn: 'softmax' } },
      { type: 'loss', params: { loss: 'cross_entropy' } },
    ),
  },
  ...GUIDED_TEMPLATES,
];

/** The template with this short id ("iris"), or undefined. */
export function templateById(id: string): Template | undefined {
  return TEMPLATES.find((template) => template.id === id);
}

/** Horizontal distance between nodes: a node is at most 210 px wide, plus room for the edge label. */
export const TEMPLATE_SPACING = 250;

/**
 * A fresh document for the template: one row, left to right in topological order (so every wire
 * points right), ids n1…, e1… in the template's order. Throws on an unknown id.
 */
export function createTemplateDocument(id: string): GraphDocument {
  const template = templateById(id);
  if (!template)
    throw new Error(`Unknown template "${id}". Choose one of: ${TEMPLATE_IDS.join(', ')}.`);
  const { nodes: links, wires } = template.graph;
  const nodes: GraphNode[] = links.map((link, index) => ({
    id: `n${index + 1}`,
    type: link.type,
    position: { x: index * TEMPLATE_SPACING, y: 0 },
    params: { ...link.params },
  }));
  const edges: GraphEdge[] = wires.map(([from, to], index) => ({
    id: `e${index + 1}`,
    source: nodes[from].id,
    target: nodes[to].id,
  }));
  return { nodes, edges };
}
