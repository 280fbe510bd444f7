/**
 * The model file the panel exports, and the plan it makes before importing one: built from a
 * real worker session trained on iris, checked with the model-file reader, and refused with a
 * reason for every kind of bad file without touching anything.
 */
import { describe, expect, it } from 'vitest';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import type { Dataset } from '../../../src/lib/data/index';
import { compileGraph } from '../../../src/lib/graph/compile';
import { createTemplateDocument, templateById } from '../../../src/lib/graph/templates';
import { readModelFile } from '../../../src/lib/model-file/index';
import { TrainingService } from '../../../src/lib/worker/training-service';
import type { DatasetChoice, UploadChoice } from '../../../src/lib/state/dataset-choice';
import {
  buildModelFile,
  compileContextFor,
  modelFileName,
  modelFileText,
  planImport,
} from '../../../src/lib/state/model-transfer';
import { featureMatrix } from '../../../src/lib/engine/feature-rows';
import { cloneMatrix } from '../../../src/lib/engine/matrix';

const iris = await loadBuiltinDatasetNode('iris');
const wine = await loadBuiltinDatasetNode('wine');
const irisChoice: DatasetChoice = { source: 'builtin', name: 'iris' };
const template = templateById('iris')!;
const graph = createTemplateDocument('iris');
const spec = compileGraph(graph, compileContextFor(iris, irisChoice)).spec!;

function copy(d: Dataset): Dataset {
  return { ...d, X: cloneMatrix(featureMatrix(d.X)), y: d.y.slice() };
}

/** A worker session (the engine as the worker runs it) trained on iris for a few epochs. */
function trainedState() {
  const worker = new TrainingService({ schedule: () => {} });
  worker.load({ spec, dataset: copy(iris), settings: template.training });
  for (let e = 0; e < 5; e++) worker.stepEpoch();
  return worker.getModelState();
}

/** A loader that must not be asked (the test's dataset is already in use). */
const noLoad = async (): Promise<Dataset> => {
  throw new Error('loaded a dataset although the file names the one in use');
};

describe('exported model file', () => {
  it('holds graph, spec, data, settings, history, metrics and weights, and reads back', () => {
    const state = trainedState();
    const file = buildModelFile(graph, state);
    expect(file.name).toBe('iris-mlp');
    expect(file.data).toMatchObject({
      dataset: 'iris',
      target: 'class',
      task: 'classification',
      classes: ['setosa', 'versicolor', 'virginica'],
    });
    expect(file.data?.standardize?.mean).toHaveLength(4);
    expect(file.training.history?.epoch).toEqual([1, 2, 3, 4, 5]);
    expect(file.training.metrics).toEqual(state.metrics);
    const read = readModelFile(modelFileText(graph, state));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.model.weights).toEqual(state.weights);
    expect(read.model.spec).toEqual(spec);
    expect(read.model.graph).toEqual(graph);
  });

  it('names the file after the dataset, with safe characters only', () => {
    expect(modelFileName('iris-mlp')).toBe('iris-mlp.model.json');
    expect(modelFileName('my data (2)-mlp')).toBe('my-data-2-mlp.model.json');
    expect(modelFileName('///')).toBe('model.model.json');
  });
});

describe('planImport', () => {
  const current = { choice: irisChoice, dataset: iris };

  it('plans graph, dataset, settings and weights from a good file', async () => {
    const state = trainedState();
    const result = await planImport(modelFileText(graph, state), current, noLoad);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.spec).toEqual(spec);
    expect(result.plan.dataset).toBe(iris);
    expect(result.plan.settings).toEqual(template.training);
    expect(result.plan.weights).toEqual(state.weights);
    expect(result.plan.history?.epoch).toHaveLength(5);
  });

  it('loads the built-in dataset the file names when another is in use', async () => {
    const text = modelFileText(graph, trainedState());
    const loaded: string[] = [];
    const result = await planImport(
      text,
      { choice: { source: 'builtin', name: 'wine' }, dataset: wine },
      async (c) => {
        loaded.push(c.source === 'builtin' ? c.name : c.fileName);
        return iris;
      },
    );
    expect(loaded).toEqual(['iris']);
    expect(result.ok && result.plan.choice).toEqual(irisChoice);
  });

  it('refuses text that is not JSON, saying where', async () => {
    const result = await planImport('{ "format": ', current, noLoad);
    expect(result).toMatchObject({ ok: false });
    if (!result.ok) expect(result.reason).toMatch(/^not JSON/);
  });

  it('refuses weights of the wrong shape, naming them', async () => {
    const file = buildModelFile(graph, trainedState());
    const first = spec.layers.find((l) => l.type === 'dense')!.id;
    file.weights![first].W.pop();
    const result = await planImport(JSON.stringify(file), current, noLoad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(`weights.${first}.W`);
  });

  it('asks for an uploaded CSV it does not have instead of guessing', async () => {
    const file = buildModelFile(graph, trainedState());
    file.data!.dataset = 'flowers.csv';
    const result = await planImport(JSON.stringify(file), current, noLoad);
    expect(result).toEqual({
      ok: false,
      reason:
        'This model was trained on the file "flowers.csv". Upload it first (Dataset → Upload CSV…), then import the model again.',
    });
  });

  it('refuses a trained file that does not know a class of its dataset, naming it', async () => {
    const file = buildModelFile(graph, trainedState());
    file.data!.classes = ['a', 'b', 'c'];
    const result = await planImport(JSON.stringify(file), current, noLoad);
    expect(result).toEqual({
      ok: false,
      reason:
        '"iris" has the class "setosa", which the model does not know: its classes are "a", "b", "c".',
    });
  });

  it('refuses an untrained file whose classes are not those of its dataset', async () => {
    const file = buildModelFile(graph, trainedState());
    file.weights = null;
    file.data!.classes = ['a', 'b', 'c'];
    const result = await planImport(JSON.stringify(file), current, noLoad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/classes \(a, b, c\) are not those of "iris"/);
  });

  it('refuses a network that does not fit the dataset', async () => {
    // The iris network on wine's 13 features: the first layer expects 4 inputs.
    const file = buildModelFile(graph, trainedState());
    file.data = { ...file.data!, dataset: 'wine', features: wine.features, classes: wine.classes };
    const result = await planImport(JSON.stringify(file), current, async () => wine);
    expect(result.ok).toBe(false);
  });
});

