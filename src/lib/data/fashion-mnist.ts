/**
 * Fashion-MNIST (Zalando Research, MIT licence; static/datasets/fashion-mnist/): 70,000 grey-scale
 * 28×28 images of clothes in 10 classes, read from the original gzip-compressed IDX files. The
 * official split is kept: the 60,000 training images first, then the 10,000 test images, marked by
 * Dataset.split so prepareData uses it instead of a random split.
 */
import { DataError } from './errors';
import type { Gunzip } from './gunzip';
import { decodeIdxPair, type IdxImages, type IdxLabels } from './idx';
import type { Dataset } from './types';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export const FASHION_MNIST_FILES = {
  trainImages: 'fashion-mnist/train-images-idx3-ubyte.gz',
  trainLabels: 'fashion-mnist/train-labels-idx1-ubyte.gz',
  testImages: 'fashion-mnist/t10k-images-idx3-ubyte.gz',
  testLabels: 'fashion-mnist/t10k-labels-idx1-ubyte.gz',
} as const;

export const FASHION_MNIST_SIDE = 28;
export const FASHION_MNIST_SPLIT = { train: 60_000, test: 10_000 } as const;

/** Reads a file of static/datasets by its path ("fashion-mnist/...gz") as bytes. */
export type ReadDatasetBytes = (fileName: string) => Promise<Uint8Array>;

/** Feature names, row by row like digits: pixel_0_0 ... pixel_27_27. */
export function pixelFeatureNames(width: number, height: number): string[] {
  const names: string[] = [];
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) names.push(`pixel_${r}_${c}`);
  return names;
}

interface Part {
  images: IdxImages;
  labels: IdxLabels;
}

async function readPart(
  imagesFile: string,
  labelsFile: string,
  readBytes: ReadDatasetBytes,
  gunzip: Gunzip,
): Promise<Part> {
  const [images, labels] = await Promise.all(
    [imagesFile, labelsFile].map(async (file) => gunzip(await readBytes(file), file)),
  );
  return decodeIdxPair({ bytes: images, name: imagesFile }, { bytes: labels, name: labelsFile });
}

/**
 * Train and test parts -> one Dataset, train rows first. Pixels stay bytes (0-255): 55 MB rather
 * than 440 MB as float64; batches convert their rows when they are read (engine/feature-rows.ts).
 */
export function fashionMnistFromParts(train: Part, test: Part, name = 'fashion_mnist'): Dataset {
  const { rows, cols } = train.images;
  if (test.images.rows !== rows || test.images.cols !== cols)
    throw new DataError(
      `The training images are ${rows}×${cols} pixels but the test images ${test.images.rows}×${test.images.cols}.`,
    );
  const features = rows * cols;
  const n = train.images.count + test.images.count;
  const X = new Uint8Array(n * features);
  X.set(train.images.pixels);
  X.set(test.images.pixels, train.images.pixels.length);
  const y = new Float64Array(n);
  y.set(train.labels.labels);
  y.set(test.labels.labels, train.labels.count);
  const classCount = FASHION_MNIST_CLASSES.length;
  const bad = y.findIndex((k) => k >= classCount);
  if (bad !== -1)
    throw new DataError(
      `Label ${y[bad]} of image ${bad < train.labels.count ? bad : bad - train.labels.count} (${bad < train.labels.count ? 'training' : 'test'} set) is not a class: Fashion-MNIST has classes 0-${classCount - 1}.`,
    );
  return {
    name,
    features: pixelFeatureNames(cols, rows),
    target: 'class',
    task: 'classification',
    classes: [...FASHION_MNIST_CLASSES],
    X: { rows: n, cols: features, values: X },
    y,
    split: { train: train.images.count },
    image: { width: cols, height: rows },
  };
}

/** Read, decompress and decode the four files. */
export async function loadFashionMnist(
  readBytes: ReadDatasetBytes,
  gunzip: Gunzip,
): Promise<Dataset> {
  const f = FASHION_MNIST_FILES;
  const [train, test] = await Promise.all([
    readPart(f.trainImages, f.trainLabels, readBytes, gunzip),
    readPart(f.testImages, f.testLabels, readBytes, gunzip),
  ]);
  return fashionMnistFromParts(train, test);
}
