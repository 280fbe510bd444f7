/**
 * The model file (`*.model.json`, DESIGN.md §4) as TypeScript types. The schema (schema.ts) checks
 * that a file has this shape; consistency.ts checks that its parts fit together.
 */
import type { TrainingSettings } from '../engine/settings';
import type { LayerSpec } from '../engine/spec';
import type { History, Metrics, WeightsJson } from '../engine/types';
import type { Standardization, Task } from '../data/types';
import type { GraphDocument } from '../graph/document';

export const MODEL_FORMAT = 'backprop-studio.model';
/** The version this code writes; readers for older versions live in migrations.ts. */
export const MODEL_VERSION = 2;

/** What the network was (or is to be) trained on, and how to turn raw rows into its inputs. */
export interface ModelData {
  /** A built-in dataset name ("iris") or the file name of an uploaded CSV. */
  dataset: string;
  /** Feature column names, in the order of the network's inputs. */
  features: string[];
  /** The column the network predicts. */
  target: string;
  task: Task;
  /** Class labels in the order of the output columns (empty for regression). */
  classes: string[];
  /** Absent when the inputs are used as given. */
  standardize?: Standardization;
}

/** History columns a file may leave out: accuracy belongs to classification, R² to regression. */
export const OPTIONAL_HISTORY_COLUMNS = [
  'trainAccuracy',
  'testAccuracy',
  'trainR2',
  'testR2',
] as const;

/** Per-epoch history: epoch and the losses always, the score columns of the task. */
export type ModelHistory = Pick<History, 'epoch' | 'trainLoss' | 'testLoss'> &
  Partial<Pick<History, (typeof OPTIONAL_HISTORY_COLUMNS)[number]>>;

/** The switches a file may leave out (older files): absent means the default, true. */
type OptionalSwitches = 'shuffle' | 'standardize';

/**
 * The `training` block: the engine's TrainingSettings (so a new setting is added in one place),
 * with the switches optional in files, and the history and metrics of the weights.
 */
export type ModelTraining = Omit<TrainingSettings, OptionalSwitches> &
  Partial<Pick<TrainingSettings, OptionalSwitches>> & {
    /** Absent or empty before any training. Missing values (NaN) are written as null. */
    history?: ModelHistory;
    /** The metrics of the weights in the file; absent or null before any training. */
    metrics?: Metrics | null;
  };

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  name: string;
  graph: GraphDocument;
  /** What compile() made of the graph; absent or null while the graph does not compile. */
  spec?: LayerSpec | null;
  /** Absent when no dataset has been chosen. */
  data?: ModelData;
  training: ModelTraining;
  /** Keyed by dense layer id; absent or null for an untrained design. */
  weights?: WeightsJson | null;
}

export type ReadModelResult =
  | { ok: true; model: ModelFile }
  | {
      ok: false;
      /** Every problem found, one per line, each starting with where it is. */
      error: string;
      /** The same problems as a list. */
      issues: string[];
    };
