/**
 * A run whose weights stay finite but whose evaluation overflows (the Runge template, plain SGD
 * at learning rate 1e3: epoch 7 evaluates to an infinite loss) as the page sees it through the
 * service: it ends 'diverged' with the engine's divergence facts, every history entry it sent is
 * finite, and the weights kept are the engine's (the lowest-training-loss epoch's).
 */
import { describe, expect, it } from 'vitest';
import { prepareData } from '../../../src/lib/data/prepare';
import { generateSynthetic } from '../../../src/lib/data/synthetic';
import { Trainer } from '../../../src/lib/engine/trainer';
import { divergenceMessage } from '../../../src/lib/engine/divergence';
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

/** The same run on the same split, by the engine alone: what the page must be told. */
function referenceRun() {
  const data = prepareData(runge, { testFraction: 0.2, seed: 5, standardize: true }, 'mse');
  const trainer = new Trainer({ spec: RUNGE_TEMPLATE_SPEC, data, settings: SGD_1E3 });
  while (trainer.status === 'ready') trainer.runEpoch();
  return trainer;
}

const finite = (h: History) => Object.values(h).every((values) => values.every(Number.isFinite));

describe('TrainingService: a run that diverges (DESIGN §2)', () => {
  it('a run stops diverged; the page gets the engine’s divergence, only finite epochs, and the lowest-loss weights', async () => {
    const reference = referenceRun();
    expect(reference.status).toBe('diverged');
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
    expect(last.divergence).toEqual(reference.divergence);
    expect(divergenceMessage(last.divergence!)).toMatch(/^Training diverged at epoch \d+: /);
    expect(divergenceMessage(last.divergence!)).toMatch(/lower learning rate/i);
    expect(last.epoch).toBe(reference.epoch);
    const history = pageHistory([load.event.history, ...events.map((e) => e.history)])!;
    expect(history).toEqual(session.getHistory());
    expect(history.epoch).toEqual(reference.history.epoch);
    expect(finite(history)).toBe(true);
    expect(session.getWeights()).toEqual(reference.getWeights());
    // The status line reports the restored weights, measured on both splits (not the last epoch's).
    expect(last.metrics).toEqual(reference.evaluate());
    expect(last.metrics!.trainLoss).not.toBe(history.trainLoss.at(-1));
    // Nothing runs until a setting changes; a lower learning rate carries on.
    expect(session.start().status).toBe('diverged');
    const lower = { ...SGD_1E3, optimizer: { name: 'sgd' as const, learningRate: 1e-3 } };
    expect(session.configure(lower).status).not.toBe('diverged');
    const next = session.stepEpoch();
    expect(next.status).toBe('paused');
    expect(next.divergence).toBeNull();
    expect(Object.values(next.metrics!).every(Number.isFinite)).toBe(true);
  });

  it('stepping epoch by epoch reports the same epochs and divergence', () => {
    const reference = referenceRun();
    const session = new TrainingService();
    session.load({ spec: RUNGE_TEMPLATE_SPEC, dataset: copyDataset(runge), settings: SGD_1E3 });
    const epochs: number[] = [];
    let event = session.stepEpoch();
    while (event.status !== 'diverged' && epochs.length < 300) {
      epochs.push(event.epoch);
      event = session.stepEpoch();
    }
    expect(epochs).toEqual(reference.history.epoch);
    expect(event.status).toBe('diverged');
    expect(event.divergence).toEqual(reference.divergence);
    expect(finite(session.getHistory())).toBe(true);
  });
});
