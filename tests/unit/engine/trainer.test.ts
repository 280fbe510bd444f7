import { describe, expect, it } from 'vitest';
import { prepareData } from '../../../src/lib/data/prepare';
import { generateSynthetic } from '../../../src/lib/data/synthetic';
import { zeros, type Matrix } from '../../../src/lib/engine/matrix';
import { evaluateSplit } from '../../../src/lib/engine/metrics';
import { createNetwork, lossAndGradients, setWeights } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import { DEFAULT_TRAINING, type TrainingSettings } from '../../../src/lib/engine/settings';
import { createTrainer, type Trainer, type TrainingData } from '../../../src/lib/engine/trainer';
import type { History, Metrics, WeightsJson } from '../../../src/lib/engine/types';
import { chainSpec } from './helpers';

/** Two Gaussian blobs in 2-D, one-hot over 2 classes. */
function blobs(n: number, seed: number): { X: Matrix; Y: Matrix } {
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

const train = blobs(50, 1);
const test = blobs(20, 2);
const data: TrainingData = {
  xTrain: train.X,
  yTrain: train.Y,
  xTest: test.X,
  yTest: test.Y,
  task: 'classification',
};
const spec = chainSpec({
  inputs: 2,
  depth: 2,
  hidden: 6,
  outputs: 2,
  activation: 'tanh',
  head: 'softmax+cross_entropy',
});
const settings: TrainingSettings = { ...DEFAULT_TRAINING, batchSize: 8, epochs: 5, seed: 7 };

/** A regression on the same points: ReLU layers, MSE. */
const reluSpec = chainSpec({
  inputs: 2,
  depth: 3,
  hidden: 8,
  outputs: 2,
  activation: 'relu',
  head: 'mse',
});
const regression: TrainingData = { ...data, task: 'regression' };
const metricValuesOf = (m: Metrics): number[] => Object.values(m) as number[];

function trained(overrides: Partial<TrainingSettings> = {}): WeightsJson {
  const trainer = createTrainer({ spec, data, settings: { ...settings, ...overrides } });
  while (trainer.status === 'ready') trainer.runEpoch();
  return trainer.getWeights();
}

describe('trainer', () => {
  it('reports batches: the last batch of an epoch is short', () => {
    const trainer = createTrainer({ spec, data, settings: { ...settings, batchSize: 16 } });
    // 50 rows in batches of 16: 16, 16, 16, 2
    const reports = [trainer.step(), trainer.step(), trainer.step(), trainer.step()];
    expect(reports.map((r) => r.batchInEpoch)).toEqual([1, 2, 3, 4]);
    expect(reports.map((r) => r.batchesPerEpoch)).toEqual([4, 4, 4, 4]);
    expect(reports.map((r) => r.epochEnded)).toEqual([false, false, false, true]);
    expect(reports.map((r) => r.epoch)).toEqual([0, 0, 0, 1]);
    expect(trainer.lastBatch()!.X.rows).toBe(2);
    expect(reports[3].metrics).toEqual(trainer.evaluate());
    expect(reports.slice(0, 3).every((r) => r.metrics === undefined)).toBe(true);
    expect(trainer.totalSteps).toBe(4);
    expect(trainer.history.epoch).toEqual([1]);
    expect(trainer.history.testAccuracy).toHaveLength(1);
  });

  it('without shuffling, one full-batch step is exactly w -= lr ∇(loss + penalty)', () => {
    const opts = {
      ...settings,
      batchSize: 50,
      shuffle: false,
      l2: 0.01,
      l1: 0.001,
      optimizer: { name: 'sgd' as const, learningRate: 0.3 },
    };
    const trainer = createTrainer({ spec, data, settings: opts });
    const start = trainer.getWeights();
    const reference = createNetwork(spec, createRng(0));
    setWeights(reference, start);
    const { loss, grads } = lossAndGradients(reference, train.X, train.Y, { l1: 0.001, l2: 0.01 });
    const report = trainer.step();
    expect(report.batchLoss).toBe(loss);
    const after = trainer.getWeights();
    grads.forEach((g) => {
      after[g.id].W.flat().forEach((w, i) =>
        expect(w).toBe(start[g.id].W.flat()[i] - 0.3 * g.dW.data[i]),
      );
      after[g.id].b.forEach((b, j) => expect(b).toBe(start[g.id].b[j] - 0.3 * g.db[j]));
    });
  });

  it('is deterministic: the same seed gives bit-identical weights, another seed differs', () => {
    expect(trained()).toEqual(trained());
    expect(trained()).not.toEqual(trained({ seed: 8 }));
  });

  it('reset(seed) starts over exactly like a new trainer with that seed', () => {
    const trainer = createTrainer({ spec, data, settings });
    trainer.runEpoch();
    trainer.runEpoch();
    trainer.reset(11);
    expect(trainer.epoch).toBe(0);
    expect(trainer.totalSteps).toBe(0);
    expect(trainer.history.epoch).toEqual([]);
    expect(trainer.best).toBeNull();
    while (trainer.status === 'ready') trainer.runEpoch();
    expect(trainer.getWeights()).toEqual(trained({ seed: 11 }));
  });

  it('stops at the set number of epochs; more epochs make it ready again', () => {
    const trainer = createTrainer({ spec, data, settings: { ...settings, epochs: 2 } });
    trainer.runEpoch();
    expect(trainer.status).toBe('ready');
    trainer.runEpoch();
    expect(trainer.status).toBe('done');
    expect(trainer.epoch).toBe(2);
    trainer.updateSettings({ epochs: 3 });
    expect(trainer.status).toBe('ready');
  });

  it('learns: the loss falls and the test accuracy is high on separable blobs', () => {
    const trainer = createTrainer({ spec, data, settings: { ...settings, epochs: 30 } });
    while (trainer.status === 'ready') trainer.runEpoch();
    const { trainLoss } = trainer.history;
    expect(trainLoss[trainLoss.length - 1]).toBeLessThan(trainLoss[0]);
    expect(trainer.evaluate().testAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps the best checkpoint as a copy, not an alias of the live weights', () => {
    const trainer = createTrainer({ spec, data, settings });
    trainer.runEpoch();
    const best = trainer.best!;
    expect(best.epoch).toBe(1);
    expect(best.testLoss).toBe(trainer.history.testLoss[0]);
    expect(best.weights).toEqual(trainer.getWeights());
    const snapshot = structuredClone(best.weights);
    trainer.step();
    trainer.network.params[0].W.data[0] += 1000;
    expect(trainer.best!.weights).toEqual(snapshot);
    best.weights.d1.W[0][0] = -5; // mutating what we were handed changes nothing either
    expect(trainer.best!.weights).toEqual(snapshot);
    while (trainer.status === 'ready') trainer.runEpoch();
    const lowest = Math.min(...trainer.history.testLoss);
    expect(trainer.best!.testLoss).toBe(lowest);
    expect(trainer.best!.epoch).toBe(trainer.history.testLoss.indexOf(lowest) + 1);
  });

  it("a loss that overflows mid-epoch diverges: plain message, the last epoch's weights kept", () => {
    const huge: TrainingSettings = {
      ...settings,
      optimizer: { name: 'sgd', learningRate: 1e6 },
      epochs: 50,
    };
    const trainer = createTrainer({ spec: reluSpec, data: regression, settings: huge });
    let atStep = trainer.getWeights();
    let report = trainer.step();
    for (let i = 0; i < 500 && !report.diverged; i++) {
      atStep = trainer.getWeights();
      report = trainer.step();
    }
    expect(trainer.status).toBe('diverged');
    expect(report.diverged).toMatch(
      /^Training diverged at epoch \d+: the loss became NaN or Infinity\. The last good weights were kept\. Try a lower learning rate\.$/,
    );
    expect(trainer.divergence).toBe(report.diverged);
    // The batch loss was already infinite at the weights the failing step started from, so they
    // are not the ones to keep: evaluated independently, they give a non-finite loss.
    expect(Number.isFinite(report.batchLoss)).toBe(false);
    const atStepNet = createNetwork(reluSpec, createRng(0));
    setWeights(atStepNet, atStep);
    expect(Number.isFinite(evaluateSplit(atStepNet, train.X, train.Y, 'regression').loss)).toBe(
      false,
    );
    // Kept: the weights of the last completed epoch (a fresh trainer taken as far), mid-epoch.
    expect(trainer.epoch).toBeGreaterThanOrEqual(1);
    expect(report.batchInEpoch).toBe(0);
    const reference = createTrainer({ spec: reluSpec, data: regression, settings: huge });
    for (let e = 0; e < trainer.epoch; e++) reference.runEpoch();
    expect(trainer.getWeights()).toEqual(reference.getWeights());
    expect(metricValuesOf(trainer.evaluate()).every(Number.isFinite)).toBe(true);
    expect(trainer.history.epoch).toHaveLength(trainer.epoch);
    // Stepping again changes nothing until a setting changes.
    const steps = trainer.totalSteps;
    expect(trainer.step().diverged).toBe(report.diverged);
    expect(trainer.totalSteps).toBe(steps);
    trainer.updateSettings({ optimizer: { name: 'sgd', learningRate: 1e-3 } });
    expect(trainer.status).toBe('ready');
    expect(trainer.divergence).toBeNull();
    trainer.reset();
    expect(trainer.step().diverged).toBeUndefined();
  });

  it('an update that breaks the weights diverges: the weights from before that step are kept', () => {
    const sane: TrainingSettings = { ...settings, optimizer: { name: 'sgd', learningRate: 0.01 } };
    const trainer = createTrainer({ spec: reluSpec, data: regression, settings: sane });
    // Three of the seven batches of epoch 1, then a learning rate no weight survives.
    for (let b = 0; b < 3; b++) trainer.step();
    const atStep = trainer.getWeights();
    trainer.updateSettings({ optimizer: { name: 'sgd', learningRate: 1e308 } });
    const report = trainer.step();
    expect(report.diverged).toMatch(/^Training diverged at epoch 1: the weights became NaN/);
    expect(Number.isFinite(report.batchLoss)).toBe(true);
    expect(trainer.getWeights()).toEqual(atStep);
    expect(metricValuesOf(trainer.evaluate()).every(Number.isFinite)).toBe(true);
    expect(report.batchInEpoch).toBe(3);
    expect(trainer.totalSteps).toBe(3);
    // A sane learning rate carries on with the fourth batch, as if the failed step never was.
    const reference = createTrainer({ spec: reluSpec, data: regression, settings: sane });
    for (let b = 0; b < 4; b++) reference.step();
    trainer.updateSettings(sane);
    trainer.step();
    expect(trainer.getWeights()).toEqual(reference.getWeights());
  });

  it('lastUpdates is ‖ΔW‖ of the step; lastGradients are copies', () => {
    const trainer = createTrainer({
      spec,
      data,
      settings: { ...settings, optimizer: { name: 'sgd', learningRate: 0.05 } },
    });
    expect(trainer.lastUpdates()).toEqual([]);
    expect(trainer.lastBatch()).toBeNull();
    trainer.step();
    const grads = trainer.lastGradients();
    const updates = trainer.lastUpdates();
    expect(updates.map((u) => u.id)).toEqual(['d1', 'd3']);
    grads.forEach((g, k) => {
      const gradientNorm = Math.sqrt(g.dW.data.reduce((s, v) => s + v * v, 0));
      expect(updates[k].deltaWNorm).toBeCloseTo(0.05 * gradientNorm, 14);
      const w = trainer.network.params[k].W.data;
      expect(updates[k].wNorm).toBeCloseTo(Math.sqrt(w.reduce((s, v) => s + v * v, 0)), 14);
    });
    grads[0].dW.data[0] = 123;
    expect(trainer.lastGradients()[0].dW.data[0]).not.toBe(123);
  });

  it('updateSettings: same optimizer keeps its state, a new one starts fresh', () => {
    const base = { ...settings, shuffle: false, batchSize: 50 };
    const a = createTrainer({ spec, data, settings: base });
    const b = createTrainer({ spec, data, settings: base });
    a.step();
    b.step();
    a.updateSettings({ optimizer: { name: 'momentum', learningRate: 0.01, momentum: 0.9 } });
    b.updateSettings({ optimizer: { name: 'sgd', learningRate: 0.01 } });
    b.updateSettings({ optimizer: { name: 'momentum', learningRate: 0.01, momentum: 0.9 } });
    a.step();
    b.step();
    // a kept its velocity, b's momentum restarted from zero: different second steps.
    expect(a.getWeights()).not.toEqual(b.getWeights());
    expect(() => a.updateSettings({ batchSize: 0 })).toThrow(/batch size/);
    expect(a.settings.batchSize).toBe(50);
  });

  it('without a test split, the best checkpoint follows the training loss', () => {
    const trainer = createTrainer({
      spec,
      data: { ...data, xTest: zeros(0, 2), yTest: zeros(0, 2) },
      settings: { ...settings, epochs: 3 },
    });
    while (trainer.status === 'ready') trainer.runEpoch();
    expect(trainer.history.testLoss.every(Number.isNaN)).toBe(true);
    const lowest = Math.min(...trainer.history.trainLoss);
    expect(trainer.best!.testLoss).toBe(lowest);
  });

  it('starts from initialWeights when given', () => {
    const donor = createTrainer({ spec, data, settings: { ...settings, seed: 99 } });
    const trainer = createTrainer({ spec, data, settings, initialWeights: donor.getWeights() });
    expect(trainer.getWeights()).toEqual(donor.getWeights());
  });

  it('explains data that does not fit the network', () => {
    expect(() =>
      createTrainer({ spec, data: { ...data, xTrain: zeros(50, 3) }, settings }),
    ).toThrow(/training data has 3 feature columns but the network's input takes 2/);
    expect(() => createTrainer({ spec, data: { ...data, yTest: zeros(20, 3) }, settings })).toThrow(
      /test targets have 3 columns but the network outputs 2/,
    );
    const withNaN = zeros(50, 2);
    withNaN.data[7] = NaN;
    expect(() => createTrainer({ spec, data: { ...data, xTrain: withNaN }, settings })).toThrow(
      /row 4, column 2/,
    );
  });
});

/**
 * The Runge template (1 -> Dense 16 tanh -> Dense 16 tanh -> Dense 1 -> MSE, batch 16, seed 5,
 * 80 training rows: 5 batches per epoch) with plain SGD at learning rate 1e3. Every step is
 * finite up to the last batch of epoch 7, whose update gives finite weights that overflow to an
 * infinite loss when evaluated.
 */
describe('trainer: an evaluation that overflows is divergence', () => {
  const rungeSpec = chainSpec({
    inputs: 1,
    depth: 3,
    hidden: 16,
    outputs: 1,
    activation: 'tanh',
    head: 'mse',
  });
  const rungeData = prepareData(
    generateSynthetic('runge'),
    { testFraction: 0.2, seed: 5, standardize: true },
    'mse',
  );
  const rungeSettings: TrainingSettings = {
    ...DEFAULT_TRAINING,
    optimizer: { name: 'sgd', learningRate: 1e3 },
    batchSize: 16,
    epochs: 300,
    seed: 5,
  };
  const newRunge = (): Trainer =>
    createTrainer({ spec: rungeSpec, data: rungeData, settings: rungeSettings });
  const entries = (h: History): number[] => Object.values(h).flat();

  /** A fresh trainer taken through `epochs` whole epochs: the reference for the weights kept. */
  function afterEpochs(epochs: number): Trainer {
    const trainer = newRunge();
    for (let e = 0; e < epochs; e++) expect(trainer.runEpoch().diverged).toBeUndefined();
    return trainer;
  }

  it('the case: epoch 7 steps are finite, but its final weights overflow at evaluation', () => {
    expect(rungeData.xTrain.rows).toBe(80);
    const reference = afterEpochs(6);
    expect(metricValuesOf(reference.evaluate()).every(Number.isFinite)).toBe(true);
    // Four of the five batches of epoch 7 go through.
    for (let b = 0; b < 4; b++) expect(reference.step().diverged).toBeUndefined();
    // The fifth batch is the rows left over; one SGD step on it, done here by hand.
    const diverged = newRunge();
    while (diverged.status === 'ready') diverged.step();
    const { X, Y } = diverged.lastBatch()!;
    expect(X.rows).toBe(16);
    const net = createNetwork(rungeSpec, createRng(0));
    setWeights(net, reference.getWeights());
    const { loss } = lossAndGradients(net, X, Y, { l1: 0, l2: 0 });
    expect(Number.isFinite(loss)).toBe(true);
    net.parameterArrays.forEach((w, k) =>
      w.forEach((v, i) => (w[i] = v - 1e3 * net.gradientArrays[k][i])),
    );
    expect(net.parameterArrays.every((w) => w.every(Number.isFinite))).toBe(true);
    const train = evaluateSplit(net, rungeData.xTrain, rungeData.yTrain, 'regression');
    const test = evaluateSplit(net, rungeData.xTest, rungeData.yTest, 'regression');
    expect(train.loss).toBe(Infinity);
    expect(test.loss).toBe(Infinity);
  });

  it('stops at epoch 7 with the weights of epoch 6, a finite history and a plain message', () => {
    const trainer = newRunge();
    let report = trainer.step();
    while (!report.diverged && trainer.status === 'ready') report = trainer.step();
    expect(trainer.status).toBe('diverged');
    expect(report.diverged).toMatch(
      /^Training diverged at epoch 7: the loss became NaN or Infinity\. .*Try a lower learning rate\.$/,
    );
    expect(trainer.divergence).toBe(report.diverged);
    // The step itself was fine: only its evaluation overflowed, and it is not recorded.
    expect(Number.isFinite(report.batchLoss)).toBe(true);
    expect(report.epochEnded).toBe(false);
    expect(report.metrics).toBeUndefined();
    expect(report.epoch).toBe(6);
    expect(report.batchInEpoch).toBe(0);
    expect(trainer.epoch).toBe(6);
    expect(trainer.history.epoch).toEqual([1, 2, 3, 4, 5, 6]);
    expect(entries(trainer.history).every(Number.isFinite)).toBe(true);
    expect(trainer.best!.epoch).toBeLessThanOrEqual(6);
    expect(Number.isFinite(trainer.best!.testLoss)).toBe(true);
    // The weights are exactly those after epoch 6, whose evaluation was finite.
    const reference = afterEpochs(6);
    expect(trainer.getWeights()).toEqual(reference.getWeights());
    const metrics = trainer.evaluate();
    expect(metricValuesOf(metrics).every(Number.isFinite)).toBe(true);
    expect(metrics).toEqual(reference.evaluate());
    expect(metrics.trainLoss).toBe(trainer.history.trainLoss[5]);
    expect(trainer.lastUpdates()).toEqual([]);
    // Nothing moves until a setting changes.
    const steps = trainer.totalSteps;
    expect(trainer.step().diverged).toBe(report.diverged);
    expect(trainer.totalSteps).toBe(steps);
    expect(trainer.getWeights()).toEqual(reference.getWeights());
  });

  it('a lower learning rate replays epoch 7 from the weights of epoch 6, in the same order', () => {
    const trainer = newRunge();
    while (trainer.status === 'ready') trainer.step();
    expect(trainer.status).toBe('diverged');
    const slower = { optimizer: { name: 'sgd' as const, learningRate: 1e-3 } };
    trainer.updateSettings(slower);
    expect(trainer.status).toBe('ready');
    expect(trainer.divergence).toBeNull();
    const reference = afterEpochs(6);
    reference.updateSettings(slower);
    for (let e = 0; e < 3; e++) {
      const report = trainer.runEpoch();
      expect(report.diverged).toBeUndefined();
      expect(report.metrics).toEqual(reference.runEpoch().metrics);
    }
    expect(trainer.epoch).toBe(9);
    expect(trainer.getWeights()).toEqual(reference.getWeights());
    expect(trainer.history).toEqual(reference.history);
  });

  it('clears the optimizer state: momentum starts again from zero', () => {
    const momentum = { name: 'momentum' as const, learningRate: 1e3, momentum: 0.9 };
    const trainer = createTrainer({
      spec: rungeSpec,
      data: rungeData,
      settings: { ...rungeSettings, optimizer: momentum },
    });
    let report = trainer.step();
    while (!report.diverged) report = trainer.step();
    // Diverged at an evaluation: the step was finite, the weights are those of the last epoch.
    expect(Number.isFinite(report.batchLoss)).toBe(true);
    expect(entries(trainer.history).every(Number.isFinite)).toBe(true);
    const kept = trainer.getWeights();
    expect(trainer.evaluate()).toEqual({
      trainLoss: trainer.history.trainLoss.at(-1),
      testLoss: trainer.history.testLoss.at(-1),
      trainR2: trainer.history.trainR2.at(-1),
      testR2: trainer.history.testR2.at(-1),
    });
    const slower = { ...momentum, learningRate: 1e-4 };
    trainer.updateSettings({ optimizer: slower });
    trainer.step();
    // One step of a fresh momentum optimizer is v = lr g, w -= v: plain SGD on the same batch.
    const net = createNetwork(rungeSpec, createRng(0));
    setWeights(net, kept);
    const batch = trainer.lastBatch()!;
    lossAndGradients(net, batch.X, batch.Y, { l1: 0, l2: 0 });
    const after = trainer.getWeights();
    net.params.forEach((p, k) => {
      const dW = net.grads[k].dW.data;
      after[p.id].W.flat().forEach((w, i) => expect(w).toBe(p.W.data[i] - 1e-4 * dW[i]));
    });
  });

  it('across optimizers, activations, batch sizes and huge learning rates, the weights kept evaluate finite', () => {
    const routes = new Set<string>();
    for (const activation of ['tanh', 'relu'] as const)
      for (const name of ['sgd', 'momentum', 'adam'] as const)
        for (const learningRate of [1e3, 1e8, 1e300, 1e308])
          for (const batchSize of [8, 16, 80]) {
            const trainer = createTrainer({
              spec: chainSpec({
                inputs: 1,
                depth: 3,
                hidden: 16,
                outputs: 1,
                activation,
                head: 'mse',
              }),
              data: rungeData,
              settings: {
                ...rungeSettings,
                optimizer: { name, learningRate },
                batchSize,
                epochs: 40,
              },
            });
            let report = trainer.step();
            while (!report.diverged && trainer.status === 'ready') report = trainer.step();
            if (!report.diverged) continue;
            routes.add(
              !Number.isFinite(report.batchLoss)
                ? 'loss'
                : /the weights/.test(report.diverged)
                  ? 'weights'
                  : 'evaluation',
            );
            expect(entries(trainer.history).every(Number.isFinite)).toBe(true);
            expect(trainer.history.epoch).toHaveLength(trainer.epoch);
            const kept = trainer.getWeights();
            expect(
              Object.values(kept).every((w) => w.W.flat().concat(w.b).every(Number.isFinite)),
            ).toBe(true);
            expect(metricValuesOf(trainer.evaluate()).every(Number.isFinite)).toBe(true);
          }
    // The grid reaches all three ways of diverging.
    expect([...routes].sort()).toEqual(['evaluation', 'loss', 'weights']);
  });
});
