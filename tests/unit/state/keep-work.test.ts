/**
 * The page's side of keeping the user's work (issue 10), with a real GraphState, Workbench and
 * TrainingService behind comlink on an in-process channel: edits say what they kept, Undo brings
 * the trained state back, the trained state is saved (an in-memory store holding structured
 * clones, as IndexedDB does) and restored by the next page with a notice, an uploaded file comes
 * back, and what is read from the store is checked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { packTrainedState, unpackTrainedState } from '../../../src/lib/worker/trained-state-pack';
import { packHistory } from '../../../src/lib/worker/packed-history';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { GraphState } from '../../../src/lib/state/graph.svelte';
import { Workbench } from '../../../src/lib/state/workbench.svelte';
import { storeTable } from '../../../src/lib/state/worker-datasets';
import { csvToDataset } from '../../../src/lib/data/index';
import {
  keyValueTrainingStore,
  memoryTrainingStore,
  checkedTrainedState,
  readSavedTraining,
  savedState,
  type TrainingStore,
} from '../../../src/lib/state/training-store';
import { createWorkerClient } from '../../../src/lib/worker/client';
import { DataService } from '../../../src/lib/worker/data-service';
import { channelWorker } from '../worker/helpers';
import { MemoryStorage } from './memory-storage';

let open: Workbench[] = [];
afterEach(() => {
  for (const w of open) w.dispose();
  open = [];
});

async function until(workbench: Workbench, condition: () => boolean, what: string, ms = 20_000) {
  const end = Date.now() + ms;
  for (;;) {
    workbench.follow();
    if (condition()) return;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function page(store: TrainingStore, storage = new MemoryStorage()) {
  const graph = new GraphState({ storage: null });
  const workbench = new Workbench(graph, {
    storage,
    trainingStore: store,
    loadChoice: (choice) =>
      choice.source === 'builtin'
        ? loadBuiltinDatasetNode(choice.name)
        : choice.file
            .text()
            .then(
              (text) =>
                csvToDataset(text, { name: choice.fileName, target: choice.options.target })
                  .dataset,
            ),
    createClient: () =>
      createWorkerClient(channelWorker(new DataService()).worker, { intervalMs: 60_000 }),
  });
  open.push(workbench);
  return { graph, workbench, training: workbench.training, storage };
}

async function trainedIris(store = memoryTrainingStore()) {
  const p = page(store);
  p.graph.loadTemplate('iris');
  await until(p.workbench, () => p.training.loaded && p.workbench.dataset?.name === 'iris', 'iris');
  await p.workbench.settled();
  for (let i = 0; i < 3; i++) await p.training.stepEpoch();
  return p;
}

describe('edits on the page keep the trained work', () => {
  it(
    'an initializer change keeps weights and accuracy; a units change says what it dropped; Undo brings it back',
    { timeout: 60_000 },
    async () => {
      const { graph, workbench, training } = await trainedIris();
      const trained = (await training.exportModel())!;
      expect(training.progress.epoch).toBe(3);

      graph.updateParams('n2', { init: 'he' });
      await until(workbench, () => workbench.keptWork !== null, 'the initializer note');
      await workbench.settled();
      expect(workbench.keptWork?.title).toBe('Trained weights kept.');
      expect(workbench.keptWork?.text).toMatch(/next Reset/);
      const kept = (await training.exportModel())!;
      expect(kept.weights).toEqual(trained.weights);
      expect(kept.metrics).toEqual(trained.metrics);
      expect(training.progress.epoch).toBe(3);
      expect(training.history.epoch).toEqual([1, 2, 3]);

      graph.updateParams('n2', { units: 6 });
      await until(workbench, () => workbench.keptWork?.undo === true, 'the dropped note');
      await workbench.settled();
      expect(workbench.keptWork?.text).toMatch(
        /^n2, n4 changed shape .* no layer kept its weights/,
      );
      expect(training.progress.epoch).toBe(0);
      expect(training.history.epoch).toEqual([]);

      graph.undo();
      await until(workbench, () => workbench.keptWork?.title === 'Training back.', 'the undo');
      await workbench.settled();
      const back = (await training.exportModel())!;
      expect(back.weights).toEqual(trained.weights);
      expect(back.history).toEqual(trained.history);
      expect(training.progress.epoch).toBe(3);
      expect(training.history.epoch).toEqual([1, 2, 3]);
    },
  );

  it(
    'a network too large for memory is refused in words and blocks training; undo lifts it',
    { timeout: 60_000 },
    async () => {
      const { graph, workbench, training } = await trainedIris();
      // 100,000 rows: evaluating both splits keeps every layer's output for every row.
      const rows = 100_000;
      const big = {
        name: 'big.csv',
        features: ['a', 'b', 'c', 'd'],
        target: 'y',
        task: 'classification' as const,
        classes: ['p', 'q', 'r'],
        X: {
          rows,
          cols: 4,
          data: Float64Array.from({ length: rows * 4 }, (_, i) => (i * 7919) % 13),
        },
        y: Float64Array.from({ length: rows }, (_, i) => i % 3),
      };
      const stored = await storeTable(training.ensureWorkerClient(), big);
      await workbench.chooseDataset(
        { source: 'upload', fileName: 'big.csv', file: new Blob(['']), options: { target: 'y' } },
        stored,
      );
      await until(workbench, () => training.loaded && training.dataset === stored, 'the big data');
      await workbench.settled();
      graph.updateParams('n2', { units: 1000 });
      await until(workbench, () => workbench.networkProblem !== null, 'the refusal');
      expect(workbench.networkProblem).toMatch(
        /^This network is too large to train here: Dense 1000 needs ~\d+\.\d KB for the weights, gradients and \w+'s state of its 8,003 weights and biases, and ~1\.\d GB more for checkpoints and activations; the limit here is 1\.0 GB .*One epoch would take/,
      );
      expect(training.error).toBeNull();
      // The worker kept the network before the refused edit, and training is blocked meanwhile.
      expect(training.spec?.layers[0]).toMatchObject({ units: 5 });
      graph.undo();
      await until(workbench, () => workbench.networkProblem === null, 'the undo');
      await workbench.settled();
      expect(await training.step()).toBe(true);
    },
  );
});

describe('the trained state survives a reload', () => {
  it('is saved and restored by the next page with a notice', { timeout: 60_000 }, async () => {
    const store = memoryTrainingStore();
    const first = await trainedIris(store);
    const trained = (await first.training.exportModel())!;
    const trainedOptimizer = (await first.training.trainedState())!.optimizer;
    expect(trainedOptimizer?.step).toBe(trained.step);
    await first.workbench.saveTraining();
    expect(first.workbench.unsavedTraining).toBe(false);
    first.workbench.dispose();

    const second = page(store, first.storage);
    second.graph.loadTemplate('iris');
    await until(second.workbench, () => second.workbench.keptWork !== null, 'the restore');
    expect(second.workbench.keptWork?.text).toBe(
      'Restored your training: epoch 3 of 200, with its weights, optimizer state and history.',
    );
    const restored = (await second.training.exportModel())!;
    expect(restored.weights).toEqual(trained.weights);
    expect(restored.history).toEqual(trained.history);
    expect((await second.training.trainedState())!.optimizer).toEqual(trainedOptimizer);
    expect(second.training.progress.epoch).toBe(3);
    await second.training.stepEpoch();
    expect(second.training.progress.epoch).toBe(4);
    expect(second.workbench.unsavedTraining).toBe(true);
  });

  it(
    'a different network on reload starts afresh and leaves the saved run alone',
    { timeout: 60_000 },
    async () => {
      const store = memoryTrainingStore();
      const first = await trainedIris(store);
      await first.workbench.saveTraining();
      first.workbench.dispose();
      const second = page(store, first.storage);
      second.graph.loadTemplate('xor');
      await until(
        second.workbench,
        () => second.training.loaded && second.workbench.dataset?.name === 'xor',
        'xor',
      );
      await second.workbench.settled();
      expect(second.training.progress.epoch).toBe(0);
      expect(second.workbench.keptWork).toBeNull();
      expect((await store.loadTraining())?.epoch).toBe(3);
    },
  );

  it('an uploaded file comes back after a reload', { timeout: 60_000 }, async () => {
    const store = memoryTrainingStore();
    const first = page(store);
    await until(first.workbench, () => first.workbench.dataset?.name === 'iris', 'iris');
    const choice = {
      source: 'upload' as const,
      fileName: 'line.csv',
      file: new Blob(['x,y\n1,2\n2,4\n3,6\n4,8\n']),
      options: { target: 'y' },
    };
    await first.workbench.chooseDataset(choice);
    expect(first.workbench.dataset?.name).toBe('line.csv');
    await new Promise((r) => setTimeout(r, 10));
    first.workbench.dispose();
    const second = page(store, first.storage);
    await until(
      second.workbench,
      () => second.workbench.dataset?.name === 'line.csv',
      'the upload',
    );
    expect(second.workbench.choice).toEqual(choice);
  });

  it('what is read from the store is checked: anything malformed reads as nothing', async () => {
    const goodState = {
      epoch: 1,
      totalSteps: 4,
      weights: new Map([
        ['d', { rows: 1, cols: 1, W: new Float64Array(1), b: new Float64Array(1) }],
      ]),
      history: {
        epoch: [1],
        trainLoss: [1],
        testLoss: [1],
        trainAccuracy: [],
        testAccuracy: [],
        trainR2: [],
        testR2: [],
      },
    };
    const good = {
      version: 2,
      specJson: '{}',
      datasetKey: 'iris',
      savedAt: 0,
      epoch: 1,
      totalSteps: 4,
      packed: packTrainedState({
        ...goodState,
        history: packHistory(goodState.history),
        optimizer: null,
      }),
      state: goodState,
    };
    expect(readSavedTraining(good)).not.toBeNull();
    // The packed state reads back whole, its history packed (Float64Array columns).
    const unpacked = await savedState(readSavedTraining(good)!);
    expect(unpacked?.weights.get('d')?.W).toEqual(new Float64Array(1));
    expect(unpacked?.history.trainLoss).toEqual(Float64Array.of(1));
    expect(unpacked?.history.epoch).toEqual(Float64Array.of(1));
    // A NaN in the history (a diverged epoch's test loss) comes back as NaN, not as a reason to
    // drop the run.
    const withNaN = packHistory({ ...goodState.history, testLoss: [Number.NaN] });
    const nanBytes = await packTrainedState({
      ...goodState,
      history: withNaN,
      optimizer: null,
    }).arrayBuffer();
    expect(Number.isNaN(unpackTrainedState(nanBytes)?.history.testLoss[0])).toBe(true);
    const bytes = await good.packed.arrayBuffer();
    expect(unpackTrainedState(bytes.slice(0, bytes.byteLength - 8))).toBeNull();
    expect(unpackTrainedState(new ArrayBuffer(3))).toBeNull();
    expect(unpackTrainedState(new TextEncoder().encode('garbage!').buffer)).toBeNull();
    expect(readSavedTraining({ ...good, packed: 'x' })).toBeNull();
    expect(readSavedTraining({ ...good, totalSteps: -1 })).toBeNull();
    // The first format (version 1: the state's arrays in the value) is read once and packed into
    // the current one, so an upgrade loses no run.
    const first = { version: 1, specJson: '{}', datasetKey: 'iris', savedAt: 0, state: goodState };
    const migrated = readSavedTraining(first);
    expect(migrated?.version).toBe(2);
    const migratedState = await savedState(migrated!);
    expect(migratedState?.history.trainLoss).toEqual(Float64Array.of(1));
    expect(migratedState?.weights.get('d')?.b).toEqual(new Float64Array(1));
    expect(readSavedTraining({ ...first, state: { ...goodState, epoch: 2 } })).toBeNull();
    const readSavedState = (v: { state: unknown }) => checkedTrainedState(v.state);
    expect(readSavedTraining(null)).toBeNull();
    expect(readSavedTraining('x')).toBeNull();
    expect(readSavedTraining({ ...good, version: 3 })).toBeNull();
    expect(readSavedState({ ...good, state: { ...good.state, epoch: 2 } })).toBeNull();
    expect(readSavedState({ ...good, state: { ...good.state, weights: {} } })).toBeNull();
    expect(
      readSavedState({
        ...good,
        state: { ...good.state, weights: new Map([['d', { W: [0], b: [0] }]]) },
      }),
    ).toBeNull();
    expect(
      readSavedState({
        ...good,
        state: { ...good.state, history: { ...good.state.history, trainLoss: ['a'] } },
      }),
    ).toBeNull();
    // The optimizer state: kept when in shape, otherwise the run is kept without it (null).
    const adam = {
      name: 'adam',
      step: 4,
      slots: [{ name: 'firstMoment', arrays: [new Float64Array(1), new Float64Array(1)] }],
    };
    const withState = (optimizer: unknown) =>
      readSavedState({ ...good, state: { ...good.state, optimizer } })?.optimizer;
    expect(withState(adam)).toEqual(adam);
    expect(withState(undefined)).toBeNull();
    expect(withState({ ...adam, step: -1 })).toBeNull();
    expect(withState({ ...adam, slots: [{ name: 'm', arrays: [[0]] }] })).toBeNull();
  });

  it('a stored upload is read back only with its file and options in shape', async () => {
    const uploadRead = (value: unknown) =>
      keyValueTrainingStore({
        get: async () => value,
        set: async () => undefined,
        del: async () => undefined,
      }).loadUpload();
    const good = {
      source: 'upload',
      fileName: 'a.csv',
      file: new Blob(['x,y\n1,2\n']),
      options: { target: 'y', kinds: [['x', 'numeric']] },
    };
    expect(await uploadRead(good)).toBe(good);
    expect(await uploadRead(null)).toBeNull();
    // The text of an older save (before the file was kept as a Blob) is not an upload now.
    expect(
      await uploadRead({ source: 'upload', fileName: 'a.csv', text: 'x,y', target: 'y' }),
    ).toBeNull();
    expect(await uploadRead({ ...good, file: 'x,y\n1,2\n' })).toBeNull();
    expect(await uploadRead({ ...good, options: { target: 3 } })).toBeNull();
    expect(await uploadRead({ ...good, options: { target: 'y', kinds: [['x']] } })).toBeNull();
    expect(await uploadRead({ ...good, source: 'builtin' })).toBeNull();
  });
});
