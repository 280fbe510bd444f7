/**
 * The one build step of the worker: checked settings, the data split and scaled with the seed
 * (prepareData), the size check (size-estimate.ts: a network that cannot run is refused in words
 * before anything is allocated), and a trainer over it, from starting weights and a previous run
 * when given. Used by load, respec (an edit), a settings change that re-splits the data, and a
 * reset with a new seed.
 */
import { checkedSettings, type TrainingSettings } from '../engine/settings';
import type { LayerSpec } from '../engine/spec';
import { Trainer } from '../engine/trainer';
import type { WeightsJson } from '../engine/types';
import type { FlatWeights } from '../engine/flat-weights';
import type { OptimizerState } from '../engine/optimizers/index';
import { prepareData } from '../data/prepare';
import type { Dataset, PreparedData, Standardization } from '../data/types';
import type { PreviousRun } from './api';
import {
  describeDenseLayers,
  estimateSize,
  formatBytes,
  measureSpeed,
  sizeRefusal,
} from './size-estimate';

/** What the worker trains: the network, its raw and prepared data, and the trainer. */
export interface Training {
  spec: LayerSpec;
  dataset: Dataset;
  prepared: PreparedData;
  trainer: Trainer;
  /** The seed the data was split with. */
  splitSeed: number;
  /** Set when `spec` changed only in initializers: Reset builds the network from `spec` again. */
  rebuildAtReset?: boolean;
}

export interface BuildStart {
  /** Starting weights as JSON (an imported model file). */
  weights?: WeightsJson | null;
  /** Starting weights as typed arrays; with `partial`, only the layers given (others from the seed). */
  flatWeights?: FlatWeights | null;
  partial?: boolean;
  /** The run these weights come from: its epochs, updates and history continue. */
  previous?: PreviousRun | null;
  /** That run's optimizer state (with flatWeights): taken over when it fits, else afresh. */
  optimizerState?: OptimizerState | null;
  /** Data already prepared with these settings (an edit keeps the split): skips prepareData. */
  prepared?: PreparedData;
  /** A trained model's class order (its output columns; the data may hold fewer classes). */
  classes?: readonly string[] | null;
  /** A trained model's input scaling, used as given instead of fitted on the split. */
  standardization?: Standardization | null;
  /** Told each phase as it starts, in words (the worker posts it to the page: progress.ts). */
  progress?: (text: string) => void;
}

/**
 * Build everything for `spec` on `dataset`; throws a plain Error (bad settings, data that does not
 * fit the network, a network too large, bad weights) before anything is kept, so a failure leaves
 * the caller's state.
 */
export function buildTraining(
  spec: LayerSpec,
  dataset: Dataset,
  wanted: TrainingSettings,
  start: BuildStart = {},
): Training {
  const settings = checkedSettings(wanted);
  const progress = start.progress ?? (() => undefined);
  if (!start.prepared)
    progress(`Preparing the data: ${dataset.X.rows.toLocaleString('en-US')} rows`);
  const prepared =
    start.prepared ??
    prepareData(
      dataset,
      {
        testFraction: settings.testFraction,
        seed: settings.seed,
        standardize: settings.standardize,
        ...(start.classes ? { classes: start.classes } : {}),
        ...(start.standardization ? { standardization: start.standardization } : {}),
      },
      spec.loss.type,
    );
  const estimate = estimateSize(spec, {
    optimizer: settings.optimizer.name,
    batchSize: settings.batchSize,
    trainRows: prepared.xTrain.rows,
    testRows: prepared.xTest.rows,
  });
  const refusal = sizeRefusal(spec, estimate, measureSpeed(), settings.optimizer.name);
  if (refusal) throw new Error(refusal);
  progress(
    `Building the network: ${describeDenseLayers(spec)}, ` +
      `${estimate.parameters.toLocaleString('en-US')} weights and biases (~${formatBytes(estimate.totalBytes)})`,
  );
  const trainer = new Trainer({
    spec,
    data: prepared,
    settings,
    initialWeights: start.weights ?? undefined,
    // The statistics show ‖ΔW‖/‖W‖ of the latest update.
    trackUpdates: true,
  });
  if (start.flatWeights) progress('Restoring the trained weights');
  if (start.flatWeights) trainer.setFlatWeights(start.flatWeights, start.partial ?? false);
  if (start.previous) trainer.continueFrom(start.previous);
  // After the weights (setting them clears the state); a state that does not fit is left out.
  if (start.flatWeights && start.optimizerState) trainer.importOptimizerState(start.optimizerState);
  return { spec, dataset, prepared, trainer, splitSeed: settings.seed };
}
