/**
 * Keeping the user's trained work in the worker (issue 10): an edit that keeps every layer's
 * shape keeps the weights and history; a shape change drops only the layers it touches (they are
 * drawn from the seed as a fresh network would draw them); undo brings back the earlier network's
 * training whole (the run then goes on bit for bit as if never edited); a too-large network is
 * refused in words with the estimate; a previous run (import, restart, reload) continues the
 * epoch count and history.
 */
import { describe, expect, it } from 'vitest';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { prepareData } from '../../../src/lib/data/prepare';
import { Trainer } from '../../../src/lib/engine/trainer';
import type { DenseSpec, LayerSpec } from '../../../src/lib/engine/spec';
import type { Dataset } from '../../../src/lib/data/types';
import type { TrainingSettings } from '../../../src/lib/engine/settings';
import { TrainingService } from '../../../src/lib/worker/training-service';
import { unpackTrainedState } from '../../../src/lib/worker/trained-state-pack';
import {
  MEMORY_LIMIT_BYTES,
  estimateSize,
  sizeRefusal,
} from '../../../src/lib/worker/size-estimate';
import { copyDataset, settings } from './helpers';

const iris = await loadBuiltinDatasetNode('iris');

/** Input 4 → d1 (8) → relu → d2 (6) → relu → d3 (3) → cross-entropy. */
function spec(d2Units = 6, overrides: { d1Init?: DenseSpec['init']; fn?: 'relu' | 'tanh' } = {}) {
  const s: LayerSpec = {
    input: { id: 'x', size: 4 },
    layers: [
      {
        id: 'd1',
        type: 'dense',
        inputs: ['x'],
        inputSize: 4,
        units: 8,
        init: overrides.d1Init ?? 'auto',
      },
      { id: 'a1', type: 'activation', inputs: ['d1'], fn: overrides.fn ?? 'relu', size: 8 },
      { id: 'd2', type: 'dense', inputs: ['a1'], inputSize: 8, units: d2Units, init: 'auto' },
      { id: 'a2', type: 'activation', inputs: ['d2'], fn: 'relu', size: d2Units },
      { id: 'd3', type: 'dense', inputs: ['a2'], inputSize: d2Units, units: 3, init: 'auto' },
      { id: 'a3', type: 'activation', inputs: ['d3'], fn: 'softmax', size: 3 },
    ],
    loss: { id: 'l', type: 'cross_entropy', inputs: ['a3'] },
  };
  return s;
}

const SETTINGS: TrainingSettings = settings({
  optimizer: { name: 'adam', learningRate: 0.01 },
  batchSize: 16,
  epochs: 50,
  seed: 7,
});

function loaded(s = spec(), dataset: Dataset = iris): TrainingService {
  const service = new TrainingService();
  service.load({ spec: s, dataset: copyDataset(dataset), settings: SETTINGS });
  return service;
}

/** The weights a freshly built trainer of `s` starts from (the seed's draw). */
function freshWeights(s: LayerSpec) {
  const prepared = prepareData(
    copyDataset(iris),
    { testFraction: SETTINGS.testFraction, seed: SETTINGS.seed, standardize: SETTINGS.standardize },
    'cross_entropy',
  );
  return new Trainer({ spec: s, data: prepared, settings: SETTINGS }).getWeights();
}

function epochs(service: TrainingService, n: number) {
  for (let i = 0; i < n; i++) service.stepEpoch();
}

