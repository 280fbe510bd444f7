/**
 * The IDX decoder on hand-made files (bytes built here, header written out by hand), its clear
 * refusals, gzip decompression both ways, and the real Fashion-MNIST files.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/lib/data/errors';
import {
  FASHION_MNIST_CLASSES,
  fashionMnistFromParts,
  pixelFeatureNames,
} from '../../../src/lib/data/fashion-mnist';
import { gunzipWithStreams } from '../../../src/lib/data/gunzip';
import {
  decodeIdx,
  decodeIdxImages,
  decodeIdxLabels,
  decodeIdxPair,
} from '../../../src/lib/data/idx';
import { gunzipNode, loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { dataErrorOf } from './helpers';
import { featureMatrix, isFeatureRows } from '../../../src/lib/engine/feature-rows';

/** An IDX file: magic 00 00 <type> <dims>, each size as big-endian uint32, then the bytes. */
function idxBytes(dims: number[], values: number[], type = 0x08): Uint8Array {
  const header = [0, 0, type, dims.length];
  for (const d of dims) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Uint8Array.from([...header, ...values]);
}

/** Two 2×3 images and their labels, as Fashion-MNIST would hold them. */
const IMAGES = idxBytes([2, 2, 3], [0, 1, 2, 3, 4, 255, 10, 20, 30, 40, 50, 60]);
const LABELS = idxBytes([2], [9, 0]);

describe('decodeIdx', () => {
  it('reads a hand-made image file: the big-endian sizes and the bytes, as a Uint8Array', () => {
    // The header of a 3-dimensional unsigned-byte file is 00 00 08 03.
    expect(Array.from(IMAGES.subarray(0, 4))).toEqual([0, 0, 8, 3]);
    const images = decodeIdxImages(IMAGES, 'images');
    expect(images).toMatchObject({ count: 2, rows: 2, cols: 3 });
    expect(images.pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(images.pixels)).toEqual([0, 1, 2, 3, 4, 255, 10, 20, 30, 40, 50, 60]);
    const labels = decodeIdxLabels(LABELS, 'labels');
    expect(labels.count).toBe(2);
    expect(Array.from(labels.labels)).toEqual([9, 0]);
  });

  it('reads sizes above 255 (all four bytes of each size count)', () => {
    const n = 256 + 44; // 0x0000012c
    const file = idxBytes([n], new Array<number>(n).fill(7));
    expect(Array.from(file.subarray(4, 8))).toEqual([0, 0, 1, 0x2c]);
    expect(decodeIdx(file, 1, 'x').dims).toEqual([300]);
  });

  it('refuses a file that is not IDX, and says a gzip file still needs decompressing', () => {
    const gz = gzipSync(LABELS);
    const error = dataErrorOf(() => decodeIdxLabels(new Uint8Array(gz), 'labels.gz'));
    expect(error.message).toBe(
      'labels.gz: not an IDX file: it starts with 0x1f8b0800, expected 0x00000801 (is it still gzip-compressed?).',
    );
  });

  it('refuses values that are not unsigned bytes, naming the type', () => {
    const floats = idxBytes([1], [0, 0, 0, 0], 0x0d);
    expect(dataErrorOf(() => decodeIdxLabels(floats, 'f.idx')).message).toBe(
      'f.idx: the values are of type 0x0d (float); only unsigned bytes (0x08) are read.',
    );
  });

  it('refuses the wrong number of dimensions (a label file given as images)', () => {
    expect(dataErrorOf(() => decodeIdxImages(LABELS, 'train-labels')).message).toBe(
      'train-labels: the file has 1 dimension (magic 0x00000801), expected 3 (magic 0x00000803).',
    );
  });

  it('refuses a cut-short header or data, and bytes beyond the data', () => {
    expect(dataErrorOf(() => decodeIdx(Uint8Array.from([0, 0]), 1, 'a')).message).toBe(
      'a: the file has 2 bytes, too few for an IDX header (4 or more).',
    );
    expect(dataErrorOf(() => decodeIdx(IMAGES.subarray(0, 10), 3, 'b')).message).toBe(
      'b: the header is cut short: 10 bytes, expected 16.',
    );
    expect(dataErrorOf(() => decodeIdx(IMAGES.subarray(0, 20), 3, 'c')).message).toBe(
      'c: the data is cut short: the header announces 2 × 2 × 3 = 12 values, the file holds 4.',
    );
    const longer = Uint8Array.from([...LABELS, 1, 2]);
    expect(dataErrorOf(() => decodeIdx(longer, 1, 'd')).message).toBe(
      'd: the file has 2 bytes after the 2 values its header announces.',
    );
  });

  it('refuses images and labels that are not as many', () => {
    const threeLabels = idxBytes([3], [1, 2, 3]);
    const error = dataErrorOf(() =>
      decodeIdxPair({ bytes: IMAGES, name: 'img' }, { bytes: threeLabels, name: 'lab' }),
    );
    expect(error.message).toBe('img holds 2 images but lab holds 3 labels; they must be as many.');
  });
});

