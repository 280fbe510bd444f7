/**
 * A run whose weights stay finite but whose evaluation overflows (the Runge template, plain SGD
 * at learning rate 1e3: epoch 7 evaluates to an infinite loss) as the page sees it through the
 * session: it ends 'diverged' with a plain message, every history entry it sent is finite, and
 * the weights kept are those of the last epoch it reported.
 */
import { describe, expect, it } from 'vitest';
import { prepareData } from '../../../src/lib/data/prepare';
import { generateSynthetic } from '../../../src/lib/data/synthetic';
import { createTrainer } from '../../../src/lib/engine/trainer';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import type { TrainingSettings } from '../../../src/lib/engine/settings';
import type { History } from '../../../src/lib/engine/types';
import { TrainingService } from '../../../src/lib/worker/training-service';
import { copyDataset, pageHistory, sessionWithClock, settings, untilStopped } from './helpers';

/** The Runge template's network: 1 -> Dense 16 tanh -> Dense 16 tanh -> Dense 1 -> MSE. */
const RUNGE_TEMPLATE_SPEC: LayerSpec = {
  input: { id: 'x', size: 1 },
  layers: [
    { id: 'd1', type: 'dense', inputs: ['x'], inputSize: 1, units: 16, init: 'auto' },
    { id: 'a1', type: 'activation', inputs: ['d1'], fn: 'tanh', size: 16 },
    { id: 'd2', type: 'dense', inputs: ['a1'], inputSize: 16, units: 16, init: 'auto' },
    { id: 'a2', type: 'activation', inputs: ['d2'], fn: 'tanh', size: 16 },
    { id: 'd3', type: 'dense', inputs: ['a2'], inputSize: 16, units: 1, init: 'auto' },
  ],
  loss: { id: 'l', type: 'mse', inputs: ['d3'] },
};
const SGD_1E3: TrainingSettings = settings({
  optimizer: { name: 'sgd', learningRate: 1e3 },
  batchSize: 16,
  epochs: 300,
  seed: 5,
});
const runge = generateSynthetic('runge');

/** The weights after `epochs` epochs of a trainer on the same split: computed without the session. */
function weightsAfterEpochs(epochs: number) {
  const data = prepareData(runge, { testFraction: 0.2, seed: 5, standardize: true }, 'mse');
  const trainer = createTrainer({ spec: RUNGE_TEMPLATE_SPEC, data, settings: SGD_1E3 });
  for (let e = 0; e < epochs; e++) expect(trainer.runEpoch().diverged).toBeUndefined();
  return trainer.getWeights();
}

const finite = (h: History) => Object.values(h).every((values) => values.every(Number.isFinite));

describe('TrainingService: an evaluation that overflows', () => {
  it('a run stops diverged at epoch 7; the page got only finite epochs and the weights of epoch 6 stay', async () => {
    const { session } = sessionWithClock({ tick: 1 });
    const load = session.load({
      spec: RUNGE_TEMPLATE_SPEC,
      dataset: copyDataset(runge),
      settings: SGD_1E3,
    });
    const stopped = untilStopped(session);
    session.start();
    const events = await stopped;
    const last = events.at(-1)!;
    expect(last.status).toBe('diverged');
    expect(last.message).toMatch(/^Training diverged at epoch 7: /);
    expect(last.message).toMatch(/lower learning rate/i);
    expect(last.epoch).toBe(6);
    const history = pageHistory([load.event.history, ...events.map((e) => e.history)])!;
    expect(history.epoch).toEqual([1, 2, 3, 4, 5, 6]);
    expect(finite(history)).toBe(true);
    expect(history).toEqual(session.getHistory());
    expect(Object.values(last.metrics!).every(Number.isFinite)).toBe(true);
    expect(session.getWeights()).toEqual(weightsAfterEpochs(6));
    // What a model file would save: the weights kept, and their finite metrics (those shown).
    const state = session.getModelState();
    expect(state.metrics).toEqual(last.metrics);
    expect(state.epoch).toBe(6);
    // Nothing runs until a setting changes; a lower learning rate carries on from epoch 6.
    expect(session.start().status).toBe('diverged');
    const lower = { ...SGD_1E3, optimizer: { name: 'sgd' as const, learningRate: 1e-3 } };
    expect(session.configure(lower).status).toBe('paused');
    const next = session.stepEpoch();
    expect(next.status).toBe('paused');
    expect(next.epoch).toBe(7);
    expect(next.message).toBeNull();
    expect(Object.values(next.metrics!).every(Number.isFinite)).toBe(true);
  });

  it('stepping epoch by epoch reports the same: epoch 7 is never shown', () => {
    const session = new TrainingService();
    session.load({ spec: RUNGE_TEMPLATE_SPEC, dataset: copyDataset(runge), settings: SGD_1E3 });
    const epochs: number[] = [];
    let event = session.stepEpoch();
    while (event.status !== 'diverged' && epochs.length < 20) {
      epochs.push(event.epoch);
      event = session.stepEpoch();
    }
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(event.status).toBe('diverged');
    expect(event.epoch).toBe(6);
    expect(event.history.entries.epoch).toEqual([]);
    expect(event.metrics).toEqual(session.getModelState().metrics);
    expect(finite(session.getHistory())).toBe(true);
  });
});