describe('edits keep what they can', () => {
  it('an initializer change keeps the trained weights, optimizer state and history; Reset uses the new initializer', () => {
    const service = loaded();
    epochs(service, 3);
    const before = service.getModelState();
    const result = service.respec(spec(6, { d1Init: 'he' }));
    expect(result.kind).toBe('initializer');
    expect(result.dropped).toEqual([]);
    const after = service.getModelState();
    expect(after.weights).toEqual(before.weights);
    expect(after.history).toEqual(before.history);
    expect(result.event.epoch).toBe(3);
    expect(after.metrics).toEqual(before.metrics);

    // The same trainer goes on: one more epoch equals a service that was never edited.
    const control = loaded();
    epochs(control, 4);
    epochs(service, 1);
    expect(service.getWeights()).toEqual(control.getWeights());

    // Reset draws the new initializer (as a fresh network of the new spec does).
    service.reset();
    expect(service.getWeights()).toEqual(freshWeights(spec(6, { d1Init: 'he' })));
  });

  it('an activation change keeps every layer (same shapes): weights, epochs and history go on', () => {
    const service = loaded();
    epochs(service, 2);
    const before = service.getModelState();
    const result = service.respec(spec(6, { fn: 'tanh' }));
    expect(result.kind).toBe('kept');
    expect(result.kept).toEqual(['d1', 'd2', 'd3']);
    expect(service.getWeights()).toEqual(before.weights);
    expect(result.event.epoch).toBe(2);
    expect(service.getHistory()).toEqual(before.history);
    service.stepEpoch();
    expect(service.getHistory().epoch).toEqual([1, 2, 3]);
  });

  it('a units change drops only the layers whose shape changed; the others keep their weights', () => {
    const service = loaded();
    epochs(service, 3);
    const trained = service.getWeights();
    const result = service.respec(spec(5));
    expect(result.kind).toBe('changed');
    expect(result.kept).toEqual(['d1']);
    expect(result.dropped.sort()).toEqual(['d2', 'd3']);
    const now = service.getWeights();
    const fresh = freshWeights(spec(5));
    expect(now.d1).toEqual(trained.d1);
    expect(now.d1).not.toEqual(fresh.d1);
    // The dropped layers are what a fresh network of the new spec draws from the seed.
    expect(now.d2).toEqual(fresh.d2);
    expect(now.d3).toEqual(fresh.d3);
    expect(result.event.epoch).toBe(0);
    expect(result.event.history.entries.epoch).toEqual([]);
    expect(service.getDataInfo().trainRows).toBe(120);
  });

  it('undo brings back the weights, history and optimizer state: the run goes on as if never edited', () => {
    const service = loaded();
    epochs(service, 2);
    const before = service.getModelState();
    service.respec(spec(5));
    epochs(service, 1);
    const back = service.respec(spec());
    expect(back.kind).toBe('restored');
    expect(back.event.epoch).toBe(2);
    expect(back.event.history.start).toBe(0);
    expect(back.event.history.entries).toEqual(before.history);
    expect(service.getWeights()).toEqual(before.weights);
    // Adam's moments and the batch order came back too: one more epoch is bit-identical.
    const control = loaded();
    epochs(control, 3);
    epochs(service, 1);
    expect(service.getWeights()).toEqual(control.getWeights());
    // Redo brings the edited network's own training back (1 epoch).
    const redo = service.respec(spec(5));
    expect(redo.kind).toBe('restored');
    expect(redo.event.epoch).toBe(1);
  });

  it('a new load forgets the networks kept for undo', () => {
    const service = loaded();
    epochs(service, 1);
    service.respec(spec(5));
    service.load({ spec: spec(5), dataset: copyDataset(iris), settings: SETTINGS });
    expect(service.respec(spec()).kind).toBe('changed');
  });
});

