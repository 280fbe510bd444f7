/**
 * "Export as" from the page's model file text: each format gives its file name and type; a model
 * never trained (no weights, or exactly its seed's weights and no history) is exported with its
 * initializer's weights and a note saying so; trained weights are exported as they are.
 */
import { describe, expect, test } from 'vitest';
import { compileGraph } from '../../../src/lib/graph/compile';
import { createTemplateDocument, templateById } from '../../../src/lib/graph/templates';
import { untrainedModelFile, writeModelFile, type ModelFile } from '../../../src/lib/model-file';
import { exportModel } from '../../../src/lib/export';
import { EXPORT_AS_ITEMS, exportModelTextAs, isUntrained } from '../../../src/lib/state/export-as';

const document = createTemplateDocument('iris');
const spec = compileGraph(document).spec;
const settings = templateById('iris')?.training;

/** The iris design as the page exports it: with its data block (the PyTorch trainer needs it). */
function irisFile(): ModelFile {
  return untrainedModelFile({
    name: 'iris-mlp',
    document,
    spec,
    settings,
    data: {
      dataset: 'iris',
      features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
      target: 'species',
      task: 'classification',
      classes: ['setosa', 'versicolor', 'virginica'],
    },
  });
}

/** The file with the weights its seed draws, as the worker holds them before any training. */
function withSeedWeights(): ModelFile {
  const model = irisFile();
  return { ...model, weights: exportModel(model).weights };
}

describe('Export as', () => {
  test('the menu offers the three formats with the words of DESIGN §7', () => {
    expect(EXPORT_AS_ITEMS.map((item) => item.label)).toEqual([
      'PyTorch (.py)',
      'ONNX (.onnx)',
      'NumPy (.py)',
    ]);
  });

  test.each([
    ['pytorch', 'iris-mlp.py', 'text/x-python'],
    ['onnx', 'iris-mlp.onnx', 'application/octet-stream'],
    ['numpy', 'iris-mlp_numpy.py', 'text/x-python'],
  ] as const)('%s gives %s (%s)', (format, fileName, mimeType) => {
    const result = exportModelTextAs(writeModelFile(irisFile()), format);
    expect(result).toEqual({ ok: true, file: expect.anything() });
    if (!result.ok) return;
    expect(result.file.fileName).toBe(fileName);
    expect(result.file.mimeType).toBe(mimeType);
    expect(result.file.content.length).toBeGreaterThan(100);
  });

  test('a model with its seed weights and no history counts as untrained and says so', () => {
    const model = withSeedWeights();
    expect(isUntrained(model)).toBe(true);
    const result = exportModelTextAs(writeModelFile(model), 'numpy');
    expect(result.ok && result.file.notes.join(' ')).toMatch(/initial weights.*seed/);
  });

  test('changed (trained) weights are exported as they are, without the note', () => {
    const model = withSeedWeights();
    const weights = structuredClone(model.weights) as NonNullable<ModelFile['weights']>;
    const first = Object.values(weights)[0] as { W: number[][] };
    first.W[0][0] += 0.125;
    const trained = { ...model, weights };
    expect(isUntrained(trained)).toBe(false);
    const result = exportModelTextAs(writeModelFile(trained), 'numpy');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.file.notes).toEqual([]);
    expect(result.file.content).toContain(String(first.W[0][0]));
  });

  test('a graph that does not compile is refused with the reason', () => {
    const broken = untrainedModelFile({ name: 'half', document, spec: null });
    const result = exportModelTextAs(writeModelFile(broken), 'pytorch');
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/does not compile/) });
  });
});
