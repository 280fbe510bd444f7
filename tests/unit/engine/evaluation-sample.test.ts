import { describe, expect, it } from 'vitest';
import {
  EVALUATION_SAMPLE_ROWS,
  evaluationSample,
} from '../../../src/lib/engine/evaluation-sample';
import { zeros, type Matrix } from '../../../src/lib/engine/matrix';
import { createNetwork, setWeights } from '../../../src/lib/engine/network';
import { evaluateSplit } from '../../../src/lib/engine/metrics';
import { createRng } from '../../../src/lib/engine/rng';
import { DEFAULT_TRAINING, type TrainingSettings } from '../../../src/lib/engine/settings';
import { Trainer, type TrainingData } from '../../../src/lib/engine/trainer';
import { chainSpec } from './helpers';

/** n rows whose first feature is the row number, so a sampled row says where it came from. */
function numbered(n: number, seed: number): { X: Matrix; Y: Matrix } {
  const rng = createRng(seed);
  const X = zeros(n, 2),
    Y = zeros(n, 2);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    X.data[i * 2] = i;
    X.data[i * 2 + 1] = (c ? 1 : -1) + rng.normal();
    Y.data[i * 2 + c] = 1;
  }
  return { X, Y };
}

const spec = chainSpec({
  inputs: 2,
  depth: 2,
  hidden: 4,
  outputs: 2,
  activation: 'tanh',
  head: 'softmax+cross_entropy',
});

describe('evaluationSample', () => {
  it('keeps a split that fits whole: the same matrices', () => {
    const { X, Y } = numbered(EVALUATION_SAMPLE_ROWS, 1);
    const sample = evaluationSample(X, Y, 3);
    expect(sample.sampled).toBe(false);
    expect(sample.X).toBe(X);
    expect(sample.Y).toBe(Y);
  });

  it('draws distinct rows of a larger split, in order, the same for the same seed', () => {
    const { X, Y } = numbered(5000, 1);
    const sample = evaluationSample(X, Y, 3);
    expect(sample.sampled).toBe(true);
    expect(sample.X.rows).toBe(EVALUATION_SAMPLE_ROWS);
    const rows = Array.from({ length: sample.X.rows }, (_, i) => sample.X.data[i * 2]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]).toBeGreaterThan(rows[i - 1]);
    // Every sampled row is the split's row, targets included.
    rows.forEach((r, i) => {
      expect(sample.X.data[i * 2 + 1]).toBe(X.data[r * 2 + 1]);
      expect(sample.Y.data[i * 2 + (r % 2)]).toBe(1);
    });
    // Spread over the split, not its first rows.
    expect(rows[rows.length - 1]).toBeGreaterThan(4500);
    expect(evaluationSample(X, Y, 3).X.data).toEqual(sample.X.data);
    expect(evaluationSample(X, Y, 4).X.data).not.toEqual(sample.X.data);
  });
});

describe('Trainer evaluation during training', () => {
  const train = numbered(2600, 1);
  const test = numbered(300, 2);
  // Standardize the row-number feature so the network trains sensibly.
  for (const m of [train.X, test.X]) for (let i = 0; i < m.rows; i++) m.data[i * 2] /= 2600;
  const data: TrainingData = {
    xTrain: train.X,
    yTrain: train.Y,
    xTest: test.X,
    yTest: test.Y,
    task: 'classification',
  };
  const settings: TrainingSettings = { ...DEFAULT_TRAINING, batchSize: 100, epochs: 2, seed: 5 };

  it('records the sample size, measures epochs on the sample and the last epoch in full too', () => {
    const trainer = new Trainer({ spec, data, settings });
    expect(trainer.trainSampleRows).toBe(EVALUATION_SAMPLE_ROWS);
    const first = trainer.runEpoch();
    expect(first.trainSampleRows).toBe(EVALUATION_SAMPLE_ROWS);
    expect(first.fullMetrics).toBeUndefined();
    // The sample's loss, recomputed independently on a copy of the weights.
    const sample = evaluationSample(train.X, train.Y, settings.seed);
    const copy = createNetwork(spec, createRng(0));
    setWeights(copy, trainer.getWeights());
    const onSample = evaluateSplit(copy, sample.X, sample.Y, 'classification');
    expect(first.metrics!.trainLoss).toBe(onSample.loss);
    expect(first.metrics!.trainAccuracy).toBe(onSample.accuracy);
    expect(first.metrics!.testLoss).toBe(trainer.evaluate().testLoss);
    expect(first.metrics!.trainLoss).not.toBe(trainer.evaluate().trainLoss);
    const last = trainer.runEpoch();
    expect(trainer.status).toBe('done');
    expect(last.fullMetrics).toEqual(trainer.evaluate());
    expect(trainer.history.trainLoss).toEqual([first.metrics!.trainLoss, last.metrics!.trainLoss]);
  });

  it('the divergence rule compares losses on the sample (DESIGN §2)', () => {
    const wild: TrainingSettings = {
      ...settings,
      optimizer: { name: 'sgd', learningRate: 1e3 },
      epochs: 20,
    };
    const trainer = new Trainer({ spec, data, settings: wild });
    const start = trainer.getWeights();
    let report = trainer.runEpoch();
    while (!report.divergence && trainer.status === 'ready') report = trainer.runEpoch();
    const d = report.divergence!;
    expect(d).toBeDefined();
    // The baseline is the sample's loss at the starting weights, not the whole split's.
    const sample = evaluationSample(train.X, train.Y, wild.seed);
    const copy = createNetwork(spec, createRng(0));
    setWeights(copy, start);
    expect(d.baseline).toBe(evaluateSplit(copy, sample.X, sample.Y, 'classification').loss);
    expect(d.baseline).not.toBe(evaluateSplit(copy, train.X, train.Y, 'classification').loss);
    if (d.cause === 'loss-grew') expect(d.loss).toBeGreaterThan(10 * d.baseline);
  });

  it('a split that fits is evaluated whole: no sample size', () => {
    const small: TrainingData = { ...data, xTrain: test.X, yTrain: test.Y };
    const trainer = new Trainer({ spec, data: small, settings });
    expect(trainer.trainSampleRows).toBeNull();
    expect(trainer.runEpoch().trainSampleRows).toBeUndefined();
    const last = trainer.runEpoch();
    expect(last.metrics).toEqual(trainer.evaluate());
    expect(last.fullMetrics).toEqual(last.metrics);
  });
});
