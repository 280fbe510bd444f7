/** predict, grad and gradcheck on a trained iris model, in-process. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFile, type ModelFile } from '../../../src/lib/model-file/index';
import { createWorkspace, type Workspace } from './helpers';
import { referenceForward } from './reference-forward';

const IRIS_CSV = readFileSync(
  new URL('../../../static/datasets/iris.csv', import.meta.url),
  'utf8',
);
const [HEADER, ...ROWS] = IRIS_CSV.trim().split('\n');

let ws: Workspace;
let model: ModelFile;
beforeAll(async () => {
  ws = createWorkspace();
  await ws.cli(['init', '--template', 'iris', '--out', 'iris.model.json']);
  const run = await ws.cli(['train', '--model', 'iris.model.json', '--data', 'iris']);
  expect(run.code).toBe(0);
  const read = readModelFile(readFileSync(ws.path('iris.model.json'), 'utf8'));
  if (!read.ok) throw new Error(read.error);
  model = read.model;
  writeFileSync(ws.path('iris.csv'), IRIS_CSV);
  // Three rows, columns shuffled: predict finds features by name.
  const pick = [ROWS[0], ROWS[60], ROWS[120]].map((r) => r.split(','));
  writeFileSync(
    ws.path('three.csv'),
    [
      'class,petal_width_cm,petal_length_cm,sepal_width_cm,sepal_length_cm',
      ...pick.map((c) => [c[4], c[3], c[2], c[1], c[0]].join(',')),
    ].join('\n'),
  );
  writeFileSync(
    ws.path('unlabelled.csv'),
    [
      HEADER.split(',').slice(0, 4).join(','),
      ...ROWS.slice(0, 5).map((r) => r.split(',').slice(0, 4).join(',')),
    ].join('\n'),
  );
});
afterAll(() => ws.remove());

function classOf(row: string): number {
  return model.data!.classes.indexOf(row.split(',')[4]);
}

function featuresOf(row: string): number[] {
  return row.split(',').slice(0, 4).map(Number);
}

describe('predict', () => {
  it('matches a forward pass written from the file format, with the accuracy it implies', async () => {
    const run = await ws.cli([
      'predict',
      '--model',
      'iris.model.json',
      '--data',
      'iris.csv',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.rows).toBe(150);
    const expected = ROWS.map((r) => referenceForward(model, featuresOf(r)));
    result.outputs.forEach((row: number[], i: number) =>
      row.forEach((v, k) => expect(v).toBeCloseTo(expected[i][k], 12)),
    );
    const predicted = expected.map((p) => p.indexOf(Math.max(...p)));
    expect(result.predictions).toEqual(predicted.map((k) => model.data!.classes[k]));
    const right = ROWS.filter((r, i) => predicted[i] === classOf(r)).length;
    expect(result.accuracy).toBe(right / 150);
    expect(result.accuracy).toBeGreaterThan(0.9);
  });

  it('finds the columns by name, and prints a table with the accuracy', async () => {
    const run = await ws.cli(['predict', '--model', 'iris.model.json', '--data', 'three.csv']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/line\s+prediction\s+probability\s+actual/);
    expect(run.stdout).toMatch(
      /three\.csv: accuracy [\d.]+% \(\d of 3 rows right\), loss [\d.]+ \(cross_entropy\)/,
    );
  });

  it('without the target column it predicts and says there is nothing to score', async () => {
    const run = await ws.cli([
      'predict',
      '--model',
      'iris.model.json',
      '--data',
      'unlabelled.csv',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.predictions).toHaveLength(5);
    expect(result.accuracy).toBeUndefined();
    const text = await ws.cli([
      'predict',
      '--model',
      'iris.model.json',
      '--data',
      'unlabelled.csv',
    ]);
    expect(text.stdout).toContain(
      'unlabelled.csv: 5 rows predicted (no "class" column to score against)',
    );
  });
});

describe('grad', () => {
  it('prints the DESIGN §5 JSON shape, with the loss a hand forward pass gives', async () => {
    const run = await ws.cli([
      'grad',
      '--model',
      'iris.model.json',
      '--data',
      'iris.csv',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(Object.keys(result)).toEqual(['loss', 'gradients']);
    expect(Object.keys(result.gradients)).toEqual(['n2', 'n4']);
    expect(result.gradients.n2.W).toHaveLength(4);
    expect(result.gradients.n2.W[0]).toHaveLength(5);
    expect(result.gradients.n4.b).toHaveLength(3);
    const loss =
      -ROWS.reduce((s, r) => s + Math.log(referenceForward(model, featuresOf(r))[classOf(r)]), 0) /
      150;
    expect(result.loss).toBeCloseTo(loss, 12);
  });

  it('text output lists the loss and each layer', async () => {
    const run = await ws.cli(['grad', '--model', 'iris.model.json', '--data', 'iris.csv']);
    expect(run.stdout).toMatch(/^loss [\d.]+ over 150 rows of iris\.csv/);
    expect(run.stdout).toContain('n2  dC/dW (4 × 5):');
    expect(run.stdout).toContain('n4  dC/db (3):');
  });
});

describe('gradcheck', () => {
  it('passes on the trained iris model, per layer', async () => {
    const run = await ws.cli([
      'gradcheck',
      '--model',
      'iris.model.json',
      '--data',
      'iris.csv',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ passed: true, rows: 150, totalRows: 150, weights: 'file' });
    expect(result.layers.map((l: { layerId: string }) => l.layerId)).toEqual(['n2', 'n4']);
    for (const layer of result.layers) {
      expect(layer.maxRelativeError).toBeLessThan(1e-7);
      expect(layer.verdict).toBe('ok');
      expect(layer.entries).toBe(layer.layerId === 'n2' ? 25 : 18);
    }
    const text = await ws.cli(['gradcheck', '--model', 'iris.model.json', '--data', 'iris.csv']);
    expect(text.stdout).toContain(
      'Backprop agrees with finite differences (every relative error < 1e-7).',
    );
  });

  it('checks an untrained design at the weights its seed draws', async () => {
    await ws.cli(['init', '--template', 'xor', '--out', 'xor.model.json']);
    const run = await ws.cli(['gradcheck', '--model', 'xor.model.json', '--data', 'xor']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('at initial weights from seed 1');
  });

  it('checks a large file on evenly spaced rows', async () => {
    await ws.cli(['init', '--template', 'digits', '--out', 'digits.model.json']);
    const run = await ws.cli([
      'gradcheck',
      '--model',
      'digits.model.json',
      '--data',
      'digits',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.totalRows).toBe(1797);
    expect(result.rows).toBeLessThan(1797);
    expect(result.passed).toBe(true);
  }, 60_000);
});
