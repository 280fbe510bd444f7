/**
 * The trained state kept in IndexedDB between reloads (idb-keyval): the weights, the optimizer
 * state, the epochs, updates and history of the run packed by the worker into one Blob (which
 * IndexedDB keeps by reference: saving copies no numbers on the main thread), for which network (its spec's JSON) and data (the
 * dataset choice's key); and an uploaded CSV's choice (the file as a Blob, and the options chosen),
 * so the data is there after a reload. Values are stored by structured clone (no JSON, no number[][]). Whatever is read is
 * checked before use and anything unusable reads as nothing; reads and writes never throw.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import { isOptimizerState } from '../engine/optimizers/index';
import type { History } from '../engine/types';
import type { TrainedState } from '../worker/api';
import { packHistory } from '../worker/packed-history';
import { packTrainedState, unpackTrainedState } from '../worker/trained-state-pack';
import type { UploadChoice } from './dataset-choice';

export interface SavedTraining {
  version: 2;
  /** JSON.stringify of the compiled spec the weights belong to. */
  specJson: string;
  /** choiceKey of the dataset trained on. */
  datasetKey: string;
  /** The TrainedState packed by the worker (trained-state-pack.ts; read with savedState). */
  packed: Blob;
  epoch: number;
  totalSteps: number;
  /** Date.now() when saved. */
  savedAt: number;
}

export interface TrainingStore {
  loadTraining(): Promise<SavedTraining | null>;
  /** Returns an error message instead of throwing (storage full, private mode, ...). */
  saveTraining(saved: SavedTraining): Promise<string | null>;
  clearTraining(): Promise<void>;
  loadUpload(): Promise<UploadChoice | null>;
  /** Keep an uploaded file's choice, or forget it (null: a built-in dataset is in use). */
  saveUpload(choice: UploadChoice | null): Promise<void>;
}

const TRAINING_KEY = 'training.v1';
const UPLOAD_KEY = 'upload.v1';

const isNumberArray = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number');

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

const HISTORY_COLUMNS: (keyof History)[] = [
  'epoch',
  'trainLoss',
  'testLoss',
  'trainAccuracy',
  'testAccuracy',
  'trainR2',
  'testR2',
];

/**
 * The saved value when it has the expected shape. A run saved in the first format (version 1: the
 * state's arrays in the value, no optimizer state) is read once and packed into the current one,
 * so an upgrade loses nothing.
 */
export function readSavedTraining(value: unknown): SavedTraining | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<Omit<SavedTraining, 'version'>> & {
    version?: unknown;
    state?: unknown;
  };
  if (typeof v.specJson !== 'string' || typeof v.datasetKey !== 'string') return null;
  if (v.version === 1) return fromFirstFormat(v);
  if (v.version !== 2) return null;
  if (!(v.packed instanceof Blob)) return null;
  if (!isCount(v.epoch) || !isCount(v.totalSteps)) return null;
  return v as SavedTraining;
}

