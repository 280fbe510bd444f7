/**
 * The trained state crosses to the page with its history packed in Float64Arrays (cloned as one
 * block, not element by element on the page's main thread), and a run loaded from a packed
 * history goes on exactly as from the plain one.
 */
import { describe, expect, it } from 'vitest';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { packHistory, unpackHistory } from '../../../src/lib/worker/packed-history';
import { TrainingService } from '../../../src/lib/worker/training-service';
import { IRIS_SPEC, copyDataset, settings } from './helpers';

const iris = await loadBuiltinDatasetNode('iris');
const run = settings({ epochs: 12 });

function trained(epochs: number) {
  const session = new TrainingService({ schedule: () => {} });
  session.load({ spec: IRIS_SPEC, dataset: copyDataset(iris), settings: run });
  for (let e = 0; e < epochs; e++) session.stepEpoch();
  return session;
}

describe('packed history', () => {
  it('getTrainedState packs every column of the history, value for value', () => {
    const session = trained(5);
    const state = session.getTrainedState();
    const history = session.getHistory();
    for (const [key, column] of Object.entries(state.history)) {
      expect(column).toBeInstanceOf(Float64Array);
      expect(Array.from(column)).toEqual(history[key as keyof typeof history]);
    }
    expect(unpackHistory(state.history)).toEqual(history);
    expect(unpackHistory(packHistory(history))).toEqual(history);
  });

  it('a run loaded from its packed state goes on as the uninterrupted run does', () => {
    const whole = trained(10);
    const half = trained(5).getTrainedState();
    const resumed = new TrainingService({ schedule: () => {} });
    resumed.load({
      spec: IRIS_SPEC,
      dataset: copyDataset(iris),
      settings: run,
      flatWeights: half.weights,
      previous: half,
    });
    expect(resumed.getHistory()).toEqual(trained(5).getHistory());
    for (let e = 0; e < 5; e++) resumed.stepEpoch();
    expect(resumed.getHistory().epoch).toEqual(whole.getHistory().epoch);
    expect(resumed.getHistory().trainLoss).toHaveLength(10);
  });
});
