/**
 * The worker's dataset store (DataService, in Node): built-ins loaded once and kept by key, a
 * Fashion-MNIST-shaped image dataset (hand-made gzip IDX files of 2×2 images) with its fixed
 * split, a training load by key, the misclassified images against the raw pixels and the
 * confusion matrix, uploads read with progress, a semicolon file with its delimiter detected and
 * changed, column kinds, Cancel, and the limit on what is kept.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  STATIC_DATASETS_DIR,
  gunzipNode,
  readDatasetFileNode,
} from '../../../src/lib/data/load-node';
import { FASHION_MNIST_FILES } from '../../../src/lib/data/fashion-mnist';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import { DataService } from '../../../src/lib/worker/data-service';
import type { UploadProgress } from '../../../src/lib/worker/dataset-api';
import { gunzipUnlessDecoded, type BuiltinReaders } from '../../../src/lib/worker/dataset-store';
import { CANCELLED } from '../../../src/lib/worker/upload-reader';
import { IRIS_SPEC, regressionDataset, settings } from './helpers';

function idxBytes(dims: number[], values: number[]): Uint8Array {
  const header = [0, 0, 0x08, dims.length];
  for (const d of dims) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Uint8Array.from([...header, ...values]);
}

/** 6 training and 4 test images of 2×2 pixels; pixel values and labels chosen by hand. */
const TRAIN_PIXELS = [
  [0, 0, 0, 0],
  [255, 255, 255, 255],
  [0, 255, 0, 255],
  [255, 0, 255, 0],
  [10, 20, 30, 40],
  [200, 100, 50, 25],
];
const TRAIN_LABELS = [0, 1, 2, 3, 4, 5];
const TEST_PIXELS = [
  [5, 0, 0, 5],
  [250, 250, 240, 255],
  [1, 2, 3, 4],
  [90, 80, 70, 60],
];
const TEST_LABELS = [9, 8, 7, 6];

const IMAGE_FILES = new Map<string, Uint8Array>([
  [FASHION_MNIST_FILES.trainImages, idxBytes([6, 2, 2], TRAIN_PIXELS.flat())],
  [FASHION_MNIST_FILES.trainLabels, idxBytes([6], TRAIN_LABELS)],
  [FASHION_MNIST_FILES.testImages, idxBytes([4, 2, 2], TEST_PIXELS.flat())],
  [FASHION_MNIST_FILES.testLabels, idxBytes([4], TEST_LABELS)],
]);

/** Readers over static/datasets (text) and the hand-made image files (bytes), counting reads. */
function countingReaders() {
  const reads: string[] = [];
  const readers = (): BuiltinReaders => ({
    readText: (file) => (reads.push(file), readDatasetFileNode(file)),
    binary: {
      readBytes: async (file) => {
        reads.push(file);
        const bytes = IMAGE_FILES.get(file);
        if (!bytes) throw new Error(`no file ${file}`);
        return new Uint8Array(gzipSync(bytes));
      },
      gunzip: gunzipNode,
    },
  });
  return { reads, readers };
}

/** 4 pixels -> Dense 10 -> softmax -> cross-entropy. */
const IMAGE_SPEC: LayerSpec = {
  input: { id: 'n1', size: 4 },
  layers: [
    { id: 'n2', type: 'dense', inputs: ['n1'], inputSize: 4, units: 10, init: 'auto' },
    { id: 'n3', type: 'activation', inputs: ['n2'], fn: 'softmax', size: 10 },
  ],
  loss: { id: 'n4', type: 'cross_entropy', inputs: ['n3'] },
};

const BASE = 'http://unused.example/datasets/';

function wineText(delimiter = ','): string {
  const text = readFileSync(join(STATIC_DATASETS_DIR, 'wine.csv'), 'utf8');
  return delimiter === ',' ? text : text.replaceAll(',', delimiter);
}

