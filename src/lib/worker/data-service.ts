/**
 * The worker's whole service: TrainingService plus the dataset store (dataset-api.ts). Datasets
 * are loaded, parsed and kept here; the page trains on one by naming its key (loadStored), and
 * asks for the misclassified images of an image dataset. training-worker.ts exposes one instance.
 */
import type { Delimiter } from '../data/delimiter';
import type { LoadResult } from './api';
import type {
  DatasetFacts,
  DatasetSource,
  DatasetWorkerApi,
  MisclassifiedData,
  PrepareResult,
  PreviewResult,
  StoredLoadRequest,
  UploadOptions,
  UploadProgressListener,
} from './dataset-api';
import { DatasetStore, type DatasetStoreOptions } from './dataset-store';
import { misclassifiedImages } from './misclassified';
import { TrainingService, type TrainingServiceOptions } from './training-service';
import { UploadReader } from './upload-reader';

export interface DataServiceOptions extends TrainingServiceOptions {
  store?: DatasetStoreOptions;
}

/** Most images one misclassified request returns. */
export const MAX_MISCLASSIFIED = 64;

function plainError(error: unknown): Error {
  // A DataError's class does not survive the worker boundary; its message does.
  return new Error(error instanceof Error ? error.message : String(error));
}

export class DataService extends TrainingService implements DatasetWorkerApi {
  readonly #store: DatasetStore;
  readonly #uploads = new UploadReader();

  constructor(options: DataServiceOptions = {}) {
    super(options);
    this.#store = new DatasetStore(options.store);
  }

  async storeDataset(source: DatasetSource): Promise<DatasetFacts> {
    try {
      return await this.#store.store(source);
    } catch (error) {
      throw plainError(error);
    }
  }

  hasDataset(key: string): boolean {
    return this.#store.has(key);
  }

  forgetDataset(key: string): void {
    this.#store.forget(key);
  }

  loadStored(request: StoredLoadRequest): LoadResult {
    const { datasetKey, ...rest } = request;
    const result = this.load({ ...rest, dataset: this.#store.get(datasetKey) });
    this.#store.inUse = datasetKey;
    return result;
  }

  readUpload(
    uploadId: string,
    file: Blob,
    fileName: string,
    onProgress?: UploadProgressListener,
  ): Promise<PreviewResult> {
    return this.#uploads.read(uploadId, file, fileName, onProgress);
  }

  previewUpload(uploadId: string, delimiter: Delimiter): PreviewResult {
    return this.#uploads.preview(uploadId, delimiter);
  }

  prepareUpload(uploadId: string, options: UploadOptions): PrepareResult {
    const prepared = this.#uploads.prepare(uploadId, options);
    if (!prepared.ok) return prepared;
    const { dataset, delimiter, columns } = prepared.csv;
    const facts = this.#store.put(dataset, `upload:${prepared.fileName}`);
    return { ok: true, facts, delimiter, columns };
  }

  cancelUpload(uploadId: string): void {
    this.#uploads.cancel(uploadId);
  }

  misclassified(count: number): MisclassifiedData | null {
    if (!(Number.isInteger(count) && count >= 1 && count <= MAX_MISCLASSIFIED))
      throw new Error(
        `The number of images must be a whole number from 1 to ${MAX_MISCLASSIFIED}.`,
      );
    const training = this.current;
    if (!training) throw new Error('Load a network and a dataset first.');
    const { dataset, prepared, trainer } = training;
    if (!dataset.image || prepared.task !== 'classification') return null;
    const split =
      prepared.xTest.rows > 0
        ? { X: prepared.xTest, Y: prepared.yTest, name: 'test' as const }
        : { X: prepared.xTrain, Y: prepared.yTrain, name: 'train' as const };
    return misclassifiedImages(
      (X) => trainer.predict(X),
      split,
      dataset.image,
      prepared.classes,
      prepared.standardize ?? null,
      count,
    );
  }
}
