/**
 * init + train end to end, in-process. The trained file is then checked with a forward pass
 * written from the file format alone (reference-forward.ts), not the engine's predict.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitIndices } from '../../../src/lib/data/index';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { readModelFile, writeModelFile, type ModelFile } from '../../../src/lib/model-file/index';
import { createWorkspace, type Workspace } from './helpers';
import { referenceForward, referenceLoss } from './reference-forward';
import { featureMatrix } from '../../../src/lib/engine/feature-rows';

let ws: Workspace;
beforeAll(() => (ws = createWorkspace()));
afterAll(() => ws.remove());

function readModel(path: string): ModelFile {
  const result = readModelFile(readFileSync(path, 'utf8'));
  if (!result.ok) throw new Error(result.error);
  return result.model;
}

function argmax(row: number[]): number {
  return row.reduce((best, v, k) => (v > row[best] ? k : best), 0);
}

describe('init and train', () => {
  it('init --template iris writes an untrained, valid model file', async () => {
    const run = await ws.cli(['init', '--template', 'iris', '--out', 'iris.model.json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Wrote iris.model.json');
    const model = readModel(ws.path('iris.model.json'));
    expect(model.weights).toBeNull();
    expect(
      model.spec!.layers.map((l) =>
        l.type === 'dense' ? l.units : l.type === 'activation' ? l.fn : l.type,
      ),
    ).toEqual([5, 'sigmoid', 3, 'softmax']);
    expect(model.data).toMatchObject({ dataset: 'iris', task: 'classification' });
    expect(model.data!.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(model.training).toMatchObject({ epochs: 200, seed: 42, batchSize: 32 });
  });

  it('train --data iris reaches >= 90% test accuracy, and the file alone reproduces its metrics', async () => {
    const run = await ws.cli([
      'train',
      '--model',
      'iris.model.json',
      '--data',
      'iris',
      '--out',
      'trained.model.json',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Trained "iris-mlp" on iris for 200 epochs/);
    expect(run.stdout).toContain('120 training rows, 30 test rows.');
    const model = readModel(ws.path('trained.model.json'));
    const metrics = model.training.metrics!;
    expect(metrics.testAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(model.training.history!.epoch).toHaveLength(200);
    expect(model.data!.standardize!.mean).toHaveLength(4);

    // Rebuild both splits the way the file says (seed, test fraction) and score them by hand.
    const dataset = await loadBuiltinDatasetNode('iris');
    const split = splitIndices(dataset, {
      testFraction: model.training.testFraction,
      seed: model.training.seed,
    });
    const score = (rows: number[]) => {
      const outputs = rows.map((i) =>
        referenceForward(
          model,
          Array.from(featureMatrix(dataset.X).data.subarray(i * 4, i * 4 + 4)),
        ),
      );
      const targets = rows.map((i) => [0, 1, 2].map((k) => (k === dataset.y[i] ? 1 : 0)));
      const right = rows.filter((i, r) => argmax(outputs[r]) === dataset.y[i]).length;
      return {
        accuracy: right / rows.length,
        loss: referenceLoss('cross_entropy', outputs, targets),
      };
    };
    const test = score(split.test);
    const train = score(split.train);
    expect(test.accuracy).toBe(metrics.testAccuracy);
    expect(train.accuracy).toBe(metrics.trainAccuracy);
    expect(test.loss).toBeCloseTo(metrics.testLoss, 10);
    expect(train.loss).toBeCloseTo(metrics.trainLoss, 10);
    // The text output shows the same numbers.
    expect(run.stdout).toContain(`${(100 * metrics.testAccuracy!).toFixed(1)}%`);
  });

  it('the untrained file is left alone when --out names another file', () => {
    expect(readModel(ws.path('iris.model.json')).weights).toBeNull();
  });

  it('--json prints exactly one JSON object on stdout; the bar goes to stderr on a terminal', async () => {
    const run = await ws.cli(
      [
        'train',
        '--model',
        'iris.model.json',
        '--epochs',
        '20',
        '--out',
        'short.model.json',
        '--json',
      ],
      { tty: true, columns: 100 },
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0]);
    expect(result).toMatchObject({
      model: 'short.model.json',
      dataset: 'iris',
      epochs: 20,
      trainRows: 120,
      testRows: 30,
    });
    expect(result.metrics).toEqual(readModel(ws.path('short.model.json')).training.metrics);
    // Redrawn in place: carriage returns, the epoch counter, a loss and an ETA.
    expect(run.stderr).toContain('\r');
    expect(run.stderr).toMatch(
      /epoch 20\/20 \[█+\] 100% {2}loss [\d.]+ {2}test acc [\d.]+% {2}ETA/,
    );
  });

  it('no progress bar when stderr is not a terminal', async () => {
    const run = await ws.cli([
      'train',
      '--model',
      'iris.model.json',
      '--epochs',
      '3',
      '--out',
      'x.model.json',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it('flags override the file; training continues from weights in the file and extends its history', async () => {
    const first = await ws.cli([
      'train',
      '--model',
      'iris.model.json',
      '--epochs',
      '5',
      '--optimizer',
      'adam',
      '--lr',
      '0.02',
      '--batch-size',
      '10',
      '--seed',
      '7',
      '--test-fraction',
      '0.3',
      '--l2',
      '0.001',
      '--no-shuffle',
      '--out',
      'c.model.json',
    ]);
    expect(first.code).toBe(0);
    const once = readModel(ws.path('c.model.json'));
    expect(once.training).toMatchObject({
      optimizer: { name: 'adam', learningRate: 0.02 },
      epochs: 5,
      batchSize: 10,
      seed: 7,
      testFraction: 0.3,
      l2: 0.001,
      shuffle: false,
    });
    expect(first.stdout).toContain('105 training rows, 45 test rows.');
    const second = await ws.cli(['train', '--model', 'c.model.json', '--epochs', '3']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('continuing from the weights in the file');
    const twice = readModel(ws.path('c.model.json'));
    expect(twice.training.history!.epoch).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(twice.training.history!.trainLoss.slice(0, 5)).toEqual(once.training.history!.trainLoss);
    expect(twice.weights).not.toEqual(once.weights);
  });

  it('--no-standardize leaves the standardization out of the file', async () => {
    const run = await ws.cli([
      'train',
      '--model',
      'iris.model.json',
      '--epochs',
      '2',
      '--no-standardize',
      '--out',
      'raw.model.json',
    ]);
    expect(run.code).toBe(0);
    const model = readModel(ws.path('raw.model.json'));
    expect(model.data!.standardize).toBeUndefined();
    expect(model.training.standardize).toBe(false);
  });

  it('a file saved before its graph compiled (spec null) is compiled with the dataset, or its problems listed', async () => {
    const design = readModel(ws.path('iris.model.json'));
    const graphOnly = { ...design, spec: null, weights: null };
    delete graphOnly.data;
    writeFileSync(ws.path('graph-only.model.json'), writeModelFile(graphOnly));
    const run = await ws.cli([
      'train',
      '--model',
      'graph-only.model.json',
      '--data',
      'iris',
      '--epochs',
      '2',
    ]);
    expect(run.code).toBe(0);
    expect(readModel(ws.path('graph-only.model.json')).spec).toEqual(design.spec);

    const cut = {
      ...graphOnly,
      graph: { ...graphOnly.graph, edges: graphOnly.graph.edges.filter((e) => e.source !== 'n3') },
    };
    writeFileSync(ws.path('cut.model.json'), writeModelFile(cut));
    const failed = await ws.cli(['train', '--model', 'cut.model.json', '--data', 'iris']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^train: The graph in "cut.model.json" has no layer spec and does not compile:\n {2}node n3: /,
    );
  });

  it('continuing on a CSV with the columns in another order trains the same columns', async () => {
    const csv = readFileSync(new URL('../../../static/datasets/iris.csv', import.meta.url), 'utf8');
    const lines = csv
      .trim()
      .split('\n')
      .map((line) => line.split(','));
    const reorder = (cells: string[]) =>
      [cells[4], cells[3], cells[1], cells[0], cells[2]].join(',');
    writeFileSync(ws.path('iris.csv'), csv);
    writeFileSync(ws.path('reordered.csv'), lines.map(reorder).join('\n'));
    const common = ['--model', 'trained.model.json', '--epochs', '3', '--target', 'class'];
    const plain = await ws.cli(['train', ...common, '--data', 'iris.csv', '--out', 'plain.json']);
    const moved = await ws.cli([
      'train',
      ...common,
      '--data',
      'reordered.csv',
      '--out',
      'moved.json',
    ]);
    expect(plain).toMatchObject({ code: 0, stderr: '' });
    expect(moved).toMatchObject({ code: 0, stderr: '' });
    const a = readModel(ws.path('plain.json')),
      b = readModel(ws.path('moved.json'));
    expect(b.weights).toEqual(a.weights);
    expect(b.data!.features).toEqual(a.data!.features);

    writeFileSync(
      ws.path('renamed.csv'),
      ['w,x,y,z,class', ...lines.slice(1).map((c) => c.join(','))].join('\n'),
    );
    const renamed = await ws.cli([
      'train',
      ...common,
      '--data',
      'renamed.csv',
      '--out',
      'renamed.json',
    ]);
    expect(renamed.code).toBe(0);
    expect(renamed.stderr).toContain(
      'Warning: the weights in the file were trained on the columns sepal_length_cm',
    );
  });
});