function fromFirstFormat(
  v: Partial<Omit<SavedTraining, 'version'>> & { state?: unknown },
): SavedTraining | null {
  const state = checkedTrainedState(v.state);
  if (!state) return null;
  return {
    version: 2,
    specJson: v.specJson as string,
    datasetKey: v.datasetKey as string,
    packed: packTrainedState(state),
    epoch: state.epoch,
    totalSteps: state.totalSteps,
    savedAt: typeof v.savedAt === 'number' ? v.savedAt : 0,
  };
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/**
 * A trained state as read back from anywhere outside (unpacked from the store, or a first-format
 * record): its shape checked (the worker checks the weights against the network), its history
 * packed, or null. A missing or malformed optimizer state is dropped (null: the run goes on with
 * a fresh one).
 */
export function checkedTrainedState(value: unknown): TrainedState | null {
  if (typeof value !== 'object' || value === null) return null;
  const state = value as Partial<TrainedState>;
  if (!(state.weights instanceof Map)) return null;
  if (typeof state.epoch !== 'number' || typeof state.totalSteps !== 'number') return null;
  // Packed columns (Float64Array); a record saved before they were packed holds number arrays.
  const history = state.history as Partial<Record<keyof History, unknown>> | undefined;
  const column = (x: unknown) => x instanceof Float64Array || isNumberArray(x);
  if (!history || !HISTORY_COLUMNS.every((k) => column(history[k]))) return null;
  if ((history.epoch as ArrayLike<number>).length !== state.epoch) return null;
  for (const layer of state.weights.values())
    if (!(layer?.W instanceof Float64Array) || !(layer.b instanceof Float64Array)) return null;
  if (state.classes !== undefined && !isStringArray(state.classes)) return null;
  const scaling = state.standardization as { mean?: unknown; std?: unknown } | null | undefined;
  if (scaling && !(isNumberArray(scaling.mean) && isNumberArray(scaling.std))) return null;
  const optimizer = isOptimizerState(state.optimizer) ? state.optimizer : null;
  return {
    ...(state as TrainedState),
    history: packHistory(history as unknown as History),
    optimizer,
  };
}

/** The trained state inside a saved run (read asynchronously: no long task), or null. */
export async function savedState(saved: SavedTraining): Promise<TrainedState | null> {
  try {
    return checkedTrainedState(unpackTrainedState(await saved.packed.arrayBuffer()));
  } catch {
    return null;
  }
}

const isKindPair = (v: unknown): boolean =>
  Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string';

/** The options' shape only: the worker checks their values when it prepares the file again. */
function isUploadOptions(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  return (
    typeof o.target === 'string' &&
    (o.task === undefined || typeof o.task === 'string') &&
    (o.delimiter === undefined || typeof o.delimiter === 'string') &&
    (o.kinds === undefined || (Array.isArray(o.kinds) && o.kinds.every(isKindPair)))
  );
}

function readUpload(value: unknown): UploadChoice | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Partial<UploadChoice>;
  if (v.source !== 'upload' || typeof v.fileName !== 'string') return null;
  if (!(v.file instanceof Blob) || !isUploadOptions(v.options)) return null;
  return v as UploadChoice;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A store over get/set/del of some key-value backend (IndexedDB in the page, a Map in tests). */
export function keyValueTrainingStore(kv: {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
}): TrainingStore {
  return {
    async loadTraining() {
      try {
        return readSavedTraining(await kv.get(TRAINING_KEY));
      } catch {
        return null;
      }
    },
    async saveTraining(saved) {
      try {
        await kv.set(TRAINING_KEY, saved);
        return null;
      } catch (error) {
        return errorText(error);
      }
    },
    async clearTraining() {
      await kv.del(TRAINING_KEY).catch(() => undefined);
    },
    async loadUpload() {
      try {
        return readUpload(await kv.get(UPLOAD_KEY));
      } catch {
        return null;
      }
    },
    async saveUpload(choice) {
      await (choice ? kv.set(UPLOAD_KEY, choice) : kv.del(UPLOAD_KEY)).catch(() => undefined);
    },
  };
}

/** The page's store in IndexedDB, or null where there is none (Node, some private modes). */
export function indexedDbTrainingStore(): TrainingStore | null {
  if (typeof indexedDB === 'undefined') return null;
  let store: UseStore;
  try {
    store = createStore('backprop-studio', 'training');
  } catch {
    return null;
  }
  return keyValueTrainingStore({
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
  });
}

/** An in-memory store holding structured clones (tests, and a fallback without IndexedDB). */
export function memoryTrainingStore(): TrainingStore {
  const map = new Map<string, unknown>();
  return keyValueTrainingStore({
    get: async (key) => (map.has(key) ? structuredClone(map.get(key)) : undefined),
    set: async (key, value) => void map.set(key, structuredClone(value)),
    del: async (key) => void map.delete(key),
  });
}
