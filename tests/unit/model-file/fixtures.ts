/** A small, valid iris-shaped model file to start each test from. */
import type { ModelFile } from '../../../src/lib/model-file/index';

function matrix(rows: number, cols: number, start: number): number[][] {
  return Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => Math.round((start + i * cols + j) * 37) / 100 - 1),
  );
}

export function irisModel(): ModelFile {
  return {
    format: 'backprop-studio.model',
    version: 2,
    name: 'iris-mlp',
    graph: {
      nodes: [
        { id: 'n1', type: 'input', position: { x: 0, y: 0 }, params: { size: 4 } },
        { id: 'n2', type: 'dense', position: { x: 200, y: 0 }, params: { units: 5, init: 'auto' } },
        { id: 'n3', type: 'activation', position: { x: 400, y: 0 }, params: { fn: 'sigmoid' } },
        { id: 'n4', type: 'dense', position: { x: 600, y: 0 }, params: { units: 3, init: 'auto' } },
        { id: 'n5', type: 'activation', position: { x: 800, y: 0 }, params: { fn: 'softmax' } },
        { id: 'n6', type: 'loss', position: { x: 1000, y: 0 }, params: { loss: 'cross_entropy' } },
      ],
      edges: [
        { id: 'e1', source: 'n1', target: 'n2' },
        { id: 'e2', source: 'n2', target: 'n3' },
        { id: 'e3', source: 'n3', target: 'n4' },
        { id: 'e4', source: 'n4', target: 'n5' },
        { id: 'e5', source: 'n5', target: 'n6' },
      ],
    },
    spec: {
      input: { id: 'n1', size: 4 },
      layers: [
        { id: 'n2', type: 'dense', inputs: ['n1'], inputSize: 4, units: 5, init: 'auto' },
        { id: 'n3', type: 'activation', inputs: ['n2'], fn: 'sigmoid', size: 5 },
        { id: 'n4', type: 'dense', inputs: ['n3'], inputSize: 5, units: 3, init: 'auto' },
        { id: 'n5', type: 'activation', inputs: ['n4'], fn: 'softmax', size: 3 },
      ],
      loss: { id: 'n6', type: 'cross_entropy', inputs: ['n5'] },
    },
    data: {
      dataset: 'iris',
      features: ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'],
      target: 'species',
      task: 'classification',
      classes: ['setosa', 'versicolor', 'virginica'],
      standardize: { mean: [5.8, 3.05, 3.76, 1.2], std: [0.83, 0.43, 1.76, 0.76] },
    },
    training: {
      optimizer: { name: 'momentum', learningRate: 0.01, momentum: 0.9 },
      batchSize: 32,
      epochs: 3,
      seed: 42,
      testFraction: 0.2,
      l2: 0,
      l1: 0,
      shuffle: true,
      standardize: true,
      history: {
        epoch: [1, 2, 3],
        trainLoss: [1.1, 0.9, 0.7],
        testLoss: [1.2, 1.0, 0.8],
        trainAccuracy: [0.4, 0.6, 0.8],
        // A run without a test split records no test accuracy: NaN, written as null.
        testAccuracy: [NaN, 0.5, 0.7],
      },
      metrics: { trainLoss: 0.7, testLoss: 0.8, trainAccuracy: 0.8, testAccuracy: 0.7 },
    },
    weights: {
      n2: { W: matrix(4, 5, 0), b: [0.1, -0.2, 0.3, 0, 0.05] },
      n4: { W: matrix(5, 3, 7), b: [0, 0.01, -0.01] },
    },
  };
}
