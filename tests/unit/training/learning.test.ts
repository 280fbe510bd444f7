/**
 * End to end: the engine learns the seed's problems from the data pipeline's data.
 * Fixed seeds; the thresholds are the task's targets, not measurements of this run.
 */
import { describe, expect, it } from 'vitest';
import { generateSynthetic, prepareData } from '../../../src/lib/data/index';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { fromRows } from '../../../src/lib/engine/matrix';
import { rowClass } from '../../../src/lib/engine/metrics';
import { DEFAULT_TRAINING, type TrainingSettings } from '../../../src/lib/engine/settings';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import { Trainer } from '../../../src/lib/engine/trainer';

function trainToTheEnd(trainer: Trainer): void {
  while (trainer.status === 'ready') trainer.runEpoch();
  expect(trainer.status).toBe('done');
}

describe('training integration', () => {
  it('iris: 4 -> Dense 5 -> sigmoid -> Dense 3 -> softmax -> cross_entropy reaches >= 90% test accuracy', async () => {
    const spec: LayerSpec = {
      input: { id: 'n1', size: 4 },
      layers: [
        { id: 'n2', type: 'dense', inputs: ['n1'], inputSize: 4, units: 5, init: 'auto' },
        { id: 'n3', type: 'activation', inputs: ['n2'], fn: 'sigmoid', size: 5 },
        { id: 'n4', type: 'dense', inputs: ['n3'], inputSize: 5, units: 3, init: 'auto' },
        { id: 'n5', type: 'activation', inputs: ['n4'], fn: 'softmax', size: 3 },
      ],
      loss: { id: 'n6', type: 'cross_entropy', inputs: ['n5'] },
    };
    // The seed's settings: momentum 0.9, learning rate 0.01, batch 32, 200 epochs, seed 42.
    const settings: TrainingSettings = DEFAULT_TRAINING;
    expect(settings.optimizer).toMatchObject({ name: 'momentum', momentum: 0.9 });
    const dataset = await loadBuiltinDatasetNode('iris');
    const data = prepareData(
      dataset,
      {
        testFraction: settings.testFraction,
        seed: settings.seed,
        standardize: settings.standardize,
      },
      'cross_entropy',
    );
    expect(data.xTrain.rows + data.xTest.rows).toBe(150);
    const trainer = new Trainer({ spec, data, settings });
    trainToTheEnd(trainer);
    const metrics = trainer.evaluate();
    expect(metrics.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(trainer.history.trainLoss.at(-1)).toBeLessThan(trainer.history.trainLoss[0]);
  });

  it('XOR: a 2-4-1 network gets all four points right', () => {
    const X = fromRows([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const Y = fromRows([[0], [1], [1], [0]]);
    const spec: LayerSpec = {
      input: { id: 'x', size: 2 },
      layers: [
        { id: 'h', type: 'dense', inputs: ['x'], inputSize: 2, units: 4, init: 'auto' },
        { id: 't', type: 'activation', inputs: ['h'], fn: 'tanh', size: 4 },
        { id: 'o', type: 'dense', inputs: ['t'], inputSize: 4, units: 1, init: 'auto' },
        { id: 's', type: 'activation', inputs: ['o'], fn: 'sigmoid', size: 1 },
      ],
      loss: { id: 'l', type: 'binary_cross_entropy', inputs: ['s'] },
    };
    const settings: TrainingSettings = {
      ...DEFAULT_TRAINING,
      optimizer: { name: 'adam', learningRate: 0.05 },
      batchSize: 4,
      epochs: 500,
      seed: 1,
    };
    const trainer = new Trainer({
      spec,
      data: { xTrain: X, yTrain: Y, xTest: X, yTest: Y, task: 'classification' },
      settings,
    });
    trainToTheEnd(trainer);
    const P = trainer.predict(X);
    const predicted = [0, 1, 2, 3].map((i) => rowClass(P, i));
    expect(predicted).toEqual([0, 1, 1, 0]);
    expect(trainer.evaluate().testAccuracy).toBe(1);
  });

  it('Runge regression: y = 1/(1+25x²) on [-1, 1], R² >= 0.95 on the test split', () => {
    const dataset = generateSynthetic('runge', { n: 200, noise: 0, seed: 3 });
    const settings: TrainingSettings = {
      ...DEFAULT_TRAINING,
      optimizer: { name: 'adam', learningRate: 0.01 },
      batchSize: 16,
      epochs: 300,
      seed: 5,
    };
    const data = prepareData(
      dataset,
      { testFraction: 0.2, seed: settings.seed, standardize: true },
      'mse',
    );
    expect(data.task).toBe('regression');
    const spec: LayerSpec = {
      input: { id: 'x', size: 1 },
      layers: [
        { id: 'h1', type: 'dense', inputs: ['x'], inputSize: 1, units: 16, init: 'auto' },
        { id: 'a1', type: 'activation', inputs: ['h1'], fn: 'tanh', size: 16 },
        { id: 'h2', type: 'dense', inputs: ['a1'], inputSize: 16, units: 16, init: 'auto' },
        { id: 'a2', type: 'activation', inputs: ['h2'], fn: 'tanh', size: 16 },
        { id: 'out', type: 'dense', inputs: ['a2'], inputSize: 16, units: 1, init: 'auto' },
      ],
      loss: { id: 'l', type: 'mse', inputs: ['out'] },
    };
    const trainer = new Trainer({ spec, data, settings });
    trainToTheEnd(trainer);
    expect(trainer.evaluate().testR2).toBeGreaterThanOrEqual(0.95);
    expect(trainer.history.testR2).toHaveLength(300);
  });
});
