/**
 * The page's TrainingSession (runes state) against a real session behind comlink on an in-process
 * channel: what the panels read after load, training, step, reset, bad input, and a worker crash
 * followed by a restart that keeps the data and the weights.
 */
import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import {
  GRADIENT_WINDOW,
  TrainingSession,
  appendGradientNorms,
  formatStatus,
  joinDeltas,
} from '../../../src/lib/state/training.svelte';
import { createWorkerClient } from '../../../src/lib/worker/client';
import { mergeHistory, type HistoryDelta, type TrainingEvent } from '../../../src/lib/worker/api';
import { emptyHistory, type History } from '../../../src/lib/engine/types';
import { IRIS_SETTINGS, IRIS_SPEC, channelWorker, settings } from './helpers';

const iris = await loadBuiltinDatasetNode('iris');

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function sessionOnChannel() {
  const workers: ReturnType<typeof channelWorker>[] = [];
  const state = new TrainingSession({
    createClient: () => {
      const w = channelWorker();
      workers.push(w);
      return createWorkerClient(w.worker, { intervalMs: 60_000 });
    },
  });
  return { state, workers };
}

describe('TrainingSession (page state)', () => {
  it('loads, trains to the end and fills what the panels read', { timeout: 60_000 }, async () => {
    const { state } = sessionOnChannel();
    const keptData = iris.X.data.slice();
    expect(await state.load(IRIS_SPEC, iris, settings({ epochs: 60 }))).toBe(true);
    // The page's dataset is not detached by the transfer (a copy went).
    expect(iris.X.data).toEqual(keptData);
    expect(state.loaded).toBe(true);
    expect(state.health).toBe('ready');
    expect(state.status).toBe('idle');
    expect(state.dataInfo!.trainRows).toBe(120);
    expect(state.confusion!.matrix).toHaveLength(3);
    expect(state.decisionGrid).toBeNull();

    expect(await state.train()).toBe(true);
    await until(() => state.status === 'done', 'training to finish');
    expect(state.progress.fraction).toBe(1);
    expect(state.progress.epoch).toBe(60);
    expect(state.history.epoch).toHaveLength(60);
    expect(state.metrics!.testAccuracy).toBeGreaterThan(0.5);
    expect(state.stats!.dense.map((d) => d.id)).toEqual(['n2', 'n4']);
    const g = state.gradientHistory;
    expect(g.layerIds).toEqual(['n2', 'n4']);
    expect(g.columns.length).toBeLessThanOrEqual(GRADIENT_WINDOW);
    expect(g.firstUpdate + g.columns.length - 1).toBe(state.progress.step);
    flushSync();
    expect(state.statusText).toMatch(
      /^Epoch 60\/60 · train loss [\d.]+ · test accuracy [\d.]+% · done$/,
    );
    await until(() => state.confusion !== null, 'the confusion matrix');
    const counted = state.confusion!.matrix.flat().reduce((a, b) => a + b, 0);
    expect(counted).toBe(30);
  });

  it(
    'publishes the history as a new object each time over columns grown in place',
    {
      timeout: 60_000,
    },
    async () => {
      const { state } = sessionOnChannel();
      await state.load(IRIS_SPEC, iris, settings({ epochs: 4000 }));
      const seen = new Set<History>();
      const columns = new Set<number[]>();
      const sample = () => {
        seen.add(state.history);
        if (state.history.epoch.length > 0) columns.add(state.history.trainLoss);
        return state.status === 'done';
      };
      expect(await state.train()).toBe(true);
      await until(sample, 'training to finish');
      // Several publications, each a new object, all over the one column the run appends to ...
      expect(seen.size).toBeGreaterThan(3);
      expect(columns.size).toBe(1);
      // ... holding exactly the worker's history.
      expect(state.history.epoch).toHaveLength(4000);
      expect(state.history).toEqual((await state.exportModel())!.history);
    },
  );

  it('steps, resets and refuses bad weights with a message, changing nothing', async () => {
    const { state } = sessionOnChannel();
    await state.load(IRIS_SPEC, iris, IRIS_SETTINGS);
    const initial = (await state.exportModel())!.weights;
    expect(await state.step()).toBe(true);
    expect(state.status).toBe('paused');
    expect(state.progress.step).toBe(1);
    expect(state.gradientHistory.columns).toHaveLength(1);
    expect(await state.importWeights({ n2: initial.n2 })).toBe(false);
    expect(state.error).toMatch(/n4/);
    expect(state.progress.step).toBe(1);
    expect(await state.reset()).toBe(true);
    expect(state.status).toBe('idle');
    expect(state.gradientHistory.columns).toEqual([]);
    expect((await state.exportModel())!.weights).toEqual(initial);
    const report = await state.checkGradients();
    expect(report!.passed).toBe(true);
    expect(state.gradientCheck).toBe(report);
  });

  it('re-reads the split when the test fraction changes', async () => {
    const { state } = sessionOnChannel();
    await state.load(IRIS_SPEC, iris, IRIS_SETTINGS);
    expect(await state.updateSettings({ testFraction: 0.4 })).toBe(true);
    expect(state.settings!.testFraction).toBe(0.4);
    expect(state.dataInfo!.testRows).toBe(60);
  });

  it('a failed load keeps what was loaded', async () => {
    const { state } = sessionOnChannel();
    await state.load(IRIS_SPEC, iris, IRIS_SETTINGS);
    await state.step();
    const bad = { ...IRIS_SPEC, loss: { ...IRIS_SPEC.loss, type: 'mse' as const } };
    const regression = { ...iris, task: 'regression' as const, classes: [] };
    expect(await state.load(bad, regression, IRIS_SETTINGS)).toBe(false);
    expect(state.error).toMatch(/network outputs 3|targets/);
    expect(state.spec).toBe(IRIS_SPEC);
    expect(await state.step()).toBe(true);
    expect(state.progress.step).toBe(2);
  });

  it('reports a crashed worker and restarts it with the same data and the last weights', async () => {
    const { state, workers } = sessionOnChannel();
    await state.load(IRIS_SPEC, iris, IRIS_SETTINGS);
    await state.stepEpoch();
    await state.stepEpoch();
    const before = (await state.exportModel())!.weights;
    workers[0].worker.dispatchEvent(
      Object.assign(new Event('error'), { message: 'out of memory' }),
    );
    expect(state.health).toBe('crashed');
    expect(state.error).toMatch(/crashed \(out of memory\)/);
    expect(await state.step()).toBe(false);

    expect(await state.restartWorker()).toBe(true);
    expect(workers).toHaveLength(2);
    expect(workers[0].isTerminated()).toBe(true);
    expect(state.health).toBe('ready');
    expect(state.error).toBeNull();
    expect((await state.exportModel())!.weights).toEqual(before);
    expect(state.dataset).toBe(iris);
    expect(await state.step()).toBe(true);
  });
});

