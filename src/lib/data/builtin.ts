/**
 * The built-in datasets: what the dataset picker lists, and one loader for browser and Node.
 * The loader takes functions that read a file of static/datasets by name (as text, or as bytes
 * for Fashion-MNIST), so the same code runs with fetch (browser, worker) and node:fs (command
 * line, tests; see load-node.ts).
 */
import { csvToDataset } from './csv-dataset';
import { DataError } from './errors';
import {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_SIDE,
  FASHION_MNIST_SPLIT,
  loadFashionMnist,
  type ReadDatasetBytes,
} from './fashion-mnist';
import { gunzipWithStreams, type Gunzip } from './gunzip';
import { generateSynthetic, type SyntheticKind, type SyntheticOptions } from './synthetic';
import type { Dataset, Task } from './types';

export const BUILTIN_DATASET_NAMES = [
  'iris',
  'wine',
  'breast_cancer',
  'digits',
  'fashion_mnist',
  'xor',
  'circles',
  'spirals',
  'blobs',
  'runge',
] as const;
export type BuiltinDatasetName = (typeof BUILTIN_DATASET_NAMES)[number];

interface BuiltinInfoBase {
  name: BuiltinDatasetName;
  /** Shown in the picker. */
  label: string;
  /** One line for a tooltip or help text. */
  description: string;
  task: Task;
  features: number;
  /** Class count (0 for regression). */
  classes: number;
}
export interface CsvDatasetInfo extends BuiltinInfoBase {
  source: 'csv';
  /** File name under static/datasets/. */
  fileName: string;
  rows: number;
}
export interface SyntheticDatasetInfo extends BuiltinInfoBase {
  source: 'synthetic';
  kind: SyntheticKind;
}
/** Images in IDX files (Fashion-MNIST), with the split they were published with. */
export interface IdxDatasetInfo extends BuiltinInfoBase {
  source: 'idx';
  rows: number;
  /** Rows of the official split; the test fraction setting does not apply to this dataset. */
  fixedSplit: { train: number; test: number };
  /** Each row is an image of this many pixels (features = width × height). */
  image: { width: number; height: number };
  classNames: readonly string[];
}
export type BuiltinDatasetInfo = CsvDatasetInfo | SyntheticDatasetInfo | IdxDatasetInfo;

export const BUILTIN_DATASETS: readonly BuiltinDatasetInfo[] = [
  {
    name: 'iris',
    label: 'Iris',
    description: 'Fisher’s iris flowers: 150 rows, 4 measurements in cm, 3 species.',
    source: 'csv',
    fileName: 'iris.csv',
    rows: 150,
    features: 4,
    classes: 3,
    task: 'classification',
  },
  {
    name: 'wine',
    label: 'Wine',
    description: 'Chemical analysis of 178 Italian wines from 3 cultivars, 13 features.',
    source: 'csv',
    fileName: 'wine.csv',
    rows: 178,
    features: 13,
    classes: 3,
    task: 'classification',
  },
  {
    name: 'breast_cancer',
    label: 'Breast cancer',
    description:
      'Breast Cancer Wisconsin (Diagnostic): 569 tumours, 30 features, malignant or benign.',
    source: 'csv',
    fileName: 'breast_cancer.csv',
    rows: 569,
    features: 30,
    classes: 2,
    task: 'classification',
  },
  {
    name: 'digits',
    label: 'Digits (8×8)',
    description:
      'Handwritten digits as 8×8 images (pixels 0–16): 1797 rows, 64 features, 10 classes.',
    source: 'csv',
    fileName: 'digits.csv',
    rows: 1797,
    features: 64,
    classes: 10,
    task: 'classification',
  },
  {
    name: 'fashion_mnist',
    label: 'Fashion-MNIST',
    description:
      'Zalando’s 28×28 grey-scale images of clothes: 60,000 to train and 10,000 to test (the official split), 784 pixels, 10 classes.',
    source: 'idx',
    rows: FASHION_MNIST_SPLIT.train + FASHION_MNIST_SPLIT.test,
    fixedSplit: { ...FASHION_MNIST_SPLIT },
    image: { width: FASHION_MNIST_SIDE, height: FASHION_MNIST_SIDE },
    classNames: FASHION_MNIST_CLASSES,
    features: FASHION_MNIST_SIDE * FASHION_MNIST_SIDE,
    classes: FASHION_MNIST_CLASSES.length,
    task: 'classification',
  },
  {
    name: 'xor',
    label: 'XOR',
    description: 'Points in the square; the class is whether exactly one coordinate is positive.',
    source: 'synthetic',
    kind: 'xor',
    features: 2,
    classes: 2,
    task: 'classification',
  },
  {
    name: 'circles',
    label: 'Circles',
    description: 'A small circle inside a large one.',
    source: 'synthetic',
    kind: 'circles',
    features: 2,
    classes: 2,
    task: 'classification',
  },
  {
    name: 'spirals',
    label: 'Two spirals',
    description: 'Two interleaved spiral arms.',
    source: 'synthetic',
    kind: 'spirals',
    features: 2,
    classes: 2,
    task: 'classification',
  },
  {
    name: 'blobs',
    label: 'Blobs',
    description: 'Three Gaussian blobs.',
    source: 'synthetic',
    kind: 'blobs',
    features: 2,
    classes: 3,
    task: 'classification',
  },
  {
    name: 'runge',
    label: 'Runge function',
    description: 'Regression of y = 1/(1+25x²) for x in [-1, 1].',
    source: 'synthetic',
    kind: 'runge',
    features: 1,
    classes: 0,
    task: 'regression',
  },
];

