/**
 * The worker's dataset store as both sides see it: what the page asks the worker to load (a
 * built-in by name, an uploaded file as a Blob, or a ready Dataset), the facts it gets back (never
 * the feature matrix: a 47 MB Fashion-MNIST stays in the worker), uploads read and prepared in the
 * worker, and the misclassified test images. The training load then names the stored dataset by
 * its key (StoredLoadRequest) instead of carrying it.
 */
import type { ColumnKind, CsvColumn, Delimiter } from '../data/index';
import type { BuiltinDatasetName } from '../data/builtin';
import type { Dataset, ImageShape, Task } from '../data/types';
import type { LoadRequest, LoadResult, TrainingWorkerApi } from './api';

/** How an uploaded CSV becomes a Dataset (csvToDataset's options the user chose). */
export interface UploadOptions {
  target: string;
  /** Absent: detected from the target column. */
  task?: Task;
  /** Absent: detected from the header line. */
  delimiter?: Delimiter;
  /** Kinds the user chose, by column name (the others are chosen automatically). */
  kinds?: [string, ColumnKind][];
}

/**
 * What the page asks the worker to load. The page keeps it, so a restarted worker (whose store is
 * empty) can be given the same data again.
 *   builtin  a built-in dataset, fetched from `baseUrl` (absolute: the worker cannot resolve the
 *            page's relative URLs) and decoded in the worker;
 *   csv      an uploaded file: the Blob is passed by reference and read in the worker;
 *   table    a Dataset made elsewhere (tests, in-process callers); its buffers are transferred.
 */
export type DatasetSource =
  | { kind: 'builtin'; name: BuiltinDatasetName; baseUrl: string }
  | { kind: 'csv'; fileName: string; file: Blob; options: UploadOptions }
  | { kind: 'table'; dataset: Dataset };

/** A 2-D dataset's rows as points for the decision-boundary chart (raw units). */
export interface PlanePoint {
  x: number;
  y: number;
  label: number;
}

/** At most this many rows of a 2-D dataset are sent to the page as points. */
export const MAX_PLANE_POINTS = 5000;

/** What the page knows of a stored dataset: everything but the feature matrix and targets. */
export interface DatasetFacts {
  /** The store's key for this dataset (the training load names it). */
  key: string;
  name: string;
  features: string[];
  target: string;
  task: Task;
  classes: string[];
  rows: number;
  /** The published train/test split (the test fraction does not apply); null: a seeded split. */
  fixedSplit: { train: number; test: number } | null;
  /** Set when each row is an image. */
  image: ImageShape | null;
  /** For 2-feature classification: the rows as points (evenly sampled beyond MAX_PLANE_POINTS). */
  planePoints: PlanePoint[] | null;
}

/** The load of TrainingWorkerApi, with the dataset named by its store key. */
export interface StoredLoadRequest extends Omit<LoadRequest, 'dataset'> {
  datasetKey: string;
}

/** A problem with an upload, where the user can find it. */
export interface UploadProblem {
  message: string;
  line?: number;
  column?: number;
  /** The text of the line at fault. */
  lineText?: string;
}

/** The first rows of an uploaded file, for the upload panel. */
export interface UploadPreview {
  /** The page's id of this upload (prepareUpload and cancelUpload name it). */
  uploadId: string;
  fileName: string;
  bytes: number;
  delimiter: Delimiter;
  columns: string[];
  /** Up to PREVIEW_ROWS rows of cells, and their line numbers. */
  rows: string[][];
  lineNumbers: number[];
}

export const PREVIEW_ROWS = 5;

/** Reading progress: bytes read of the file's size. */
export interface UploadProgress {
  phase: 'reading' | 'parsing';
  done: number;
  total: number;
}

export type UploadProgressListener = (progress: UploadProgress) => void;

export type PreviewResult =
  { ok: true; preview: UploadPreview } | { ok: false; problem: UploadProblem };

/** A prepared upload: stored under facts.key; what became of each column, and the delimiter. */
export type PrepareResult =
  | { ok: true; facts: DatasetFacts; delimiter: Delimiter; columns: CsvColumn[] }
  | { ok: false; problem: UploadProblem };

/** A few test images the network gets wrong, with their true and predicted classes. */
export interface MisclassifiedImage {
  /** Grey levels 0-255, row by row (width × height). */
  pixels: Uint8ClampedArray;
  trueClass: number;
  predictedClass: number;
  /** Row of the split. */
  row: number;
}

export interface MisclassifiedData {
  width: number;
  height: number;
  classes: string[];
  split: 'test' | 'train';
  images: MisclassifiedImage[];
  /** How many rows of the split were checked, and how many were wrong. */
  checked: number;
  wrong: number;
}

/** The dataset methods the worker adds to TrainingWorkerApi. */
export interface DatasetWorkerApi {
  /** Load (or find) a dataset and keep it; the answer is its facts. Throws a plain message. */
  storeDataset(source: DatasetSource): Promise<DatasetFacts>;
  /** Whether the store holds `key` (a restarted worker holds nothing). */
  hasDataset(key: string): boolean;
  /** Drop a stored dataset (not the one being trained). */
  forgetDataset(key: string): void;
  /** Train on a stored dataset: the load of TrainingWorkerApi, by key. */
  loadStored(request: StoredLoadRequest): LoadResult;
  /**
   * Read an uploaded file in the worker, with progress; the text is kept under `uploadId` (chosen
   * by the page, so it can cancel before the answer) for prepareUpload.
   */
  readUpload(
    uploadId: string,
    file: Blob,
    fileName: string,
    onProgress?: UploadProgressListener,
  ): Promise<PreviewResult>;
  /** The upload's preview read with another delimiter. */
  previewUpload(uploadId: string, delimiter: Delimiter): PreviewResult;
  /** Turn the uploaded text into a stored Dataset with these options. */
  prepareUpload(uploadId: string, options: UploadOptions): PrepareResult;
  /** Stop reading an upload; its text is dropped. */
  cancelUpload(uploadId: string): void;
  /** Up to `count` wrongly classified images of the test split (image datasets); null otherwise. */
  misclassified(count: number): MisclassifiedData | null;
}

/** Everything the worker exposes (training-worker.ts: DataService). */
export type WorkerApi = TrainingWorkerApi & DatasetWorkerApi;