describe('a network too large is refused before it is built', () => {
  function wide(layers: number, units: number): LayerSpec {
    const items: LayerSpec['layers'] = [];
    let prev = 'x',
      size = 4;
    for (let i = 0; i < layers; i++) {
      items.push({
        id: `d${i}`,
        type: 'dense',
        inputs: [prev],
        inputSize: size,
        units,
        init: 'auto',
      });
      items.push({ id: `a${i}`, type: 'activation', inputs: [`d${i}`], fn: 'relu', size: units });
      prev = `a${i}`;
      size = units;
    }
    items.push({
      id: 'out',
      type: 'dense',
      inputs: [prev],
      inputSize: size,
      units: 3,
      init: 'auto',
    });
    items.push({ id: 'sm', type: 'activation', inputs: ['out'], fn: 'softmax', size: 3 });
    return {
      input: { id: 'x', size: 4 },
      layers: items,
      loss: { id: 'l', type: 'cross_entropy', inputs: ['sm'] },
    };
  }

  it('estimates weights, optimizer state and activations by hand count', () => {
    const s = spec();
    const parameters = 4 * 8 + 8 + 8 * 6 + 6 + 6 * 3 + 3;
    const e = estimateSize(s, { optimizer: 'adam', batchSize: 16, trainRows: 120, testRows: 30 });
    expect(e.parameters).toBe(parameters);
    // weights + gradients + before-step copy + 3 snapshots + adam's 2 moments = 8 copies.
    expect(e.parameterBytes).toBe(8 * 8 * parameters);
    const widths = 8 + 8 + 6 + 6 + 3 + 3;
    expect(e.activationBytes).toBe(8 * widths * (2 * 16 + 120 + 30));
    expect(sizeRefusal(s, e, 1e9, 'adam')).toBeNull();
    expect(
      estimateSize(s, { optimizer: 'sgd', batchSize: 16, trainRows: 120, testRows: 30 })
        .parameterBytes,
    ).toBe(6 * 8 * parameters);
  });

  it('12 × Dense 4096 is refused in words with the estimate; nothing is allocated and the old network stays', () => {
    const huge = wide(12, 4096);
    const e = estimateSize(huge, {
      optimizer: 'adam',
      batchSize: 16,
      trainRows: 120,
      testRows: 30,
    });
    expect(e.totalBytes).toBeGreaterThan(MEMORY_LIMIT_BYTES);
    const fresh = new TrainingService();
    expect(() =>
      fresh.load({ spec: huge, dataset: copyDataset(iris), settings: SETTINGS }),
    ).toThrow(
      /too large to train here: 12 × Dense 4096 needs ~5\.5 GB for the weights, gradients and Adam's state of its 184,6\d\d,\d\d\d weights and biases, and ~\d+\.\d GB more .*; the limit here is 1\.0 GB/,
    );

    const service = loaded();
    epochs(service, 1);
    const before = service.getWeights();
    expect(() => service.respec(huge)).toThrow(/12 × Dense 4096/);
    expect(service.getWeights()).toEqual(before);
    expect(service.stepEpoch().epoch).toBe(2);
  });

  it('a build says what it is doing as it goes (what the page counts as a sign of life)', () => {
    const said: string[] = [];
    const service = new TrainingService({ progress: (text) => said.push(text) });
    const trained = loaded();
    epochs(trained, 1);
    const state = trained.getTrainedState();
    service.load({
      spec: wide(2, 256),
      dataset: copyDataset(iris),
      settings: SETTINGS,
    });
    // 4 → 256 → 256 → 3: 5·256 + 257·256 + 257·3 = 67,843 weights and biases.
    expect(said).toEqual([
      'Preparing the data: 150 rows',
      expect.stringMatching(
        /^Building the network: 2 × Dense 256, 67,843 weights and biases \(~\d+\.\d MB\)$/,
      ),
    ]);
    said.length = 0;
    service.load({
      spec: spec(),
      dataset: copyDataset(iris),
      settings: SETTINGS,
      flatWeights: state.weights,
      previous: state,
    });
    expect(said.at(-1)).toBe('Restoring the trained weights');
    said.length = 0;
    service.respec(spec(5));
    // An edit keeps the prepared data: the network is built again with the weights it keeps.
    expect(said).toEqual([
      expect.stringMatching(/^Building the network: Dense 8, /),
      'Restoring the trained weights',
    ]);
  });

  it('a network under the limit is built', () => {
    const s = wide(2, 256);
    const e = estimateSize(s, { optimizer: 'adam', batchSize: 16, trainRows: 120, testRows: 30 });
    expect(e.totalBytes).toBeLessThan(MEMORY_LIMIT_BYTES);
    expect(() => loaded(s)).not.toThrow();
  });
});