export function isBuiltinDatasetName(name: string): name is BuiltinDatasetName {
  return (BUILTIN_DATASET_NAMES as readonly string[]).includes(name);
}

export function builtinDatasetInfo(name: string): BuiltinDatasetInfo {
  const info = BUILTIN_DATASETS.find((d) => d.name === name);
  if (!info)
    throw new DataError(
      `There is no built-in dataset "${name}". Choose one of: ${BUILTIN_DATASET_NAMES.join(', ')}.`,
    );
  return info;
}

/** Reads a file of static/datasets by its name ("iris.csv") and resolves to its text. */
export type ReadDatasetText = (fileName: string) => Promise<string>;

/** How binary datasets (Fashion-MNIST) are read: the bytes of a file, and gzip decompression. */
export interface BinaryReaders {
  readBytes: ReadDatasetBytes;
  /** Default: DecompressionStream (the Node loader passes node:zlib). */
  gunzip?: Gunzip;
}

/**
 * Load a built-in dataset. CSV datasets are read with `readText`; synthetic ones are generated
 * (with `synthetic` options, defaults otherwise) and do not call it; IDX datasets need `binary`.
 */
export async function loadBuiltinDataset(
  name: string,
  readText: ReadDatasetText,
  synthetic: SyntheticOptions = {},
  binary?: BinaryReaders,
): Promise<Dataset> {
  const info = builtinDatasetInfo(name);
  if (info.source === 'synthetic') return generateSynthetic(info.kind, synthetic);
  if (info.source === 'idx') {
    if (!binary)
      throw new DataError(
        `${info.label} is read from binary image files, and this loader was given no way to read bytes.`,
      );
    return loadFashionMnist(binary.readBytes, binary.gunzip ?? gunzipWithStreams);
  }
  const text = await readText(info.fileName);
  return csvToDataset(text, { name: info.name, fileName: info.fileName }).dataset;
}

/**
 * A ReadDatasetText over HTTP: fetches `<baseUrl><fileName>`. Pass an absolute base, e.g.
 * `new URL('datasets/', document.baseURI)` on the page; inside a worker, relative URLs resolve
 * against the worker script, not the page, so hand the worker the absolute URL.
 */
export function fetchDatasetText(baseUrl: string | URL): ReadDatasetText {
  return async (fileName) => {
    const url = new URL(fileName, baseUrl);
    const response = await fetch(url);
    if (!response.ok)
      throw new DataError(
        `Could not load the dataset file ${fileName} (${response.status} ${response.statusText}).`,
      );
    return response.text();
  };
}

/** A ReadDatasetBytes over HTTP, like fetchDatasetText. */
export function fetchDatasetBytes(baseUrl: string | URL): ReadDatasetBytes {
  return async (fileName) => {
    const url = new URL(fileName, baseUrl);
    const response = await fetch(url);
    if (!response.ok)
      throw new DataError(
        `Could not load the dataset file ${fileName} (${response.status} ${response.statusText}).`,
      );
    return new Uint8Array(await response.arrayBuffer());
  };
}
