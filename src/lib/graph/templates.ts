/**
 * Ready-made networks: the "Templates" menu, `init --template`, and the training panel's
 * defaults. Each carries the dataset it is meant for and training settings that train it well
 * (tests/unit/graph/templates.test.ts trains every one of them to its target).
 */
import type { TrainingSettings } from '../engine/settings';
import type { GraphDocument, GraphEdge, GraphNode, NodeKind, ParamsByKind } from './document';

export const TEMPLATE_IDS = ['iris', 'xor', 'digits', 'runge', 'fashion_mnist'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

type ChainLink = { [K in NodeKind]: { type: K; params: ParamsByKind[K] } }[NodeKind];

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
  /** The network, Input first, Loss last. */
  chain: readonly ChainLink[];
}

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
    chain: [
      { type: 'input', params: { size: 4 } },
      { type: 'dense', params: { units: 5, init: 'auto' } },
      { type: 'activation', params: { fn: 'sigmoid' } },
      { type: 'dense', params: { units: 3, init: 'auto' } },
      { type: 'activation', params: { fn: 'softmax' } },
      { type: 'loss', params: { loss: 'cross_entropy' } },
    ],
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
    chain: [
      { type: 'input', params: { size: 2 } },
      { type: 'dense', params: { units: 4, init: 'auto' } },
      { type: 'activation', params: { fn: 'tanh' } },
      { type: 'dense', params: { units: 1, init: 'auto' } },
      { type: 'activation', params: { fn: 'sigmoid' } },
      { type: 'loss', params: { loss: 'binary_cross_entropy' } },
    ],
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
    chain: [
      { type: 'input', params: { size: 64 } },
      { type: 'dense', params: { units: 32, init: 'auto' } },
      { type: 'activation', params: { fn: 'relu' } },
      { type: 'dense', params: { units: 10, init: 'auto' } },
      { type: 'activation', params: { fn: 'softmax' } },
      { type: 'loss', params: { loss: 'cross_entropy' } },
    ],
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
    chain: [
      { type: 'input', params: { size: 1 } },
      { type: 'dense', params: { units: 16, init: 'auto' } },
      { type: 'activation', params: { fn: 'tanh' } },
      { type: 'dense', params: { units: 16, init: 'auto' } },
      { type: 'activation', params: { fn: 'tanh' } },
      { type: 'dense', params: { units: 1, init: 'auto' } },
      { type: 'loss', params: { loss: 'mse' } },
    ],
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
    chain: [
      { type: 'input', params: { size: 784 } },
      { type: 'dense', params: { units: 256, init: 'auto' } },
      { type: 'activation', params: { fn: 'relu' } },
      { type: 'dense', params: { units: 128, init: 'auto' } },
      { type: 'activation', params: { fn: 'relu' } },
      { type: 'dense', params: { units: 10, init: 'auto' } },
      { type: 'activation', params: { fn: 'softmax' } },
      { type: 'loss', params: { loss: 'cross_entropy' } },
    ],
  },
];

/** The template with this short id ("iris"), or undefined. */
export function templateById(id: string): Template | undefined {
  return TEMPLATES.find((template) => template.id === id);
}

/** Horizontal distance between nodes: a node is at most 210 px wide, plus room for the edge label. */
export const TEMPLATE_SPACING = 250;

/** A fresh document for the template: one row, left to right, ids n1…, e1…. Throws on an unknown id. */
export function createTemplateDocument(id: string): GraphDocument {
  const template = templateById(id);
  if (!template)
    throw new Error(`Unknown template "${id}". Choose one of: ${TEMPLATE_IDS.join(', ')}.`);
  const nodes: GraphNode[] = template.chain.map((link, index) => ({
    id: `n${index + 1}`,
    type: link.type,
    position: { x: index * TEMPLATE_SPACING, y: 0 },
    params: { ...link.params },
  }));
  const edges: GraphEdge[] = nodes.slice(1).map((node, index) => ({
    id: `e${index + 1}`,
    source: nodes[index].id,
    target: node.id,
  }));
  return { nodes, edges };
}
