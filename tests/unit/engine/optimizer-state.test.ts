import { describe, expect, it } from 'vitest';
import { flatWeightsOf } from '../../../src/lib/engine/flat-weights';
import { createRng } from '../../../src/lib/engine/rng';
import { createOptimizer, type OptimizerState } from '../../../src/lib/engine/optimizers/index';
import {
  DEFAULT_TRAINING,
  OPTIMIZER_NAMES,
  type OptimizerName,
  type TrainingSettings,
} from '../../../src/lib/engine/settings';
import { Trainer, type TrainingData } from '../../../src/lib/engine/trainer';
import { blobs, chainSpec } from './helpers';

const train = blobs(48, 1);
const test = blobs(16, 2);
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

/** Unshuffled, so a trainer resumed at an epoch boundary sees the same batches as the original. */
const settingsFor = (name: OptimizerName): TrainingSettings => ({
  ...DEFAULT_TRAINING,
  optimizer: { name, learningRate: 0.01 },
  batchSize: 8,
  epochs: 10,
  seed: 3,
  shuffle: false,
});

/** A new trainer carrying `original`'s weights and run, and its optimizer state when `withState`. */
function resumed(original: Trainer, name: OptimizerName, withState: boolean): Trainer {
  const next = new Trainer({ spec, data, settings: { ...settingsFor(name), seed: 99 } });
  next.setFlatWeights(flatWeightsOf(original.network));
  next.continueFrom({
    epoch: original.epoch,
    totalSteps: original.totalSteps,
    history: original.history,
  });
  // Through structured clone, as it crosses to the page and IndexedDB.
  if (withState)
    expect(next.importOptimizerState(structuredClone(original.exportOptimizerState()))).toBe(true);
  return next;
}

describe('optimizer state export and import', () => {
  it.each(['adam', 'momentum', 'nesterov', 'rmsprop', 'adagrad'] as const)(
    '%s: a trainer resumed from the exported state takes the same next steps bit for bit',
    (name) => {
      const original = new Trainer({ spec, data, settings: settingsFor(name) });
      original.runEpoch();
      original.runEpoch();
      const state = original.exportOptimizerState();
      expect(state.step).toBe(12);
      const copy = resumed(original, name, true);
      for (let i = 0; i < 9; i++) {
        const a = original.step(),
          b = copy.step();
        expect(b.batchLoss).toBe(a.batchLoss);
      }
      expect(copy.network.parameterArrays).toEqual(original.network.parameterArrays);
      expect(copy.exportOptimizerState()).toEqual(original.exportOptimizerState());
    },
  );

  it.each(['adam', 'momentum'] as const)(
    '%s: without the state the resumed trainer goes elsewhere (what the import prevents)',
    (name) => {
      const original = new Trainer({ spec, data, settings: settingsFor(name) });
      original.runEpoch();
      const fresh = resumed(original, name, false);
      original.step();
      fresh.step();
      const a = original.step(),
        b = fresh.step();
      expect(b.batchLoss).not.toBe(a.batchLoss);
    },
  );

  it('exports the slots of each optimizer with one array per parameter array', () => {
    const t = new Trainer({ spec, data, settings: settingsFor('adam') });
    expect(t.exportOptimizerState()).toEqual({ name: 'adam', step: 0, slots: [] });
    t.step();
    const state = t.exportOptimizerState();
    const lengths = t.network.parameterArrays.map((a) => a.length);
    expect(state.slots.map((s) => s.name).sort()).toEqual(['firstMoment', 'secondMoment']);
    for (const slot of state.slots) expect(slot.arrays.map((a) => a.length)).toEqual(lengths);
    // A copy: stepping on does not change what was exported.
    const before = state.slots[0].arrays[0].slice();
    t.step();
    expect(state.slots[0].arrays[0]).toEqual(before);
  });

  it('each optimizer resumes bit for bit from its exported state (fixed gradients)', () => {
    for (const name of OPTIMIZER_NAMES) {
      const h = { name, learningRate: 0.05 };
      const rng = createRng(5);
      const grads = [0, 1, 2, 3].map(() => [
        Float64Array.from({ length: 6 }, () => rng.normal()),
        Float64Array.from({ length: 3 }, () => rng.normal()),
      ]);
      const a = createOptimizer(h);
      const w = [new Float64Array(6).fill(0.5), new Float64Array(3).fill(-0.25)];
      a.step(w, grads[0]);
      a.step(w, grads[1]);
      const b = createOptimizer(h);
      const v = w.map((x) => x.slice());
      expect(b.importState(structuredClone(a.exportState()), v)).toBe(true);
      for (const g of grads.slice(2)) {
        a.step(w, g);
        b.step(v, g);
      }
      expect(v, name).toEqual(w);
    }
  });

  it('refuses a state that does not fit and keeps its own', () => {
    const t = new Trainer({ spec, data, settings: settingsFor('adam') });
    t.step();
    const good = t.exportOptimizerState();
    const other = new Trainer({ spec, data, settings: settingsFor('momentum') });
    other.step();
    const mine = other.exportOptimizerState();
    const shorter: OptimizerState = {
      ...good,
      slots: good.slots.map((s) => ({ ...s, arrays: s.arrays.slice(1) })),
    };
    const notFinite = structuredClone(good);
    notFinite.slots[0].arrays[0][0] = NaN;
    for (const bad of [good, shorter, notFinite, { name: 'momentum', step: 1.5, slots: [] }, null])
      expect(other.importOptimizerState(bad as OptimizerState)).toBe(false);
    expect(other.exportOptimizerState()).toEqual(mine);
  });
});
