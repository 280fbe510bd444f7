import { describe, expect, it } from 'vitest';
import { prepareData } from '../../../src/lib/data/prepare';
import { generateSynthetic } from '../../../src/lib/data/synthetic';
import { zeros } from '../../../src/lib/engine/matrix';
import { createNetwork, lossAndGradients, setWeights } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import { DEFAULT_TRAINING, type TrainingSettings } from '../../../src/lib/engine/settings';
import { divergenceMessage } from '../../../src/lib/engine/divergence';
import { createOptimizer } from '../../../src/lib/engine/optimizers/index';
import { gatherRows } from '../../../src/lib/engine/matrix';
import { Trainer, type TrainingData } from '../../../src/lib/engine/trainer';
import type { History, Metrics, WeightsJson } from '../../../src/lib/engine/types';
import { blobs, chainSpec } from './helpers';

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
  const trainer = new Trainer({ spec, data, settings: { ...settings, ...overrides } });
  while (trainer.status === 'ready') trainer.runEpoch();
  return trainer.getWeights();
}

describe('trainer', () => {
  it('reports batches: the last batch of an epoch is short', () => {
    const trainer = new Trainer({ spec, data, settings: { ...settings, batchSize: 16 } });
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
    const trainer = new Trainer({ spec, data, settings: opts });
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
    const trainer = new Trainer({ spec, data, settings });
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
    const trainer = new Trainer({ spec, data, settings: { ...settings, epochs: 2 } });
    trainer.runEpoch();
    expect(trainer.status).toBe('ready');
    trainer.runEpoch();
    expect(trainer.status).toBe('done');
    expect(trainer.epoch).toBe(2);
    trainer.configure({ ...trainer.settings, epochs: 3 });
    expect(trainer.status).toBe('ready');
  });

  it('learns: the loss falls and the test accuracy is high on separable blobs', () => {
    const trainer = new Trainer({ spec, data, settings: { ...settings, epochs: 30 } });
    while (trainer.status === 'ready') trainer.runEpoch();
    const { trainLoss } = trainer.history;
    expect(trainLoss[trainLoss.length - 1]).toBeLessThan(trainLoss[0]);
    expect(trainer.evaluate().testAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps the best checkpoint as a copy, not an alias of the live weights', () => {
    const trainer = new Trainer({ spec, data, settings });
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

  it('lastUpdates is ‖ΔW‖ of the step; lastGradients are copies', () => {
    const trainer = new Trainer({
      spec,
      data,
      settings: { ...settings, optimizer: { name: 'sgd', learningRate: 0.05 } },
      trackUpdates: true,
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

  it('without trackUpdates: no ‖ΔW‖, and the very same weights as with it', () => {
    const run = (trackUpdates: boolean) => {
      const trainer = new Trainer({ spec, data, settings, trackUpdates });
      for (let i = 0; i < 7; i++) trainer.step();
      return trainer;
    };
    const tracked = run(true),
      untracked = run(false);
    expect(tracked.lastUpdates()).toHaveLength(2);
    expect(untracked.lastUpdates()).toEqual([]);
    expect(untracked.getWeights()).toEqual(tracked.getWeights());
    expect(untracked.history).toEqual(tracked.history);
  });

  it('configure: same optimizer keeps its state, a new one starts fresh; bad settings change nothing', () => {
    const base = { ...settings, shuffle: false, batchSize: 50 };
    const a = new Trainer({ spec, data, settings: base });
    const b = new Trainer({ spec, data, settings: base });
    a.step();
    b.step();
    const momentum = { name: 'momentum' as const, learningRate: 0.01, momentum: 0.9 };
    a.configure({ ...base, optimizer: momentum });
    b.configure({ ...base, optimizer: { name: 'sgd', learningRate: 0.01 } });
    b.configure({ ...base, optimizer: momentum });
    a.step();
    b.step();
    // a kept its velocity, b's momentum restarted from zero: different second steps.
    expect(a.getWeights()).not.toEqual(b.getWeights());
    // The one validation (settings.ts) names the field; nothing changes.
    expect(() => a.configure({ ...base, batchSize: 0 })).toThrow(/^Batch size must be/);
    expect(() => a.configure({ ...base, optimizer: { ...momentum, momentum: 1.5 } })).toThrow(
      /^Momentum μ must be/,
    );
    expect(a.settings.batchSize).toBe(50);
    expect(a.settings.optimizer).toEqual(momentum);
    expect(() => new Trainer({ spec, data, settings: { ...base, epochs: -1 } })).toThrow(
      /^Epochs must be/,
    );
  });

  it('a new batch size applies from the next step', () => {
    const trainer = new Trainer({ spec, data, settings: { ...settings, batchSize: 16 } });
    trainer.step();
    trainer.configure({ ...settings, batchSize: 10 });
    const report = trainer.step();
    expect(trainer.lastBatch()!.X.rows).toBe(10);
    // 16 rows done, 10 now: 24 left in batches of 10 make 3 more.
    expect(report.batchesPerEpoch).toBe(2 + 3);
  });

  it('the same steps as a loop written out by hand: init, then one shuffle per epoch, from one seed', () => {
    const opts = { ...settings, batchSize: 16, epochs: 3 };
    const trainer = new Trainer({ spec, data, settings: opts });
    while (trainer.status === 'ready') trainer.runEpoch();
    // By hand: the network draws its weights from the seed's generator, then each epoch
    // shuffles the row order with the same generator and takes batches of 16 (the last short).
    const rng = createRng(opts.seed);
    const net = createNetwork(spec, rng);
    const optimizer = createOptimizer(opts.optimizer);
    const order = new Uint32Array(50).map((_, i) => i);
    for (let epoch = 0; epoch < 3; epoch++) {
      rng.shuffle(order);
      for (let start = 0; start < 50; start += 16) {
        const rows = order.subarray(start, Math.min(start + 16, 50));
        const X = gatherRows(train.X, rows, zeros(rows.length, 2));
        const Y = gatherRows(train.Y, rows, zeros(rows.length, 2));
        lossAndGradients(net, X, Y, { l1: opts.l1, l2: opts.l2 });
        optimizer.step(net.parameterArrays, net.gradientArrays);
      }
    }
    expect(trainer.network.parameterArrays).toEqual(net.parameterArrays);
  });

  it('without a test split, the best checkpoint follows the training loss', () => {
    const trainer = new Trainer({
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
    const donor = new Trainer({ spec, data, settings: { ...settings, seed: 99 } });
    const trainer = new Trainer({ spec, data, settings, initialWeights: donor.getWeights() });
    expect(trainer.getWeights()).toEqual(donor.getWeights());
  });

  it('explains data that does not fit the network', () => {
    expect(() => new Trainer({ spec, data: { ...data, xTrain: zeros(50, 3) }, settings })).toThrow(
      /training data has 3 feature columns but the network's input takes 2/,
    );
    expect(() => new Trainer({ spec, data: { ...data, yTest: zeros(20, 3) }, settings })).toThrow(
      /test targets have 3 columns but the network outputs 2/,
    );
    const withNaN = zeros(50, 2);
    withNaN.data[7] = NaN;
    expect(() => new Trainer({ spec, data: { ...data, xTrain: withNaN }, settings })).toThrow(
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
/**
 * Divergence (DESIGN §2): a batch loss or an epoch's evaluation that is not finite, or an epoch's
 * training loss over 10 × the training loss before the first update. The Runge network (1 ->
 * Dense 16 tanh -> Dense 16 tanh -> Dense 1 -> MSE, 80 training rows) with plain SGD.
 */
describe('trainer: divergence', () => {
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
  const newRunge = (changes: Partial<TrainingSettings> = {}): Trainer =>
    new Trainer({
      spec: rungeSpec,
      data: rungeData,
      settings: { ...rungeSettings, ...changes },
      trackUpdates: true,
    });
  const entries = (h: History): number[] => Object.values(h).flat();
  const untilDiverged = (trainer: Trainer) => {
    let report = trainer.step();
    while (!report.divergence && trainer.status === 'ready') report = trainer.step();
    return report;
  };
  const sgd = (learningRate: number) => ({ name: 'sgd' as const, learningRate });

  it('an epoch whose training loss grew past 10 × its start diverges; with no epoch recorded the starting weights come back', () => {
    const trainer = newRunge();
    const start = trainer.getWeights();
    const baseline = trainer.evaluate().trainLoss;
    const report = untilDiverged(trainer);
    expect(trainer.status).toBe('diverged');
    expect(report.divergence).toEqual({
      epoch: 1,
      cause: 'loss-grew',
      loss: expect.any(Number),
      baseline,
      restoredEpoch: 0,
      restoredLoss: baseline,
    });
    expect(report.divergence!.loss).toBeGreaterThan(10 * baseline);
    expect(Number.isFinite(report.divergence!.loss)).toBe(true);
    expect(trainer.divergence).toEqual(report.divergence);
    // The failing step is not recorded: no epoch, no metrics, the epoch rewound.
    expect(report.epochEnded).toBe(false);
    expect(report.metrics).toBeUndefined();
    expect(report.batchInEpoch).toBe(0);
    expect(trainer.epoch).toBe(0);
    expect(trainer.history.epoch).toEqual([]);
    expect(trainer.getWeights()).toEqual(start);
    expect(trainer.lastUpdates()).toEqual([]);
    expect(divergenceMessage(report.divergence!)).toMatch(
      /^Training diverged at epoch 1: the training loss grew to [\d.]+e\d+, over 10 × its starting value 0\.\d+\. The starting weights \(training loss 0\.\d+\) were restored\. Try a lower learning rate\.$/,
    );
    // Nothing moves until a setting changes.
    const steps = trainer.totalSteps;
    expect(trainer.step().divergence).toEqual(report.divergence);
    expect(trainer.totalSteps).toBe(steps);
    expect(trainer.getWeights()).toEqual(start);
  });

  it('a lower learning rate replays the epoch in the same order from the restored weights', () => {
    const trainer = newRunge();
    untilDiverged(trainer);
    const slower = { ...rungeSettings, optimizer: sgd(1e-3) };
    trainer.configure(slower);
    expect(trainer.status).toBe('ready');
    expect(trainer.divergence).toBeNull();
    // The starting weights and epoch 1's shuffle: exactly a fresh run at the lower rate.
    const reference = newRunge({ optimizer: sgd(1e-3) });
    for (let e = 0; e < 3; e++) {
      const report = trainer.runEpoch();
      expect(report.divergence).toBeUndefined();
      expect(report.metrics).toEqual(reference.runEpoch().metrics);
    }
    expect(trainer.epoch).toBe(3);
    expect(trainer.getWeights()).toEqual(reference.getWeights());
    expect(trainer.history).toEqual(reference.history);
  });

  it('a batch loss that is not finite diverges mid-epoch', () => {
    const huge: TrainingSettings = { ...settings, optimizer: sgd(1e6), batchSize: 2, epochs: 50 };
    const trainer = new Trainer({ spec: reluSpec, data: regression, settings: huge });
    const start = trainer.getWeights();
    const report = untilDiverged(trainer);
    expect(report.divergence).toMatchObject({ epoch: 1, cause: 'not-finite', restoredEpoch: 0 });
    expect(Number.isFinite(report.batchLoss)).toBe(false);
    expect(report.divergence!.loss).toBe(report.batchLoss);
    expect(trainer.getWeights()).toEqual(start);
    expect(divergenceMessage(report.divergence!)).toMatch(
      /^Training diverged at epoch 1: the loss became (Infinity|NaN \(not a number\))\. The starting weights/,
    );
  });

  it('an evaluation that is not finite diverges, so the history stays finite', () => {
    // One test row far outside the training range: its prediction overflows once squared.
    const xTest = zeros(1, 2);
    xTest.data.set([1e200, -1e200]);
    const outlier: TrainingData = { ...regression, xTest, yTest: zeros(1, 2) };
    const trainer = new Trainer({ spec: reluSpec, data: outlier, settings });
    const report = untilDiverged(trainer);
    expect(report.divergence).toMatchObject({ epoch: 1, cause: 'not-finite', loss: Infinity });
    expect(Number.isFinite(report.batchLoss)).toBe(true);
    expect(trainer.history.epoch).toEqual([]);
  });

  it('restores the recorded epoch with the lowest training loss, not the last one', () => {
    const trainer = newRunge({ optimizer: { name: 'adam', learningRate: 0.01 } });
    for (let e = 0; e < 20; e++) trainer.runEpoch();
    // A rate that makes the loss worse without passing 10 × its start, then one that blows up.
    trainer.configure({ ...rungeSettings, optimizer: sgd(0.3) });
    for (let e = 0; e < 3; e++) expect(trainer.runEpoch().divergence).toBeUndefined();
    const losses = trainer.history.trainLoss;
    const lowest = Math.min(...losses);
    expect(losses.at(-1)).toBeGreaterThan(lowest);
    trainer.configure({ ...rungeSettings, optimizer: sgd(1e6) });
    const report = untilDiverged(trainer);
    const d = report.divergence!;
    expect(d.epoch).toBe(24);
    expect(d.restoredEpoch).toBe(losses.indexOf(lowest) + 1);
    expect(d.restoredEpoch).toBeLessThan(23);
    expect(d.restoredLoss).toBe(lowest);
    expect(trainer.evaluate().trainLoss).toBe(lowest);
    expect(trainer.history.epoch).toHaveLength(23);
  });

  it('clears the optimizer state: momentum starts again from zero', () => {
    const momentum = { name: 'momentum' as const, learningRate: 1e3, momentum: 0.9 };
    const trainer = newRunge({ optimizer: momentum });
    untilDiverged(trainer);
    const kept = trainer.getWeights();
    trainer.configure({ ...rungeSettings, optimizer: { ...momentum, learningRate: 1e-4 } });
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

  it('across optimizers, activations, batch sizes and huge learning rates, the weights kept are the best recorded', () => {
    const causes = new Set<string>();
    let restoredAnEpoch = false;
    for (const activation of ['tanh', 'relu'] as const)
      for (const name of ['sgd', 'momentum', 'adam'] as const)
        for (const learningRate of [0.3, 1e3, 1e6])
          for (const batchSize of [2, 16, 80]) {
            const spec = chainSpec({
              inputs: 1,
              depth: 3,
              hidden: 16,
              outputs: 1,
              activation,
              head: 'mse',
            });
            const options = {
              spec,
              data: rungeData,
              settings: {
                ...rungeSettings,
                optimizer: { name, learningRate },
                batchSize,
                epochs: 40,
              },
            };
            const trainer = new Trainer(options);
            const report = untilDiverged(trainer);
            if (!report.divergence) continue;
            const d = report.divergence;
            causes.add(d.cause);
            expect(entries(trainer.history).every(Number.isFinite)).toBe(true);
            expect(trainer.history.epoch).toHaveLength(trainer.epoch);
            expect(d.epoch).toBe(trainer.epoch + 1);
            const metrics = trainer.evaluate();
            expect(metricValuesOf(metrics).every(Number.isFinite)).toBe(true);
            if (d.restoredEpoch === 0) {
              expect(trainer.history.epoch).toEqual([]);
              expect(trainer.getWeights()).toEqual(new Trainer(options).getWeights());
            } else {
              restoredAnEpoch = true;
              expect(metrics.trainLoss).toBe(Math.min(...trainer.history.trainLoss));
              expect(metrics.trainLoss).toBe(trainer.history.trainLoss[d.restoredEpoch - 1]);
            }
          }
    expect([...causes].sort()).toEqual(['loss-grew', 'not-finite']);
    expect(restoredAnEpoch).toBe(true);
  });
});