describe('a trained iris file continued on an uploaded CSV (DESIGN §2: classes kept)', () => {
  /** Iris with its rows reversed, as an uploaded file: virginica is its first class. */
  function reversedUpload(): { choice: DatasetChoice; dataset: Dataset } {
    const rows = iris.X.rows;
    const order = Array.from({ length: rows }, (_, i) => rows - 1 - i);
    const firstSeen: string[] = [];
    for (const i of order) {
      const label = iris.classes[iris.y[i]];
      if (!firstSeen.includes(label)) firstSeen.push(label);
    }
    const source = featureMatrix(iris.X).data;
    const X = new Float64Array(source.length);
    order.forEach((from, to) => X.set(source.subarray(from * 4, from * 4 + 4), to * 4));
    const y = Float64Array.from(order, (i) => firstSeen.indexOf(iris.classes[iris.y[i]]));
    const dataset: Dataset = {
      ...iris,
      name: 'reversed.csv',
      X: { ...featureMatrix(iris.X), data: X },
      y,
      classes: firstSeen,
    };
    const options = { target: 'class' } as UploadChoice['options'];
    return {
      choice: { source: 'upload', fileName: 'reversed.csv', file: new Blob([]), options },
      dataset,
    };
  }

  it('goes on with the uploaded data, keeping the file’s classes and scaling', async () => {
    const state = trainedState();
    const file = buildModelFile(graph, state);
    const upload = reversedUpload();
    expect(upload.dataset.classes).toEqual(['virginica', 'versicolor', 'setosa']);
    const result = await planImport(JSON.stringify(file), upload, noLoad);
    if (!result.ok) throw new Error(result.reason);
    const { plan } = result;
    expect(plan.choice).toEqual(upload.choice);
    expect(plan.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(plan.dataset.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(plan.standardization).toEqual(file.data!.standardize);

    // Loaded as the page loads it: every row is predicted as the file predicts it.
    const worker = new TrainingService({ schedule: () => {} });
    worker.load({
      spec: plan.spec,
      dataset: copy(upload.dataset),
      settings: plan.settings,
      weights: plan.weights,
      classes: plan.classes,
      standardization: plan.standardization,
    });
    const loaded = worker.getModelState();
    expect(loaded.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(loaded.standardization).toEqual(file.data!.standardize);
    // Every row counted once over both splits: the same number right as on the original order.
    const right = (m: typeof state) =>
      Math.round(m.metrics.trainAccuracy! * 120 + m.metrics.testAccuracy! * 30);
    const original = new TrainingService({ schedule: () => {} });
    original.load({
      spec,
      dataset: copy(iris),
      settings: { ...plan.settings, testFraction: 0 },
      weights: plan.weights,
      standardization: plan.standardization,
    });
    expect(right(loaded)).toBe(Math.round(original.getModelState().metrics.trainAccuracy! * 150));

    // A reload or a worker restart loads the saved state with the classes and scaling it keeps.
    const saved = worker.getTrainedState();
    expect(saved.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    const restored = new TrainingService({ schedule: () => {} });
    restored.load({
      spec: plan.spec,
      dataset: copy(upload.dataset),
      settings: plan.settings,
      flatWeights: saved.weights,
      previous: saved,
      classes: saved.classes,
      standardization: saved.standardization,
    });
    expect(restored.getModelState().classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(restored.getModelState().metrics).toEqual(loaded.metrics);
  });

  it('goes on with an upload holding fewer of the file’s classes; an unknown class falls back', async () => {
    const file = buildModelFile(graph, trainedState());
    const upload = reversedUpload();
    const two = { ...upload, dataset: { ...upload.dataset, classes: ['virginica', 'versicolor'] } };
    const result = await planImport(JSON.stringify(file), two, noLoad);
    expect(result.ok && result.plan.choice).toEqual(upload.choice);
    expect(result.ok && result.plan.dataset.classes).toEqual(['setosa', 'versicolor', 'virginica']);

    const rose = { ...upload, dataset: { ...upload.dataset, classes: ['rose', 'versicolor'] } };
    const loaded: string[] = [];
    const other = await planImport(JSON.stringify(file), rose, async (c) => {
      loaded.push(c.source === 'builtin' ? c.name : c.fileName);
      return iris;
    });
    // Not the data of this model: the file's own dataset is loaded instead.
    expect(loaded).toEqual(['iris']);
    expect(other.ok && other.plan.choice).toEqual(irisChoice);
  });
});
