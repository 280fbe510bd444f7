/**
 * The page's TrainingState (runes state) against a real TrainingService behind comlink on an
 * in-process channel: what the panels read after load, training, step, reset, bad input,
 * settings changes checked in one place, and a worker crash followed by a restart that keeps the
 * data and the weights.
 */
import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { TrainingState } from '../../../src/lib/state/training.svelte';
import { GRADIENT_WINDOW } from '../../../src/lib/state/event-batch';
import { createWorkerClient } from '../../../src/lib/worker/client';
import type { History } from '../../../src/lib/engine/types';
import { gradientCheckVerdict } from '../../../src/lib/components/gradients/gradient-check-verdict';
import { IRIS_SETTINGS, IRIS_SPEC, channelWorker, settings } from '../worker/helpers';
import { featureMatrix } from '../../../src/lib/engine/feature-rows';

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
  const state = new TrainingState({
    settings: IRIS_SETTINGS,
    createClient: () => {
      const w = channelWorker();
      workers.push(w);
      return createWorkerClient(w.worker, { intervalMs: 60_000 });
    },
  });
  return { state, workers };
}

describe('TrainingState (page state)', () => {
  it('loads, trains to the end and fills what the panels read', { timeout: 60_000 }, async () => {
    const { state } = sessionOnChannel();
    const keptData = featureMatrix(iris.X).data.slice();
    expect(await state.load(IRIS_SPEC, iris, { settings: settings({ epochs: 60 }) })).toBe(true);
    // The page's dataset is not detached by the transfer (a copy went).
    expect(featureMatrix(iris.X).data).toEqual(keptData);
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
      await state.load(IRIS_SPEC, iris, { settings: settings({ epochs: 4000 }) });
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
    await state.load(IRIS_SPEC, iris, { settings: IRIS_SETTINGS });
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
    expect(gradientCheckVerdict(report!).passed).toBe(true);
    expect(state.gradientCheck).toBe(report);
  });

  it('re-reads the split when the test fraction changes', async () => {
    const { state } = sessionOnChannel();
    await state.load(IRIS_SPEC, iris, { settings: IRIS_SETTINGS });
    expect(await state.configure({ testFraction: 0.4 })).toBe(true);
    expect(state.settings.testFraction).toBe(0.4);
    expect(state.dataInfo!.testRows).toBe(60);
  });

  it('configure merges and checks a change in one place; a refused one shows under its field and is not sent', async () => {
    const { state } = sessionOnChannel();
    const sent = async () => (await state.exportModel())!.settings;
    // Before loading, a change is kept and goes to the worker with the load.
    expect(await state.configure({ optimizer: { learningRate: 0.05 } })).toBe(true);
    await state.load(IRIS_SPEC, iris);
    expect((await sent()).optimizer.learningRate).toBe(0.05);
    expect(await state.configure({ optimizer: { learningRate: 0 }, batchSize: 2.5 })).toBe(false);
    expect(state.settingsErrors).toEqual({
      learningRate: 'Learning rate must be above 0 and at most 1000000.',
      batchSize: 'Batch size must be a whole number.',
    });
    expect(state.settings.optimizer.learningRate).toBe(0.05);
    expect((await sent()).optimizer.learningRate).toBe(0.05);
    // A good value clears its own field's complaint only, and reaches the worker.
    expect(await state.configure({ optimizer: { learningRate: 0.2 } })).toBe(true);
    expect(state.settingsErrors).toEqual({ batchSize: 'Batch size must be a whole number.' });
    expect((await sent()).optimizer.learningRate).toBe(0.2);
    // Another optimizer keeps the learning rate; its own parameters start at their defaults.
    expect(await state.configure({ optimizer: { name: 'adam' } })).toBe(true);
    expect(state.settings.optimizer).toEqual({
      name: 'adam',
      learningRate: 0.2,
      beta1: 0.9,
      beta2: 0.999,
    });
    expect((await sent()).optimizer).toEqual(state.settings.optimizer);
    // Text that is not a number arrives as NaN and is refused.
    expect(await state.configure({ epochs: NaN })).toBe(false);
    expect(state.settingsErrors.epochs).toBe('Epochs must be a number.');
    expect((await sent()).epochs).toBe(IRIS_SETTINGS.epochs);
  });

  it('a failed load keeps what was loaded', async () => {
    const { state } = sessionOnChannel();
    await state.load(IRIS_SPEC, iris, { settings: IRIS_SETTINGS });
    await state.step();
    const bad = { ...IRIS_SPEC, loss: { ...IRIS_SPEC.loss, type: 'mse' as const } };
    const regression = { ...iris, task: 'regression' as const, classes: [] };
    expect(await state.load(bad, regression, { settings: IRIS_SETTINGS })).toBe(false);
    expect(state.error).toMatch(/network outputs 3|targets/);
    expect(state.spec).toBe(IRIS_SPEC);
    expect(await state.step()).toBe(true);
    expect(state.progress.step).toBe(2);
  });

  it('reports a crashed worker and restarts it with the same data, the last weights, optimizer state, epochs and history', async () => {
    const { state, workers } = sessionOnChannel();
    await state.load(IRIS_SPEC, iris, { settings: IRIS_SETTINGS });
    await state.stepEpoch();
    await state.stepEpoch();
    // The backup the page keeps (taken by itself while training; asked for here to be sure).
    await state.packedTrainedState();
    const before = (await state.exportModel())!;
    const optimizerBefore = (await state.trainedState())!.optimizer;
    expect(optimizerBefore?.step).toBe(before.step);
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
    const after = (await state.exportModel())!;
    expect(after.weights).toEqual(before.weights);
    expect(after.epoch).toBe(2);
    expect(after.history).toEqual(before.history);
    // The optimizer's state came back with the weights (steps taken, moments or velocities).
    expect((await state.trainedState())!.optimizer).toEqual(optimizerBefore);
    expect(state.progress.epoch).toBe(2);
    expect(state.history.epoch).toEqual([1, 2]);
    // The restarted worker was given the same data again (the page keeps how to load it).
    const source = state.dataset?.source;
    expect(source?.kind === 'table' ? source.dataset : null).toBe(iris);
    expect(await state.stepEpoch()).toBe(true);
    expect(state.progress.epoch).toBe(3);
    expect(state.history.epoch).toEqual([1, 2, 3]);
  });
});