describe('status text and the gradient window', () => {
  const progress = {
    epoch: 120,
    epochs: 500,
    step: 480,
    batchInEpoch: 0,
    batchesPerEpoch: 4,
    fraction: 0.24,
    samplesPerSecond: 0,
    secondsLeft: null,
  };

  it('reads like DESIGN §7', () => {
    expect(
      formatStatus('running', progress, {
        trainLoss: 0.0612,
        testLoss: 0.07,
        testAccuracy: 0.9667,
      }),
    ).toBe('Epoch 120/500 · train loss 0.0612 · test accuracy 96.7%');
    expect(
      formatStatus('paused', progress, { trainLoss: 0.5, testLoss: 0.7, testR2: 0.9531 }),
    ).toBe('Epoch 120/500 · train loss 0.5 · test R² 0.953 · paused');
  });

  it('appends consecutive updates, restarts after a gap, keeps the most recent window', () => {
    const event = (firstUpdate: number, count: number, step: number) =>
      ({
        step,
        gradientNorms: {
          layerIds: ['a', 'b'],
          firstUpdate,
          norms: Array.from({ length: count }, (_, i) => [firstUpdate + i, 0]),
        },
      }) as unknown as TrainingEvent;
    let g = appendGradientNorms({ layerIds: [], firstUpdate: 1, columns: [] }, event(1, 3, 3), 5);
    g = appendGradientNorms(g, event(4, 4, 7), 5);
    expect(g.firstUpdate).toBe(3);
    expect(g.columns.map((c) => c[0])).toEqual([3, 4, 5, 6, 7]);
    g = appendGradientNorms(g, event(20, 2, 21), 5);
    expect(g.firstUpdate).toBe(20);
    expect(g.columns.map((c) => c[0])).toEqual([20, 21]);
  });

  it('joins consecutive history deltas into one that merges like the deltas one by one', () => {
    const delta = (start: number, count: number): HistoryDelta => {
      const entries = emptyHistory();
      for (let i = 0; i < count; i++) {
        entries.epoch.push(start + i + 1);
        entries.trainLoss.push(1 / (start + i + 1));
        entries.testAccuracy.push((start + i) / 100);
      }
      return { start, entries };
    };
    const [a, b, c] = [delta(0, 3), delta(3, 2), delta(5, 4)];
    const oneByOne = mergeHistory(mergeHistory(mergeHistory(emptyHistory(), a)!, b)!, c)!;
    const joined = joinDeltas(joinDeltas(a, b), c);
    expect(joined.start).toBe(0);
    expect(mergeHistory(emptyHistory(), joined)).toEqual(oneByOne);
    const later: History = mergeHistory(emptyHistory(), a)!;
    expect(mergeHistory(later, joinDeltas(b, c))).toEqual(oneByOne);
    expect(oneByOne.epoch).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
