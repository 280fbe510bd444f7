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
import type { DatasetChoice } from '../../../src/lib/state/dataset-choice';
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

  it('refuses a file whose features or classes are not those of its dataset', async () => {
    const file = buildModelFile(graph, trainedState());
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
