/**
 * The worker's session class driven directly in Node: training, throttled events, statistics
 * against independent computations, divergence, pause/resume, settings, reset, grids.
 */
import { describe, expect, it } from 'vitest';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { prepareData } from '../../../src/lib/data/prepare';
import { generateSynthetic } from '../../../src/lib/data/synthetic';
import { applyStandardization, fitStandardization } from '../../../src/lib/data/standardize';
import { splitDataset } from '../../../src/lib/data/split';
import { Trainer } from '../../../src/lib/engine/trainer';
import { divergenceMessage } from '../../../src/lib/engine/divergence';
import { createNetwork, predict, setWeights } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import { fromRows } from '../../../src/lib/engine/matrix';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import { decisionGridProblem } from '../../../src/lib/components/charts/decision-grid';
import { MAX_EVENTS_PER_SECOND, type TrainingEvent } from '../../../src/lib/worker/api';
import { checkedSettings } from '../../../src/lib/engine/settings';
import { gradientCheckVerdict } from '../../../src/lib/components/gradients/gradient-check-verdict';
import { emptyHistory } from '../../../src/lib/engine/types';
import { TrainingService } from '../../../src/lib/worker/training-service';
import { STATS_INTERVAL_MS } from '../../../src/lib/worker/events';
import {
  IRIS_SETTINGS,
  IRIS_SPEC,
  allNumbers,
  copyDataset,
  pageHistory,
  regressionDataset,
  sessionWithClock,
  settings,
  untilStopped,
} from './helpers';

const iris = await loadBuiltinDatasetNode('iris');

const RUNGE_SPEC: LayerSpec = {
  input: { id: 'x', size: 1 },
  layers: [
    { id: 'd1', type: 'dense', inputs: ['x'], inputSize: 1, units: 16, init: 'auto' },
    { id: 'a1', type: 'activation', inputs: ['d1'], fn: 'tanh', size: 16 },
    { id: 'd2', type: 'dense', inputs: ['a1'], inputSize: 16, units: 1, init: 'auto' },
  ],
  loss: { id: 'l', type: 'mse', inputs: ['d2'] },
};

function loadIris(session: TrainingService, partial = {}) {
  return session.load({
    spec: IRIS_SPEC,
    dataset: copyDataset(iris),
    settings: { ...IRIS_SETTINGS, ...partial },
  });
}

