/** Export/import of the design alone (no weights) in the model file format of DESIGN §4. */
import { describe, expect, test } from 'vitest';
import { compileGraph } from '../../../src/lib/graph/compile';
import { createTemplateDocument, templateById } from '../../../src/lib/graph/templates';
import { untrainedModelFile } from '../../../src/lib/model-file';
import { graphFileName, readGraphFile, writeGraphFile } from '../../../src/lib/state/graph-file';

const document = createTemplateDocument('iris');
const spec = compileGraph(document).spec;

describe('graph file', () => {
  test('the written file is a model file without weights that reads back to the same graph', () => {
    const training = templateById('iris')?.training;
    const text = writeGraphFile({ name: 'iris', document, spec, settings: training });
    const file = JSON.parse(text);
    expect(file).toMatchObject({
      format: 'backprop-studio.model',
      version: 2,
      name: 'iris',
      weights: null,
      training: { optimizer: { name: 'momentum', learningRate: 0.01, momentum: 0.9 } },
    });
    expect(file.spec).toEqual(spec);
    expect(file.data).toBeUndefined();
    expect(readGraphFile(text)).toEqual({ ok: true, name: 'iris', document, settings: training });
  });

  test('a graph that does not compile is still saved (its spec is null)', () => {
    const broken = { ...document, edges: document.edges.slice(1) };
    const model = untrainedModelFile({ name: 'half', document: broken, spec: null });
    expect(model.spec).toBeNull();
    const read = readGraphFile(writeGraphFile({ name: 'half', document: broken, spec: null }));
    expect(read).toMatchObject({ ok: true, name: 'half', document: broken });
  });

  test.each([
    ['not JSON', '{"format":', /not JSON/],
    ['another format', JSON.stringify({ format: 'other', version: 1 }), /format/],
    [
      'a wire to a missing node',
      writeGraphFile({ name: 'x', document, spec: null }).replace(
        '"target": "n2"',
        '"target": "n9"',
      ),
      /n9/,
    ],
  ])('a bad file (%s) is refused with the reason', (_name, text, reason) => {
    const read = readGraphFile(text);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toMatch(reason);
  });

  test('file names keep only safe characters', () => {
    expect(graphFileName('iris')).toBe('iris.graph.json');
    expect(graphFileName(' my net/v2 ')).toBe('my-net-v2.graph.json');
    expect(graphFileName('///')).toBe('network.graph.json');
  });

  test('a file without a training block is read, and says it has no settings', () => {
    const file = JSON.parse(writeGraphFile({ name: 'bare', document, spec }));
    delete file.training;
    const read = readGraphFile(JSON.stringify(file));
    expect(read).toEqual({ ok: true, name: 'bare', document, settings: null });
  });

  test("a file's training block comes back as settings (another seed and learning rate)", () => {
    const training = templateById('iris')?.training;
    if (!training) throw new Error('iris has settings');
    const settings = {
      ...training,
      seed: 1234,
      optimizer: { ...training.optimizer, learningRate: 0.5 },
    };
    const read = readGraphFile(writeGraphFile({ name: 'iris', document, spec, settings }));
    expect(read.ok && read.settings?.seed).toBe(1234);
    expect(read.ok && read.settings?.optimizer.learningRate).toBe(0.5);
  });

  test('a file without training but with a broken graph is still refused with the reason', () => {
    const file = JSON.parse(writeGraphFile({ name: 'x', document, spec: null }));
    delete file.training;
    file.graph.edges[0].target = 'n9';
    const read = readGraphFile(JSON.stringify(file));
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toMatch(/n9/);
  });
});
