/**
 * The page's side of the worker's dataset store: making sure the worker holds a dataset before a
 * training load names it (a restarted worker holds nothing, so the source is sent again), and
 * the upload steps (read with progress, prepare with options, cancel), which the upload panel
 * calls through the workbench. Only facts come back: the feature matrix stays in the worker.
 */
import * as Comlink from 'comlink';
import type { Delimiter } from '../data/delimiter';
import type { Dataset } from '../data/types';
import { isFeatureRows, selectFeatureRows, type FeatureMatrix } from '../engine/feature-rows';
import type {
  MisclassifiedData,
  PrepareResult,
  PreviewResult,
  UploadOptions,
  UploadProgress,
} from '../worker/dataset-api';
import type { TrainingWorkerClient } from '../worker/client';
import { sourceOf, type DatasetChoice, type WorkerDataset } from './dataset-choice';

function copyDataset(d: Dataset): Dataset {
  return {
    ...d,
    features: [...d.features],
    classes: [...d.classes],
    X: isFeatureRows(d.X)
      ? selectFeatureRows(
          d.X,
          Uint32Array.from({ length: d.X.rows }, (_, i) => i),
        )
      : { rows: d.X.rows, cols: d.X.cols, data: d.X.data.slice() },
    y: d.y.slice(),
  };
}

function featureBuffer(X: FeatureMatrix): ArrayBufferLike {
  return isFeatureRows(X) ? X.values.buffer : X.data.buffer;
}

/** True for a page-side handle of a stored dataset (as opposed to a whole Dataset). */
export function isWorkerDataset(data: Dataset | WorkerDataset): data is WorkerDataset {
  return 'source' in data && 'key' in data;
}

/** Store a whole Dataset in the worker (a copy's buffers are transferred; `data` is kept). */
export async function storeTable(
  client: TrainingWorkerClient,
  data: Dataset,
): Promise<WorkerDataset> {
  const sent = copyDataset(data);
  const facts = await client.slow(
    client.api.storeDataset(
      Comlink.transfer({ kind: 'table', dataset: sent }, [featureBuffer(sent.X), sent.y.buffer]),
    ),
  );
  return { ...facts, source: { kind: 'table', dataset: data } };
}

/** Load what a choice names into the worker; the answer is the page's handle. */
export async function storeChoice(
  client: TrainingWorkerClient,
  choice: DatasetChoice,
): Promise<WorkerDataset> {
  const source = sourceOf(choice);
  const facts = await client.slow(client.api.storeDataset(source));
  return { ...facts, source };
}

/**
 * The key under which this client's worker holds `data`: its own key when the worker still has
 * it, else the key of the same source loaded again (after a worker restart).
 */
export async function keyIn(
  client: TrainingWorkerClient,
  data: Dataset | WorkerDataset,
): Promise<{ key: string; handle: WorkerDataset }> {
  if (!isWorkerDataset(data)) {
    const handle = await storeTable(client, data);
    return { key: handle.key, handle };
  }
  if (await client.api.hasDataset(data.key)) return { key: data.key, handle: data };
  const source = data.source;
  const facts = await client.slow(
    client.api.storeDataset(
      source.kind === 'table' ? { kind: 'table', dataset: copyDataset(source.dataset) } : source,
    ),
  );
  return { key: facts.key, handle: data };
}

/** Read an upload in the worker, reporting progress; cancel with cancelUpload(uploadId). */
export function readUpload(
  client: TrainingWorkerClient,
  uploadId: string,
  file: Blob,
  fileName: string,
  onProgress: (progress: UploadProgress) => void,
): Promise<PreviewResult> {
  return client.slow<PreviewResult>(
    client.api.readUpload(uploadId, file, fileName, Comlink.proxy(onProgress)),
  );
}

export function previewUpload(
  client: TrainingWorkerClient,
  uploadId: string,
  delimiter: Delimiter,
): Promise<PreviewResult> {
  return client.slow<PreviewResult>(client.api.previewUpload(uploadId, delimiter));
}

export async function prepareUpload(
  client: TrainingWorkerClient,
  uploadId: string,
  file: Blob,
  options: UploadOptions,
): Promise<{ result: PrepareResult; handle: WorkerDataset | null }> {
  const result = await client.slow<PrepareResult>(client.api.prepareUpload(uploadId, options));
  if (!result.ok) return { result, handle: null };
  const fileName = result.facts.name;
  return { result, handle: { ...result.facts, source: { kind: 'csv', fileName, file, options } } };
}

export function cancelUpload(client: TrainingWorkerClient, uploadId: string): Promise<void> {
  return client.api.cancelUpload(uploadId);
}

export function misclassified(
  client: TrainingWorkerClient,
  count: number,
): Promise<MisclassifiedData | null> {
  return client.slow(client.api.misclassified(count));
}