describe('gunzip', () => {
  it('DecompressionStream and node:zlib both give back the bytes gzip was given', async () => {
    const gz = new Uint8Array(gzipSync(IMAGES));
    expect(Array.from(await gunzipWithStreams(gz, 'a.gz'))).toEqual(Array.from(IMAGES));
    expect(Array.from(await gunzipNode(gz, 'a.gz'))).toEqual(Array.from(IMAGES));
  });

  it('says when the bytes are not gzip, or are a broken gzip stream', async () => {
    for (const gunzip of [gunzipWithStreams, gunzipNode]) {
      await expect(gunzip(IMAGES, 'plain.idx')).rejects.toThrow(
        'plain.idx: is not gzip-compressed (it does not start with 1f 8b).',
      );
      const cut = new Uint8Array(gzipSync(IMAGES)).subarray(0, 12);
      await expect(gunzip(cut, 'cut.gz')).rejects.toBeInstanceOf(DataError);
    }
  });
});

describe('Fashion-MNIST', () => {
  it('puts the training images first, marks the split and keeps pixels 0-255', () => {
    const part = { images: decodeIdxImages(IMAGES, 'i'), labels: decodeIdxLabels(LABELS, 'l') };
    const testPart = {
      images: decodeIdxImages(idxBytes([1, 2, 3], [6, 5, 4, 3, 2, 1]), 'ti'),
      labels: decodeIdxLabels(idxBytes([1], [3]), 'tl'),
    };
    const d = fashionMnistFromParts(part, testPart);
    expect([d.X.rows, d.X.cols]).toEqual([3, 6]);
    expect(Array.from(featureMatrix(d.X).data)).toEqual([
      0, 1, 2, 3, 4, 255, 10, 20, 30, 40, 50, 60, 6, 5, 4, 3, 2, 1,
    ]);
    expect(Array.from(d.y)).toEqual([9, 0, 3]);
    expect(d.split).toEqual({ train: 2 });
    expect(d.image).toEqual({ width: 3, height: 2 });
    expect(d.features).toEqual([
      'pixel_0_0',
      'pixel_0_1',
      'pixel_0_2',
      'pixel_1_0',
      'pixel_1_1',
      'pixel_1_2',
    ]);
    expect(d.classes).toEqual([...FASHION_MNIST_CLASSES]);
  });

  it('refuses a label that is not one of the 10 classes', () => {
    const part = {
      images: decodeIdxImages(IMAGES, 'i'),
      labels: decodeIdxLabels(idxBytes([2], [1, 10]), 'l'),
    };
    expect(dataErrorOf(() => fashionMnistFromParts(part, part)).message).toBe(
      'Label 10 of image 1 (training set) is not a class: Fashion-MNIST has classes 0-9.',
    );
  });

  it('loads the real files: 60,000 + 10,000 images of 28×28, the published first labels', async () => {
    const d = await loadBuiltinDatasetNode('fashion_mnist');
    expect([d.X.rows, d.X.cols]).toEqual([70_000, 784]);
    expect(d.split).toEqual({ train: 60_000 });
    expect(d.features).toEqual(pixelFeatureNames(28, 28));
    expect(d.classes).toEqual([
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
    ]);
    // The first labels of each file, as listed by the dataset's authors and torchvision.
    expect(Array.from(d.y.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from(d.y.subarray(60_000, 60_005))).toEqual([9, 2, 1, 1, 6]);
    // 6,000 of each class in training, 1,000 in test.
    const counts = (from: number, to: number) => {
      const c = new Array<number>(10).fill(0);
      for (let i = from; i < to; i++) c[d.y[i]]++;
      return c;
    };
    expect(counts(0, 60_000)).toEqual(new Array(10).fill(6000));
    expect(counts(60_000, 70_000)).toEqual(new Array(10).fill(1000));
    let min = Infinity;
    let max = -Infinity;
    const pixels = isFeatureRows(d.X) ? d.X.values : d.X.data;
    for (let i = 0; i < pixels.length; i++) {
      if (pixels[i] < min) min = pixels[i];
      if (pixels[i] > max) max = pixels[i];
    }
    expect([min, max]).toEqual([0, 255]);
  }, 60_000); // reads and decompresses 30 MB: seconds on a busy machine
});
