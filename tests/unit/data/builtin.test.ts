import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_DATASETS,
  BUILTIN_DATASET_NAMES,
  loadBuiltinDataset,
} from '../../../src/lib/data/builtin';
import { DataError } from '../../../src/lib/data/errors';
import { STATIC_DATASETS_DIR, loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { toRows } from '../../../src/lib/engine/matrix';
import { featureMatrix } from '../../../src/lib/engine/feature-rows';

function classCounts(y: Float64Array, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const c of y) counts[c]++;
  return counts;
}

describe('built-in CSV datasets', () => {
  it('iris is 150 x 4 with setosa, versicolor, virginica, 50 each', async () => {
    const iris = await loadBuiltinDatasetNode('iris');
    expect(iris.name).toBe('iris');
    expect([iris.X.rows, iris.X.cols]).toEqual([150, 4]);
    expect(iris.features).toEqual([
      'sepal_length_cm',
      'sepal_width_cm',
      'petal_length_cm',
      'petal_width_cm',
    ]);
    expect(iris.target).toBe('class');
    expect(iris.task).toBe('classification');
    expect(iris.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(classCounts(iris.y, 3)).toEqual([50, 50, 50]);
    // First and last rows of the file.
    expect(toRows(featureMatrix(iris.X))[0]).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(toRows(featureMatrix(iris.X))[149]).toEqual([5.9, 3, 5.1, 1.8]);
    expect(iris.y[0]).toBe(0);
    expect(iris.y[149]).toBe(2);
  });

  it('wine, breast_cancer and digits match the README', async () => {
    const wine = await loadBuiltinDatasetNode('wine');
    expect([wine.X.rows, wine.X.cols]).toEqual([178, 13]);
    expect(wine.classes).toEqual(['class_0', 'class_1', 'class_2']);
    expect(classCounts(wine.y, 3)).toEqual([59, 71, 48]);

    const cancer = await loadBuiltinDatasetNode('breast_cancer');
    expect([cancer.X.rows, cancer.X.cols]).toEqual([569, 30]);
    // First appearance: the file starts with malignant rows (scikit-learn's 0 and 1 too).
    expect(cancer.classes).toEqual(['malignant', 'benign']);
    expect(classCounts(cancer.y, 2)).toEqual([212, 357]);

    const digits = await loadBuiltinDatasetNode('digits');
    expect([digits.X.rows, digits.X.cols]).toEqual([1797, 64]);
    expect(digits.features[9]).toBe('pixel_1_1');
    expect(digits.task).toBe('classification');
    expect(digits.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const pixels = Array.from(featureMatrix(digits.X).data);
    expect(Math.min(...pixels)).toBe(0);
    expect(Math.max(...pixels)).toBe(16);
  });

  it('the metadata agrees with what loads', async () => {
    expect(BUILTIN_DATASETS.map((d) => d.name)).toEqual([...BUILTIN_DATASET_NAMES]);
    for (const info of BUILTIN_DATASETS) {
      const d = await loadBuiltinDatasetNode(info.name);
      expect(d.X.cols, info.name).toBe(info.features);
      expect(d.classes.length, info.name).toBe(info.classes);
      expect(d.task, info.name).toBe(info.task);
      if (info.source === 'csv') expect(d.X.rows, info.name).toBe(info.rows);
    }
  });
});

describe('loadBuiltinDataset', () => {
  it('reads CSV datasets through the given function, by file name', async () => {
    const asked: string[] = [];
    const d = await loadBuiltinDataset('iris', async (fileName) => {
      asked.push(fileName);
      return 'a,b,class\n1,2,p\n3,4,q\n';
    });
    expect(asked).toEqual(['iris.csv']);
    expect(d.name).toBe('iris');
    expect(d.classes).toEqual(['p', 'q']);
  });

  it('generates synthetic datasets without reading files, honouring the options', async () => {
    const d = await loadBuiltinDataset(
      'spirals',
      () => Promise.reject(new Error('should not read')),
      { n: 40, seed: 3 },
    );
    expect(d.X.rows).toBe(40);
    expect(d.name).toBe('spirals');
  });

  it('names the choices for an unknown dataset', async () => {
    await expect(loadBuiltinDataset('mnist', async () => '')).rejects.toThrow(DataError);
    await expect(loadBuiltinDataset('mnist', async () => '')).rejects.toThrow(
      'There is no built-in dataset "mnist". Choose one of: iris, wine, breast_cancer, digits, fashion_mnist, xor, circles, spirals, blobs, runge.',
    );
  });

  it('passes on CSV errors with the file name', async () => {
    await expect(loadBuiltinDataset('wine', async () => 'a,b\n1\n')).rejects.toThrow(
      'wine.csv: line 2 has 1 cell, the header has 2.',
    );
  });
});

describe('loadBuiltinDatasetNode', () => {
  it('finds static/datasets from the module, not the working directory', () => {
    expect(existsSync(`${STATIC_DATASETS_DIR}/iris.csv`)).toBe(true);
    const modulePath = fileURLToPath(
      new URL('../../../src/lib/data/load-node.ts', import.meta.url),
    );
    const script = `import(${JSON.stringify(modulePath)}).then(async (m) => { const d = await m.loadBuiltinDatasetNode('iris'); console.log(d.X.rows + 'x' + d.X.cols); })`;
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const out = execFileSync(tsx, ['-e', script], { cwd: tmpdir(), encoding: 'utf8' });
    expect(out.trim()).toBe('150x4');
  });
});
