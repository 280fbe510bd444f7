/**
 * Between the engine's types and the file's blocks: the training block from TrainingSettings (and
 * a history and metrics), and back. Export buttons and the command line both use these.
 */
import { DEFAULT_TRAINING, type TrainingSettings } from '../engine/settings';
import type { History, Metrics } from '../engine/types';
import type { LayerSpec } from '../engine/spec';
import type { GraphDocument } from '../graph/document';
import {
  MODEL_FORMAT,
  MODEL_VERSION,
  OPTIONAL_HISTORY_COLUMNS,
  type ModelData,
  type ModelFile,
  type ModelHistory,
  type ModelTraining,
} from './types';

/** The training block for `settings`, with the history and metrics of the weights, if any. */
export function trainingBlock(
  settings: TrainingSettings,
  history?: ModelHistory | History,
  metrics?: Metrics | null,
): ModelTraining {
  const block: ModelTraining = {
    optimizer: { ...settings.optimizer },
    batchSize: settings.batchSize,
    epochs: settings.epochs,
    seed: settings.seed,
    testFraction: settings.testFraction,
    l2: settings.l2,
    l1: settings.l1,
    shuffle: settings.shuffle,
    standardize: settings.standardize,
  };
  // Written only when it is not the default, so float64 files stay as they were.
  if (settings.precision && settings.precision !== 'float64') block.precision = settings.precision;
  if (history) block.history = compactHistory(history);
  if (metrics) block.metrics = { ...metrics };
  return block;
}

/** The settings a training block describes (absent switches take their defaults). */
export function settingsFromTraining(training: ModelTraining): TrainingSettings {
  return {
    optimizer: { ...training.optimizer },
    batchSize: training.batchSize,
    epochs: training.epochs,
    seed: training.seed,
    testFraction: training.testFraction,
    l2: training.l2,
    l1: training.l1,
    shuffle: training.shuffle ?? DEFAULT_TRAINING.shuffle,
    standardize: training.standardize ?? DEFAULT_TRAINING.standardize,
    ...(training.precision ? { precision: training.precision } : {}),
  };
}

/** A copy of the history without the columns that do not apply (empty accuracy or R² lists). */
export function compactHistory(history: ModelHistory | History): ModelHistory {
  const out: ModelHistory = {
    epoch: [...history.epoch],
    trainLoss: [...history.trainLoss],
    testLoss: [...history.testLoss],
  };
  for (const key of OPTIONAL_HISTORY_COLUMNS) {
    const values = history[key];
    if (values && values.length > 0) out[key] = [...values];
  }
  return out;
}

export interface UntrainedModelContent {
  /** The file's `name`. */
  name: string;
  document: GraphDocument;
  /** compile()'s spec, or null while the graph has errors. */
  spec: LayerSpec | null;
  /** The chosen dataset, if any; left out while none is chosen. */
  data?: ModelData;
  /** The training settings to keep with the design (the defaults if not given). */
  settings?: TrainingSettings;
}

/** The model file of a design: no weights, no history, no metrics ("Export graph", `init`). */
export function untrainedModelFile(content: UntrainedModelContent): ModelFile {
  const model: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    name: content.name,
    graph: content.document,
    spec: content.spec,
    training: trainingBlock(content.settings ?? DEFAULT_TRAINING),
    weights: null,
  };
  if (content.data) model.data = content.data;
  return model;
}
