/**
 * The worker's datasets, kept by key: built-ins fetched and decoded here (Fashion-MNIST's 47 MB of
 * pixels never reach the page), uploads parsed here, and ready Datasets handed over. The page gets
 * only DatasetFacts. The same source always gives the same key, so asking twice loads once.
 */
import {
  fetchDatasetBytes,
  fetchDatasetText,
  loadBuiltinDataset,
  type BinaryReaders,
  type ReadDatasetText,
} from '../data/builtin';
import { csvToDataset, type CsvDataset } from '../data/csv-dataset';
import { gunzipWithStreams, isGzip, type Gunzip } from '../data/gunzip';
import type { Dataset } from '../data/types';
import { rawFeature } from '../engine/feature-rows';
import {
  MAX_PLANE_POINTS,
  type DatasetFacts,
  type DatasetSource,
  type PlanePoint,
  type UploadOptions,
} from './dataset-api';

/** How built-in files are read: over HTTP from the source's base URL, or (tests) from disk. */
export interface BuiltinReaders {
  readText: ReadDatasetText;
  binary: BinaryReaders;
}

export interface DatasetStoreOptions {
  /** Readers for a base URL (default: fetch). */
  readers?: (baseUrl: string) => BuiltinReaders;
  /** How many datasets are kept besides the one in use (oldest dropped first). */
  keep?: number;
}

const DEFAULT_KEEP = 2;

/**
 * gunzip for fetched files: a server may send a .gz file with "Content-Encoding: gzip" (Vite's
 * preview does), and fetch then hands over the bytes already decompressed. IDX files start with
 * 00 00, never with gzip's 1f 8b, so bytes that are not gzip are passed on for the IDX decoder
 * to check.
 */
export const gunzipUnlessDecoded: Gunzip = (bytes, name) =>
  isGzip(bytes) ? gunzipWithStreams(bytes, name) : Promise.resolve(bytes);

function fetchReaders(baseUrl: string): BuiltinReaders {
  return {
    readText: fetchDatasetText(baseUrl),
    binary: { readBytes: fetchDatasetBytes(baseUrl), gunzip: gunzipUnlessDecoded },
  };
}

/** The rows of a 2-feature classification dataset as points, evenly sampled past the cap. */
export function planePoints(dataset: Dataset): PlanePoint[] | null {
  if (dataset.task !== 'classification' || dataset.X.cols !== 2) return null;
  const n = dataset.X.rows;
  const count = Math.min(n, MAX_PLANE_POINTS);
  const X = dataset.X;
  return Array.from({ length: count }, (_, k) => {
    const i = Math.floor((k * n) / count);
    return { x: rawFeature(X, i, 0), y: rawFeature(X, i, 1), label: dataset.y[i] };
  });
}

export function datasetFacts(key: string, dataset: Dataset): DatasetFacts {
  const rows = dataset.y.length;
  return {
    key,
    name: dataset.name,
    features: [...dataset.features],
    target: dataset.target,
    task: dataset.task,
    classes: [...dataset.classes],
    rows,
    fixedSplit: dataset.split
      ? { train: dataset.split.train, test: rows - dataset.split.train }
      : null,
    image: dataset.image ? { ...dataset.image } : null,
    planePoints: planePoints(dataset),
  };
}

/** csvToDataset with the options an upload panel sends. */
export function csvUploadToDataset(
  text: string,
  fileName: string,
  options: UploadOptions,
): CsvDataset {
  return csvToDataset(text, {
    name: fileName,
    fileName,
    target: options.target,
    ...(options.task ? { task: options.task } : {}),
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    ...(options.kinds ? { kinds: new Map(options.kinds) } : {}),
  });
}

export class DatasetStore {
  readonly #readers: (baseUrl: string) => BuiltinReaders;
  readonly #keep: number;
  /** Insertion order is age: the newest last. */
  readonly #datasets = new Map<string, Dataset>();
  /** Loads under way, so two requests for one built-in fetch once. */
  readonly #pending = new Map<string, Promise<Dataset>>();
  #nextKey = 1;
  /** The key of the dataset being trained: never dropped to make room. */
  inUse: string | null = null;

  constructor(options: DatasetStoreOptions = {}) {
    this.#readers = options.readers ?? fetchReaders;
    this.#keep = options.keep ?? DEFAULT_KEEP;
  }

  has(key: string): boolean {
    return this.#datasets.has(key);
  }

  /** The stored dataset; throws a plain message when the key is unknown. */
  get(key: string): Dataset {
    const dataset = this.#datasets.get(key);
    if (!dataset)
      throw new Error(`The worker does not hold the dataset "${key}"; load the dataset again.`);
    return dataset;
  }

  forget(key: string): void {
    if (key !== this.inUse) this.#datasets.delete(key);
  }

  /** Keep `dataset` under a new key (an upload prepared here, say). */
  put(dataset: Dataset, prefix: string): DatasetFacts {
    const key = `${prefix}#${this.#nextKey++}`;
    this.#remember(key, dataset);
    return datasetFacts(key, dataset);
  }

  /** Load what `source` names (once per built-in) and keep it. */
  async store(source: DatasetSource): Promise<DatasetFacts> {
    if (source.kind === 'table') return this.put(source.dataset, `table:${source.dataset.name}`);
    if (source.kind === 'csv') {
      const text = await source.file.text();
      return this.put(
        csvUploadToDataset(text, source.fileName, source.options).dataset,
        `upload:${source.fileName}`,
      );
    }
    const key = `builtin:${source.name}`;
    const held = this.#datasets.get(key);
    if (held) {
      // Used again: it becomes the newest.
      this.#datasets.delete(key);
      this.#datasets.set(key, held);
      return datasetFacts(key, held);
    }
    let pending = this.#pending.get(key);
    if (!pending) {
      const { readText, binary } = this.#readers(source.baseUrl);
      pending = loadBuiltinDataset(source.name, readText, {}, binary);
      this.#pending.set(key, pending);
    }
    try {
      const dataset = await pending;
      this.#remember(key, dataset);
      return datasetFacts(key, dataset);
    } finally {
      this.#pending.delete(key);
    }
  }

  #remember(key: string, dataset: Dataset): void {
    this.#datasets.delete(key);
    this.#datasets.set(key, dataset);
    // Drop the oldest beyond the limit (an upload of 20,000 × 784 is 125 MB as float64: keep few).
    for (const old of this.#datasets.keys()) {
      if (this.#datasets.size <= this.#keep) break;
      if (old !== this.inUse && old !== key) this.#datasets.delete(old);
    }
  }
}