describe('counters continue a previous run', () => {
  it('an imported 30-epoch model reads epoch 30/30 (done); raising Epochs trains on with one count', () => {
    const source = loaded();
    epochs(source, 30);
    const file = source.getModelState();
    const service = new TrainingService();
    const { event } = service.load({
      spec: spec(),
      dataset: copyDataset(iris),
      settings: { ...SETTINGS, epochs: 30 },
      weights: file.weights,
      previous: { epoch: 30, totalSteps: 0, history: file.history },
    });
    expect(event.epoch).toBe(30);
    expect(event.epochs).toBe(30);
    expect(event.status).toBe('done');
    expect(event.history.entries.epoch).toHaveLength(30);
    expect(service.start().status).toBe('done');

    service.configure({ ...SETTINGS, epochs: 40 });
    const next = service.stepEpoch();
    expect(next.epoch).toBe(31);
    expect(next.epochs).toBe(40);
    const history = service.getHistory();
    expect(history.epoch).toHaveLength(31);
    expect(history.epoch.at(-1)).toBe(31);
    expect(history.trainLoss.slice(0, 30)).toEqual(file.history.trainLoss);
  });

  it('getTrainedState hands out typed arrays that restore weights, epochs and history in a new worker', () => {
    const service = loaded();
    epochs(service, 4);
    const state = service.getTrainedState();
    const d1 = state.weights.get('d1')!;
    expect(d1.W).toBeInstanceOf(Float64Array);
    expect([d1.rows, d1.cols, d1.W.length, d1.b.length]).toEqual([4, 8, 32, 8]);
    const restarted = new TrainingService();
    const { event } = restarted.load({
      spec: spec(),
      dataset: copyDataset(iris),
      settings: SETTINGS,
      flatWeights: state.weights,
      previous: state,
    });
    expect(event.epoch).toBe(4);
    expect(restarted.getWeights()).toEqual(service.getWeights());
    expect(restarted.getHistory()).toEqual(service.getHistory());
  });

  it('the trained state carries the optimizer state: a restarted worker takes the same next epochs', async () => {
    // Unshuffled: the batch order after a restart is the original's (the shuffle is not kept).
    const unshuffled = { ...SETTINGS, shuffle: false };
    const start = () => {
      const service = new TrainingService();
      service.load({ spec: spec(), dataset: copyDataset(iris), settings: unshuffled });
      return service;
    };
    const service = start();
    epochs(service, 3);
    // As it crosses to the page and into IndexedDB: a structured clone.
    const state = structuredClone(service.getTrainedState());
    expect(state.optimizer?.name).toBe('adam');
    expect(state.optimizer?.step).toBe(service.getModelState().step);
    for (const slot of state.optimizer!.slots)
      for (const a of slot.arrays) expect(a).toBeInstanceOf(Float64Array);
    const restart = (withOptimizer: boolean) => {
      const restarted = new TrainingService();
      restarted.load({
        spec: spec(),
        dataset: copyDataset(iris),
        settings: unshuffled,
        flatWeights: state.weights,
        previous: state,
        optimizerState: withOptimizer ? state.optimizer : null,
      });
      epochs(restarted, 2);
      return restarted.getWeights();
    };
    // Packed by the worker for IndexedDB, it reads back the same.
    const packed = service.packTrainedState();
    expect([packed.epoch, packed.totalSteps]).toEqual([state.epoch, state.totalSteps]);
    const unpacked = unpackTrainedState(await packed.packed.arrayBuffer());
    expect(unpacked?.weights).toEqual(state.weights);
    expect(unpacked?.optimizer).toEqual(state.optimizer);
    expect(unpacked?.history).toEqual(state.history);
    epochs(service, 2);
    expect(restart(true)).toEqual(service.getWeights());
    expect(restart(false)).not.toEqual(service.getWeights());
  });

  it('refuses weights of the wrong shape or a previous run whose history disagrees, changing nothing', () => {
    const service = loaded();
    const state = service.getTrainedState();
    state.weights.get('d1')!.W[0] = NaN;
    expect(() =>
      service.load({
        spec: spec(),
        dataset: copyDataset(iris),
        settings: SETTINGS,
        flatWeights: state.weights,
      }),
    ).toThrow(/not a finite number/);
    const good = loaded().getTrainedState();
    expect(() =>
      service.load({
        spec: spec(),
        dataset: copyDataset(iris),
        settings: SETTINGS,
        flatWeights: good.weights,
        previous: { epoch: 3, totalSteps: 10, history: good.history },
      }),
    ).toThrow(/3 epochs but its history has 0/);
  });
});
