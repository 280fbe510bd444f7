/**
 * The one build step of the worker: checked settings, the data split and scaled with the seed
 * (prepareData), and a trainer over it. Used by load, by a settings change that re-splits the
 * data, and by a reset with a new seed.
 */
import { checkedSettings, type TrainingSettings } from '../engine/settings';
import type { LayerSpec } from '../engine/spec';
import { Trainer } from '../engine/trainer';
import type { WeightsJson } from '../engine/types';
import { prepareData } from '../data/prepare';
import type { Dataset, PreparedData } from '../data/types';

/** What the worker trains: the network, its raw and prepared data, and the trainer. */
export interface Training {
  spec: LayerSpec;
  dataset: Dataset;
  prepared: PreparedData;
  trainer: Trainer;
  /** The seed the data was split with. */
  splitSeed: number;
}

/**
 * Build everything for `spec` on `dataset`; throws a plain Error (bad settings, data that does not
 * fit the network, bad weights) before anything is kept, so a failure leaves the caller's state.
 */
export function buildTraining(
  spec: LayerSpec,
  dataset: Dataset,
  wanted: TrainingSettings,
  weights?: WeightsJson | null,
): Training {
  const settings = checkedSettings(wanted);
  const prepared = prepareData(
    dataset,
    { testFraction: settings.testFraction, seed: settings.seed, standardize: settings.standardize },
    spec.loss.type,
  );
  const trainer = new Trainer({
    spec,
    data: prepared,
    settings,
    initialWeights: weights ?? undefined,
  });
  return { spec, dataset, prepared, trainer, splitSeed: settings.seed };
}