describe('DataService: the dataset store', () => {
  it('loads a built-in once, keeps it by key and answers only its facts', async () => {
    const { reads, readers } = countingReaders();
    const service = new DataService({ store: { readers } });
    const [a, b] = await Promise.all([
      service.storeDataset({ kind: 'builtin', name: 'iris', baseUrl: BASE }),
      service.storeDataset({ kind: 'builtin', name: 'iris', baseUrl: BASE }),
    ]);
    expect(reads).toEqual(['iris.csv']);
    expect(a).toEqual(b);
    expect(a).toMatchObject({
      key: 'builtin:iris',
      name: 'iris',
      rows: 150,
      task: 'classification',
      classes: ['setosa', 'versicolor', 'virginica'],
      fixedSplit: null,
      image: null,
      planePoints: null,
    });
    expect(a.features).toHaveLength(4);
    expect(Object.keys(a)).not.toContain('X');
    expect(service.hasDataset(a.key)).toBe(true);
    // A 2-D dataset comes with its points for the decision-boundary chart.
    const xor = await service.storeDataset({ kind: 'builtin', name: 'xor', baseUrl: BASE });
    expect(xor.planePoints?.length).toBe(xor.rows);
    // A new worker (a restart) holds nothing.
    expect(new DataService().hasDataset(a.key)).toBe(false);
  });

  it('trains on a stored dataset by key; an unknown key is refused in words', async () => {
    const { readers } = countingReaders();
    const service = new DataService({ store: { readers } });
    const iris = await service.storeDataset({ kind: 'builtin', name: 'iris', baseUrl: BASE });
    const result = service.loadStored({
      spec: IRIS_SPEC,
      datasetKey: iris.key,
      settings: settings(),
    });
    expect(result.trainRows + result.testRows).toBe(150);
    expect(() =>
      service.loadStored({ spec: IRIS_SPEC, datasetKey: 'builtin:nope', settings: settings() }),
    ).toThrow('The worker does not hold the dataset "builtin:nope"; load the dataset again.');
  });

  it('an image dataset keeps its published split, and the misclassified images are the raw test pixels', async () => {
    const { readers } = countingReaders();
    const service = new DataService({ store: { readers } });
    const facts = await service.storeDataset({
      kind: 'builtin',
      name: 'fashion_mnist',
      baseUrl: BASE,
    });
    expect(facts).toMatchObject({
      rows: 10,
      fixedSplit: { train: 6, test: 4 },
      image: { width: 2, height: 2 },
    });
    expect(facts.classes[9]).toBe('Ankle boot');
    // testFraction 0.5 would give 5 test rows: the published split wins.
    const loaded = service.loadStored({
      spec: IMAGE_SPEC,
      datasetKey: facts.key,
      settings: settings({ testFraction: 0.5, standardize: true }),
    });
    expect([loaded.trainRows, loaded.testRows]).toEqual([6, 4]);

    // No test label (6..9) occurs in training, so the untrained and barely trained network gets
    // at least some of them wrong; every wrong one is a test row with its own pixels and label.
    service.step();
    const data = service.misclassified(8)!;
    const confusion = service.confusionMatrix()!;
    const offDiagonal = confusion.matrix.flatMap((row, t) => row.filter((_, p) => p !== t));
    expect(data.wrong).toBe(offDiagonal.reduce((s, n) => s + n, 0));
    expect(data).toMatchObject({ width: 2, height: 2, split: 'test', checked: 4 });
    expect(data.images.length).toBe(data.wrong);
    expect(data.images.length).toBeGreaterThan(0);
    for (const image of data.images) {
      // Standardized for training, brought back to grey levels: the bytes of the file.
      expect(Array.from(image.pixels)).toEqual(TEST_PIXELS[image.row]);
      expect(image.trueClass).toBe(TEST_LABELS[image.row]);
      expect(image.predictedClass).not.toBe(image.trueClass);
      expect(confusion.matrix[image.trueClass][image.predictedClass]).toBeGreaterThan(0);
    }
    expect(() => service.misclassified(0)).toThrow(/whole number from 1 to/);
    // Not an image dataset: no images.
    const iris = await service.storeDataset({ kind: 'builtin', name: 'iris', baseUrl: BASE });
    service.loadStored({ spec: IRIS_SPEC, datasetKey: iris.key, settings: settings() });
    expect(service.misclassified(8)).toBeNull();
  });

  it('reads an upload with progress, detects a semicolon, and prepares wine with target "hue" as regression with "class" one-hot', async () => {
    const service = new DataService();
    const text = wineText(';');
    const file = new Blob([text]);
    const progress: UploadProgress[] = [];
    const read = await service.readUpload('u1', file, 'wine.csv', (p) => void progress.push(p));
    if (!read.ok) throw new Error(read.problem.message);
    expect(read.preview.delimiter).toBe(';');
    expect(read.preview.columns).toHaveLength(14);
    expect(read.preview.columns[13]).toBe('class');
    expect(read.preview.rows[0][0]).toBe('14.23');
    expect(read.preview.lineNumbers).toEqual([2, 3, 4, 5, 6]);
    expect(progress.at(-1)).toEqual({ phase: 'reading', done: file.size, total: file.size });

    const prepared = service.prepareUpload('u1', { target: 'hue' });
    if (!prepared.ok) throw new Error(prepared.problem.message);
    expect(prepared.delimiter).toBe(';');
    expect(prepared.facts).toMatchObject({ task: 'regression', target: 'hue', rows: 178 });
    expect(prepared.columns.find((c) => c.name === 'class')).toMatchObject({
      role: 'category',
      auto: true,
      categories: ['class_0', 'class_1', 'class_2'],
    });
    expect(prepared.facts.features).toContain('class=class_1');
    expect(prepared.facts.features).not.toContain('hue');
    // Kept in the store: a regression network trains on it by key.
    expect(service.hasDataset(prepared.facts.key)).toBe(true);

    // Read with the wrong delimiter (comma), the file is one column: that is what is shown.
    const comma = service.previewUpload('u1', ',');
    expect(comma.ok && comma.preview.columns.length).toBe(1);

    // The user ignores "class" and makes "magnesium" a category.
    const chosen = service.prepareUpload('u1', {
      target: 'hue',
      delimiter: ';',
      kinds: [
        ['class', 'ignore'],
        ['magnesium', 'category'],
      ],
    });
    if (!chosen.ok) throw new Error(chosen.problem.message);
    expect(chosen.facts.features.some((f) => f.startsWith('class'))).toBe(false);
    expect(chosen.facts.features.filter((f) => f.startsWith('magnesium=')).length).toBeGreaterThan(
      1,
    );
  });

  it('says where an upload goes wrong, with the line', async () => {
    const service = new DataService();
    const bad = 'a,b,y\n1,2,3\n4,x,6\n' + '7,8,9\n'.repeat(30);
    await service.readUpload('u2', new Blob([bad]), 'bad.csv');
    const result = service.prepareUpload('u2', { target: 'y', kinds: [['b', 'number']] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.line).toBe(3);
    expect(result.problem.lineText).toBe('4,x,6');
    expect(result.problem.message).toMatch(/"x"/);
  });

  it('a cancelled upload is dropped', async () => {
    const service = new DataService();
    const reading = service.readUpload('u3', new Blob([wineText()]), 'wine.csv');
    service.cancelUpload('u3');
    expect(await reading).toEqual({ ok: false, problem: { message: CANCELLED } });
    expect(service.prepareUpload('u3', { target: 'hue' }).ok).toBe(false);
  });

  it('keeps a limited number of datasets, never dropping the one being trained', async () => {
    const service = new DataService({ store: { keep: 2 } });
    const table = (name: string) => ({
      kind: 'table' as const,
      dataset: { ...regressionDataset([[1], [2], [3], [4]], [1, 2, 3, 4]), name },
    });
    const a = await service.storeDataset(table('a'));
    service.loadStored({
      spec: {
        input: { id: 'i', size: 1 },
        layers: [{ id: 'd', type: 'dense', inputs: ['i'], inputSize: 1, units: 1, init: 'auto' }],
        loss: { id: 'l', type: 'mse', inputs: ['d'] },
      },
      datasetKey: a.key,
      settings: settings({ testFraction: 0.25 }),
    });
    const b = await service.storeDataset(table('b'));
    const c = await service.storeDataset(table('c'));
    expect(service.hasDataset(a.key)).toBe(true);
    expect(service.hasDataset(b.key)).toBe(false);
    expect(service.hasDataset(c.key)).toBe(true);
  });

  it('gunzips fetched bytes unless the server already decoded them (Content-Encoding: gzip)', async () => {
    const raw = idxBytes([2], [3, 4]);
    expect(Array.from(await gunzipUnlessDecoded(new Uint8Array(gzipSync(raw)), 'f.gz'))).toEqual(
      Array.from(raw),
    );
    expect(await gunzipUnlessDecoded(raw, 'f.gz')).toBe(raw);
  });
});