describe('TrainingService', () => {
  it('trains iris with the seed settings to >= 90% test accuracy, reporting the standardization it fitted', async () => {
    const session = new TrainingService();
    const result = loadIris(session);
    expect(result.event.status).toBe('idle');
    expect(result.trainRows + result.testRows).toBe(150);
    // Independently: the same seeded split, standardization fitted on its training rows.
    const { train } = splitDataset(iris, { testFraction: 0.2, seed: 42 });
    expect(result.standardization).toEqual(fitStandardization(train.X));

    const stopped = untilStopped(session);
    expect(session.start().status).toBe('running');
    const events = await stopped;
    const last = events.at(-1)!;
    expect(last.status).toBe('done');
    expect(last.epoch).toBe(200);
    // The incremental history of the events, merged, is the whole history.
    const merged = pageHistory([result.event.history, ...events.map((e) => e.history)])!;
    expect(merged).toEqual(session.getHistory());
    expect(merged.epoch).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Each event carries only the epochs completed since the previous one.
    expect(events.every((e) => e.history.entries.epoch.length < 200)).toBe(true);
    expect(last.metrics!.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(session.getModelState().metrics.testAccuracy).toBe(last.metrics!.testAccuracy);
  });

  it('merges history deltas only when they continue the history', () => {
    const h = { ...emptyHistory(), epoch: [1, 2], trainLoss: [0.5, 0.4], testLoss: [0.6, 0.5] };
    const next = { ...emptyHistory(), epoch: [3], trainLoss: [0.3], testLoss: [0.45] };
    expect(
      pageHistory([
        { start: 0, entries: h },
        { start: 2, entries: next },
      ]),
    ).toEqual({
      ...emptyHistory(),
      epoch: [1, 2, 3],
      trainLoss: [0.5, 0.4, 0.3],
      testLoss: [0.6, 0.5, 0.45],
    });
    expect(
      pageHistory([
        { start: 0, entries: h },
        { start: 3, entries: next },
      ]),
    ).toBeNull();
    expect(
      pageHistory([
        { start: 0, entries: h },
        { start: 0, entries: next },
      ]),
    ).toEqual(next);
  });

  it('sends at most 30 events per second of (fake) clock time however fast training runs, and every update’s gradient norm', async () => {
    // Each clock reading advances 0.05 ms: thousands of steps per simulated second.
    const { session, clock } = sessionWithClock({ tick: 0.05 });
    loadIris(session, { epochs: 300 });
    const stopped = untilStopped(session);
    const t0 = clock.now;
    session.start();
    const events = await stopped;
    const elapsedMs = clock.now - t0;
    const running = events.filter((e) => e.status === 'running');
    const last = events.at(-1)!;
    expect(last.status).toBe('done');
    // The start event, throttled running events, and the final one.
    expect(running.length).toBeLessThanOrEqual(
      Math.floor((elapsedMs / 1000) * MAX_EVENTS_PER_SECOND) + 1,
    );
    expect(last.step).toBeGreaterThan(10 * events.length);
    // The per-update series cover updates 1..last.step exactly once, in order.
    const covered: number[] = [];
    for (const e of events)
      e.gradientNorms.norms.forEach((_, u) => covered.push(e.gradientNorms.firstUpdate + u));
    // At most 200 per event are kept; with this many steps per event some may be dropped.
    expect(covered).toEqual([...covered].sort((a, b) => a - b));
    expect(new Set(covered).size).toBe(covered.length);
    expect(covered.at(-1)).toBe(last.step);
  });

  it('measures the latest update’s statistics while running at most every STATS_INTERVAL_MS, and those of the last update when the run ends', async () => {
    // A clock that moves 1 ms per reading: an event every few chunks, ~30 events a second.
    const { session, clock } = sessionWithClock({ tick: 1 });
    loadIris(session, { epochs: 600 });
    const stopped = untilStopped(session);
    const t0 = clock.now;
    session.start();
    const events = await stopped;
    const elapsedMs = clock.now - t0;
    const running = events.filter((e) => e.status === 'running' && e.stats !== null);
    const measured = new Set(running.map((e) => e.stats!.update));
    expect(running.length).toBeGreaterThan(3 * measured.size);
    expect(measured.size).toBeLessThanOrEqual(Math.floor(elapsedMs / STATS_INTERVAL_MS) + 1);
    // An event between measurements carries an earlier update's statistics, never a later one.
    expect(running.every((e) => e.stats!.update <= e.step)).toBe(true);
    expect(running.some((e) => e.stats!.update < e.step)).toBe(true);
    const last = events.at(-1)!;
    expect(last.status).toBe('done');
    expect(last.stats!.update).toBe(last.step);
    expect(last.stats!.dense[0].gradWNorm).toBeCloseTo(last.gradientNorms.norms.at(-1)![0], 12);
  });

  it('keeps every update in the series when events are frequent enough', async () => {
    const { session } = sessionWithClock({ tick: 1 });
    loadIris(session, { epochs: 20 });
    const stopped = untilStopped(session);
    session.start();
    const events = await stopped;
    const steps = events.flatMap((e) =>
      e.gradientNorms.norms.map((_, u) => e.gradientNorms.firstUpdate + u),
    );
    const last = events.at(-1)!;
    expect(steps).toEqual(Array.from({ length: last.step }, (_, i) => i + 1));
    expect(events.every((e) => e.gradientNorms.layerIds.join() === 'n2,n4')).toBe(true);
  });

  it('reports dense-layer gradient statistics equal to an independent trainer’s gradients and updates', () => {
    const session = new TrainingService();
    loadIris(session);
    session.step();
    session.step();
    const event = session.step();
    // The same data and settings in a trainer of our own, three steps.
    const data = prepareData(
      iris,
      { testFraction: 0.2, seed: 42, standardize: true },
      'cross_entropy',
    );
    const trainer = new Trainer({
      spec: IRIS_SPEC,
      data,
      settings: IRIS_SETTINGS,
      trackUpdates: true,
    });
    trainer.step();
    trainer.step();
    trainer.step();
    const grads = trainer.lastGradients();
    const updates = trainer.lastUpdates();
    expect(event.stats!.update).toBe(3);
    expect(event.stats!.dense.map((d) => d.id)).toEqual(['n2', 'n4']);
    event.stats!.dense.forEach((d, k) => {
      const g = Array.from(grads[k].dW.data);
      const abs = g.map(Math.abs);
      expect(d.gradWNorm).toBeCloseTo(Math.hypot(...g), 12);
      expect(d.gradBNorm).toBeCloseTo(Math.hypot(...grads[k].db), 12);
      expect(d.meanAbsGrad).toBeCloseTo(abs.reduce((a, b) => a + b, 0) / abs.length, 12);
      expect(d.maxAbsGrad).toBe(Math.max(...abs));
      expect(d.weightNorm).toBeCloseTo(updates[k].wNorm, 12);
      expect(d.updateRatio).toBeCloseTo(updates[k].deltaWNorm / updates[k].wNorm, 12);
      expect(event.gradientNorms.norms.at(-1)![k]).toBeCloseTo(d.gradWNorm, 12);
    });
  });

  it('computes ‖dC/dW‖, ‖ΔW‖/‖W‖ of a linear mse layer as derived by hand', () => {
    // P = X W + b, C = mean (P - T)², dC/dW = Xᵀ 2 (P - T) / B; sgd: ΔW = -lr dC/dW.
    const rows = [
      [1, 2],
      [0, -1],
      [3, 1],
    ];
    const y = [1, 0, 2];
    const spec: LayerSpec = {
      input: { id: 'x', size: 2 },
      layers: [{ id: 'd', type: 'dense', inputs: ['x'], inputSize: 2, units: 1, init: 'zeros' }],
      loss: { id: 'l', type: 'mse', inputs: ['d'] },
    };
    const session = new TrainingService();
    session.load({
      spec,
      dataset: regressionDataset(rows, y),
      settings: settings({
        optimizer: { name: 'sgd', learningRate: 0.1 },
        batchSize: 3,
        testFraction: 0,
        standardize: false,
        shuffle: false,
      }),
      weights: { d: { W: [[0.5], [-1]], b: [0.25] } },
    });
    const event = session.step();
    const W = [0.5, -1];
    const residual = rows.map((r, i) => r[0] * W[0] + r[1] * W[1] + 0.25 - y[i]);
    const dW = [0, 1].map((j) => rows.reduce((s, r, i) => s + (r[j] * 2 * residual[i]) / 3, 0));
    const db = residual.reduce((s, r) => s + (2 * r) / 3, 0);
    const newW = W.map((w, j) => w - 0.1 * dW[j]);
    const d = event.stats!.dense[0];
    expect(d.gradWNorm).toBeCloseTo(Math.hypot(...dW), 12);
    expect(d.gradBNorm).toBeCloseTo(Math.abs(db), 12);
    expect(d.maxAbsGrad).toBeCloseTo(Math.max(...dW.map(Math.abs)), 12);
    expect(d.weightNorm).toBeCloseTo(Math.hypot(...newW), 12);
    expect(d.updateRatio).toBeCloseTo((0.1 * Math.hypot(...dW)) / Math.hypot(...newW), 12);
    expect(event.stats!.activations).toEqual([]);
    expect(session.getWeights().d.W.flat()).toEqual(newW.map((w) => expect.closeTo(w, 12)));
  });

  it('reports dead ReLU units and saturated sigmoid units of the last batch', () => {
    // 2 inputs -> Dense 3 -> relu -> Dense 2 -> sigmoid -> Dense 1 -> mse.
    const spec: LayerSpec = {
      input: { id: 'x', size: 2 },
      layers: [
        { id: 'd1', type: 'dense', inputs: ['x'], inputSize: 2, units: 3, init: 'auto' },
        { id: 'r', type: 'activation', inputs: ['d1'], fn: 'relu', size: 3 },
        { id: 'd2', type: 'dense', inputs: ['r'], inputSize: 3, units: 2, init: 'auto' },
        { id: 's', type: 'activation', inputs: ['d2'], fn: 'sigmoid', size: 2 },
        { id: 'd3', type: 'dense', inputs: ['s'], inputSize: 2, units: 1, init: 'auto' },
      ],
      loss: { id: 'l', type: 'mse', inputs: ['d3'] },
    };
    // Inputs in [0, 1]; unit 2 of d1 has weights 0 and bias -5: its relu output is 0 for every row.
    // d2's unit 1 has bias +50: its sigmoid output is 1 - 2e-22 for every row (saturated).
    const rows = Array.from({ length: 8 }, (_, i) => [i / 8, 1 - i / 8]);
    const session = new TrainingService();
    session.load({
      spec,
      dataset: regressionDataset(
        rows,
        rows.map((r) => r[0]),
      ),
      settings: settings({
        optimizer: { name: 'sgd', learningRate: 1e-6 },
        batchSize: 8,
        testFraction: 0,
        standardize: false,
      }),
      weights: {
        d1: {
          W: [
            [1, 0, 0.5],
            [1, 0, 0.5],
          ],
          b: [0.1, -5, 0.1],
        },
        d2: {
          W: [
            [0.1, 0.1],
            [0.1, 0.1],
            [0.1, 0.1],
          ],
          b: [50, 0],
        },
        d3: { W: [[1], [1]], b: [0] },
      },
    });
    const event = session.step();
    const [relu, sigmoid] = event.stats!.activations;
    expect(relu).toEqual({
      id: 'r',
      fn: 'relu',
      units: 3,
      deadFraction: 1 / 3,
      saturatedFraction: null,
    });
    expect(sigmoid).toEqual({
      id: 's',
      fn: 'sigmoid',
      units: 2,
      deadFraction: null,
      saturatedFraction: 1 / 2,
    });
  });

  it('computes the decision grid of a 2-D dataset: shape, ascending axes over the data, probabilities summing to 1, equal to the network’s prediction', () => {
    const circles = generateSynthetic('circles', { n: 120, seed: 4 });
    const spec: LayerSpec = {
      input: { id: 'x', size: 2 },
      layers: [
        { id: 'd1', type: 'dense', inputs: ['x'], inputSize: 2, units: 6, init: 'auto' },
        { id: 'a1', type: 'activation', inputs: ['d1'], fn: 'tanh', size: 6 },
        { id: 'd2', type: 'dense', inputs: ['a1'], inputSize: 6, units: 2, init: 'auto' },
        { id: 'a2', type: 'activation', inputs: ['d2'], fn: 'softmax', size: 2 },
      ],
      loss: { id: 'l', type: 'cross_entropy', inputs: ['a2'] },
    };
    const session = new TrainingService();
    const loaded = session.load({ spec, dataset: copyDataset(circles), settings: settings() });
    session.stepEpoch();
    const grid = session.decisionGrid(25)!;
    expect(decisionGridProblem(grid, 2)).toBeNull();
    expect(grid.xs).toHaveLength(25);
    expect(grid.ys).toHaveLength(25);
    expect(grid.probabilities).toHaveLength(25 * 25 * 2);
    for (let c = 0; c < 25 * 25; c++)
      expect(grid.probabilities[2 * c] + grid.probabilities[2 * c + 1]).toBeCloseTo(1, 6);
    const xsData = Array.from({ length: circles.X.rows }, (_, i) => circles.X.data[2 * i]);
    expect(grid.xs[0]).toBeLessThan(Math.min(...xsData));
    expect(grid.xs[24]).toBeGreaterThan(Math.max(...xsData));
    // Cell (i=3, j=7) against our own network with the same weights and standardization.
    const net = createNetwork(spec, createRng(0));
    setWeights(net, session.getWeights());
    const point = applyStandardization(
      fromRows([[grid.xs[3], grid.ys[7]]]),
      loaded.standardization!,
    );
    const p = predict(net, point);
    expect(grid.probabilities[(7 * 25 + 3) * 2 + 1]).toBeCloseTo(p.data[1], 6);
    // Not for data that is not 2-D classification; bad resolutions are refused.
    expect(() => session.decisionGrid(1)).toThrow(/resolution/);
    const irisSession = new TrainingService();
    loadIris(irisSession);
    expect(irisSession.decisionGrid(10)).toBeNull();
  });

  it('computes the fitted curve of a 1-D regression and the confusion matrix of the test split', () => {
    const runge = generateSynthetic('runge', { n: 60, seed: 3 });
    const session = new TrainingService();
    const loaded = session.load({
      spec: RUNGE_SPEC,
      dataset: copyDataset(runge),
      settings: settings(),
    });
    session.stepEpoch();
    const fit = session.curveFit(50)!;
    expect(fit.points).toHaveLength(60);
    expect(fit.curve).toHaveLength(50);
    const net = createNetwork(RUNGE_SPEC, createRng(0));
    setWeights(net, session.getWeights());
    const x = fit.curve[10].x;
    const p = predict(net, applyStandardization(fromRows([[x]]), loaded.standardization!));
    expect(fit.curve[10].y).toBeCloseTo(p.data[0], 12);
    expect(session.confusionMatrix()).toBeNull();

    const irisSession = new TrainingService();
    const irisLoaded = loadIris(irisSession, { epochs: 30 });
    let event: TrainingEvent;
    do event = irisSession.stepEpoch();
    while (event.status !== 'done');
    const confusion = irisSession.confusionMatrix()!;
    expect(confusion.split).toBe('test');
    expect(confusion.classes).toEqual(iris.classes);
    const total = confusion.matrix.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(irisLoaded.testRows);
    const diagonal = confusion.matrix.reduce((s, row, i) => s + row[i], 0);
    expect(diagonal / total).toBeCloseTo(event.metrics!.testAccuracy!, 12);
  });

  it('checks gradients by finite differences on the current batch: relative error < 1e-7, last step’s statistics untouched', () => {
    const session = new TrainingService();
    loadIris(session);
    const before = session.checkGradients();
    expect(before.batchRows).toBe(32);
    expect(gradientCheckVerdict(before).passed).toBe(true);
    const event = session.step();
    const report = session.checkGradients();
    expect(report.layers.map((l) => l.id)).toEqual(['n2', 'n4']);
    for (const l of report.layers) {
      expect(l.weightError).toBeLessThan(1e-6);
      expect(l.biasError).toBeLessThan(1e-6);
      expect(l.entries).toBe(l.id === 'n2' ? 4 * 5 + 5 : 5 * 3 + 3);
    }
    expect(report.maxRelativeError).toBeLessThan(1e-6);
    expect(report.maxRelativeError).toBeLessThan(1e-7);
    expect(gradientCheckVerdict(report).text).toMatch(/^Backprop agrees .* below 1e-7\./);
    expect(session.pause().stats).toEqual(event.stats);
  });

  it('checks a random sample of the entries of a large layer, and says so', () => {
    const wide: LayerSpec = {
      input: { id: 'n1', size: 4 },
      layers: [
        { id: 'h', type: 'dense', inputs: ['n1'], inputSize: 4, units: 100, init: 'auto' },
        { id: 't', type: 'activation', inputs: ['h'], fn: 'tanh', size: 100 },
        { id: 'o', type: 'dense', inputs: ['t'], inputSize: 100, units: 3, init: 'auto' },
        { id: 's', type: 'activation', inputs: ['o'], fn: 'softmax', size: 3 },
      ],
      loss: { id: 'l', type: 'cross_entropy', inputs: ['s'] },
    };
    const session = new TrainingService();
    session.load({ spec: wide, dataset: copyDataset(iris), settings: IRIS_SETTINGS });
    session.step();
    const report = session.checkGradients();
    const [h, o] = report.layers;
    // h: W has 400 entries (sampled to 300), b 100; o: W 300, b 3 (all).
    expect(h).toMatchObject({ entries: 300 + 100, totalEntries: 500 });
    expect(o).toMatchObject({ entries: 300 + 3, totalEntries: 303 });
    expect(report.maxRelativeError).toBeLessThan(1e-6);
    expect(gradientCheckVerdict(report).text).toMatch(
      /703 of the 803 weights and biases were checked/,
    );
  });

  it('diverges at learning rate 1e3: status, a plain message with a suggestion, the lowest-loss weights kept', () => {
    const runge = generateSynthetic('runge', { n: 100, seed: 3 });
    const session = new TrainingService();
    session.load({
      spec: RUNGE_SPEC,
      dataset: copyDataset(runge),
      settings: settings({ optimizer: { name: 'sgd', learningRate: 1e3 } }),
    });
    let weightsBefore = session.getWeights();
    let event = session.step();
    for (let n = 0; n < 1000 && event.status !== 'diverged'; n++) {
      weightsBefore = session.getWeights();
      event = session.step();
    }
    expect(event.status).toBe('diverged');
    expect(event.divergence).not.toBeNull();
    expect(divergenceMessage(event.divergence!)).toMatch(/diverged/i);
    expect(divergenceMessage(event.divergence!)).toMatch(/lower learning rate/i);
    // DESIGN §2: the weights of the lowest-training-loss epoch (or the starting ones) come back,
    // and what the page would save evaluates to that loss.
    const kept = session.getModelState();
    expect(Object.values(kept.metrics).every(Number.isFinite)).toBe(true);
    expect(kept.metrics.trainLoss).toBe(event.divergence!.restoredLoss);
    expect(allNumbers(kept.weights).every(Number.isFinite)).toBe(true);
    expect(allNumbers(weightsBefore).every(Number.isFinite)).toBe(true);
    // Starting again does nothing until a setting changes.
    expect(session.start().status).toBe('diverged');
    const lower = checkedSettings(session.getModelState().settings, {
      optimizer: { learningRate: 0.01 },
    });
    expect(session.configure(lower).status).toBe('paused');
  });

  it('pauses and resumes a run', async () => {
    // A clock that moves 1 ms per reading: a chunk is ~12 steps, an event every few chunks.
    const { session } = sessionWithClock({ tick: 1 });
    loadIris(session);
    const paused = new Promise<TrainingEvent>((resolve) => {
      let seen = 0;
      session.subscribe((e) => {
        if (e.status === 'running' && ++seen === 3) resolve(session.pause());
      });
    });
    session.start();
    const pauseEvent = await paused;
    expect(pauseEvent.status).toBe('paused');
    expect(pauseEvent.step).toBeGreaterThan(0);
    expect(pauseEvent.epoch).toBeLessThan(200);
    // Nothing runs while paused.
    await new Promise((r) => setTimeout(r, 30));
    const still = session.pause();
    expect(still.step).toBe(pauseEvent.step);
    const stopped = untilStopped(session);
    session.start();
    const last = (await stopped).at(-1)!;
    expect(last.status).toBe('done');
    expect(last.step).toBeGreaterThan(pauseEvent.step);
  });

  it('applies settings changed between steps exactly as a trainer given the same changes', () => {
    const session = new TrainingService();
    loadIris(session);
    const data = prepareData(
      iris,
      { testFraction: 0.2, seed: 42, standardize: true },
      'cross_entropy',
    );
    const trainer = new Trainer({ spec: IRIS_SPEC, data, settings: IRIS_SETTINGS });
    session.step();
    trainer.step();
    const change = { optimizer: { name: 'adam' as const, learningRate: 0.05 }, batchSize: 10 };
    const event = session.configure(checkedSettings(IRIS_SETTINGS, change));
    trainer.configure(checkedSettings(IRIS_SETTINGS, change));
    expect(event.status).toBe('paused');
    const next = session.step();
    trainer.step();
    expect(next.batchesPerEpoch).toBe(trainer.step().batchesPerEpoch);
    session.step();
    expect(session.getWeights()).toEqual(trainer.getWeights());
    // Bad settings are refused and change nothing.
    const now = session.getModelState().settings;
    expect(() => session.configure({ ...now, batchSize: 0 })).toThrow(/Batch size/);
    expect(() => session.configure({ ...now, epochs: -1, l2: NaN })).toThrow(
      /Epochs must be at least 0 .* L2 must be a number/,
    );
    expect(session.getModelState().settings.batchSize).toBe(10);
  });

  it('re-splits the data when the test fraction changes', () => {
    const session = new TrainingService();
    loadIris(session);
    session.step();
    const event = session.configure(settings({ testFraction: 0.5 }));
    expect(event.status).toBe('idle');
    expect(event.step).toBe(0);
    const confusion = session.confusionMatrix()!;
    expect(confusion.matrix.flat().reduce((a, b) => a + b, 0)).toBe(75);
  });

  it('reset gives bit-identical weights for the same seed; a new seed redraws them', () => {
    const session = new TrainingService();
    loadIris(session);
    const initial = session.getWeights();
    session.stepEpoch();
    session.stepEpoch();
    expect(session.getWeights()).not.toEqual(initial);
    const event = session.reset();
    expect(event.status).toBe('idle');
    expect(event.history).toEqual({ start: 0, entries: emptyHistory() });
    expect(event.stats).toBeNull();
    expect(session.getWeights()).toEqual(initial);
    // A fresh session with the same seed agrees too.
    const other = new TrainingService();
    loadIris(other);
    expect(other.getWeights()).toEqual(initial);
    session.configure(settings({ seed: 7 }));
    session.reset();
    expect(session.getWeights()).not.toEqual(initial);
  });

  it('refuses a bad load or bad weights with a message and changes nothing', () => {
    const session = new TrainingService();
    expect(() => session.step()).toThrow(/Load a network/);
    loadIris(session);
    session.step();
    const weights = session.getWeights();
    const wrongInput: LayerSpec = {
      ...IRIS_SPEC,
      input: { id: 'n1', size: 3 },
      layers: IRIS_SPEC.layers.map((l) => (l.id === 'n2' ? { ...l, inputSize: 3 } : l)),
    };
    expect(() =>
      session.load({ spec: wrongInput, dataset: copyDataset(iris), settings: IRIS_SETTINGS }),
    ).toThrow(/4 feature columns but the network's input takes 3/);
    expect(() =>
      session.setWeights({ ...weights, n2: { W: weights.n2.W.slice(1), b: weights.n2.b } }),
    ).toThrow(/n2/);
    expect(session.getWeights()).toEqual(weights);
    expect(session.pause().step).toBe(1);
  });
});
