/**
 * The guided examples of the backprop inspector, after the exercise set this project grew from:
 * dC/dW for one, two and N dense layers with batched inputs, and Iris trained with momentum.
 * Small networks on built-in datasets, each with a few lines on what to look at.
 */
import type { TrainingSettings } from '../engine/settings';
import type { ChainLink, Template, TemplateGraph } from './templates';

const chainOf = (...nodes: ChainLink[]): TemplateGraph => ({
  nodes,
  wires: nodes.slice(1).map((_, i) => [i, i + 1] as const),
});

const IRIS_INPUT: ChainLink = { type: 'input', params: { size: 4 } };
const dense = (units: number): ChainLink => ({ type: 'dense', params: { units, init: 'xavier' } });
const activation = (fn: 'sigmoid' | 'tanh' | 'softmax'): ChainLink => ({
  type: 'activation',
  params: { fn },
});
const CROSS_ENTROPY: ChainLink = { type: 'loss', params: { loss: 'cross_entropy' } };

const settings = (
  optimizer: TrainingSettings['optimizer'],
  batchSize: number,
  epochs: number,
): TrainingSettings => ({
  optimizer,
  batchSize,
  epochs,
  seed: 42,
  testFraction: 0.2,
  l2: 0,
  l1: 0,
  shuffle: true,
  standardize: true,
});

export const GUIDED_TEMPLATES: readonly Template[] = [
  {
    id: 'one-dense-layer',
    label: 'One dense layer',
    description: 'Iris with a single Dense layer and a softmax: the chain rule in one step.',
    dataset: 'iris',
    training: settings({ name: 'sgd', learningRate: 0.5 }, 8, 60),
    graph: chainOf(IRIS_INPUT, dense(3), activation('softmax'), CROSS_ENTROPY),
    guide: [
      'Step once, click the Dense node and open "Backprop".',
      'δ = dC/dZ is the fused (P − T)/B: each row is the prediction minus the one-hot target, divided by the batch size 8.',
      'dC/dW = A_inᵀ·δ is 4 × 3, the shape of W: entry [i, j] sums feature i times δ of class j over the batch.',
      'dC/db is δ summed down its rows.',
    ],
  },
  {
    id: 'two-dense-layers',
    label: 'Two dense layers',
    description:
      'Iris through a hidden sigmoid layer: the gradient crosses a layer on its way back.',
    dataset: 'iris',
    training: settings({ name: 'sgd', learningRate: 0.5 }, 8, 100),
    graph: chainOf(
      IRIS_INPUT,
      dense(5),
      activation('sigmoid'),
      dense(3),
      activation('softmax'),
      CROSS_ENTROPY,
    ),
    guide: [
      'Step once, click the second Dense node: its dC/dA_in = δ·Wᵀ (8 × 5) is what the sigmoid receives.',
      "Click the first Dense node: dC/dA_out is that same matrix, f'(Z) = A(1 − A) is at most 0.25, and δ = dC/dA_out ⊙ f'(Z).",
      'Its dC/dW = A_inᵀ·δ is 4 × 5: the input features times the hidden δ.',
      'Turn on a common mistake and Check gradients: the inspector marks the first term that differs.',
    ],
  },
  {
    id: 'n-layers-batched',
    label: 'N layers (batched)',
    description: 'Four Dense layers with tanh between them on Iris, batches of 16.',
    dataset: 'iris',
    training: settings({ name: 'sgd', learningRate: 0.1 }, 16, 100),
    graph: chainOf(
      IRIS_INPUT,
      dense(8),
      activation('tanh'),
      dense(8),
      activation('tanh'),
      dense(6),
      activation('tanh'),
      dense(3),
      activation('softmax'),
      CROSS_ENTROPY,
    ),
    guide: [
      'Every term has a batch dimension B = 16: A_in, Z, δ and dC/dA are 16 rows, W and dC/dW are not.',
      'The batch is summed inside dC/dW = A_inᵀ·δ; the 1/B was already in δ = (P − T)/B at the top.',
      'Walk down from the last Dense node to the first: dC/dA_in of one layer is dC/dA_out of the one before, one tanh derivative 1 − A² at a time.',
    ],
  },
  {
    id: 'iris-momentum',
    label: 'Iris with momentum',
    description: 'The two-layer Iris network trained with momentum 0.9.',
    dataset: 'iris',
    training: settings({ name: 'momentum', learningRate: 0.05, momentum: 0.9 }, 16, 100),
    graph: chainOf(
      IRIS_INPUT,
      dense(5),
      activation('sigmoid'),
      dense(3),
      activation('softmax'),
      CROSS_ENTROPY,
    ),
    guide: [
      'The Backprop tab shows the gradient g = dC/dW of one batch; momentum does not change it.',
      'The step is what changes: v = μv + lr·g, then W −= v, so after a few Steps the update is no longer lr·g.',
      'Step a few times and compare dC/dW from batch to batch: they point in similar directions, which is why v grows.',
    ],
  },
];
