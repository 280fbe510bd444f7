/**
 * Model file version 2 (DESIGN.md §4): the branching kinds in the spec, the spec-equals-compile
 * rule on DAGs (merge inputs in wire order), and version 1 files from the previous release
 * (fixtures/v1-iris.*, written and measured by commit 2642e6f's CLI: `init --template iris`,
 * `train --epochs 5`, then `predict --json` and `grad --json` on fixtures/iris-sample.csv).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { templateModel } from '../../../src/cli/commands/init';
import {
  MODEL_VERSION,
  parseModelFile,
  readModelFile,
  writeModelFile,
  type ModelFile,
} from '../../../src/lib/model-file/index';
import { createWorkspace } from '../cli/helpers';

const FIXTURES = join(__dirname, 'fixtures');
const fixture = (name: string) => join(FIXTURES, name);
const readFixture = (name: string) => readFileSync(fixture(name), 'utf8');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EditableJson = Record<string, any>;

function errorOf(value: unknown): string {
  const result = parseModelFile(value);
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.error;
}

describe('version 1 files from the previous release', () => {
  const workspace = createWorkspace();
  afterAll(() => workspace.remove());

  it('read as version 2 with the same content', () => {
    const text = readFixture('v1-iris.model.json');
    const original = JSON.parse(text) as EditableJson;
    expect(original.version).toBe(1);
    const result = readModelFile(text);
    if (!result.ok) throw new Error(result.error);
    expect(result.model.version).toBe(MODEL_VERSION);
    expect(MODEL_VERSION).toBe(2);
    expect({ ...result.model, version: 1 }).toEqual(original);
    // Saved again, it is a version 2 file that reads back to the same model.
    const saved = writeModelFile(result.model);
    expect(JSON.parse(saved).version).toBe(2);
    const again = readModelFile(saved);
    expect(again.ok && again.model).toEqual(result.model);
  });

  it('predict the same numbers as the previous release did', async () => {
    const expected = JSON.parse(readFixture('v1-iris.predict.json'));
    const run = await workspace.cli([
      'predict',
      '--model',
      fixture('v1-iris.model.json'),
      '--data',
      fixture('iris-sample.csv'),
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const got = JSON.parse(run.stdout);
    expect(got.predictions).toEqual(expected.predictions);
    expect(got.outputs).toEqual(expected.outputs);
    expect(got.outputs).toHaveLength(15);
  });

  it('give the same gradients as the previous release did', async () => {
    const expected = JSON.parse(readFixture('v1-iris.grad.json'));
    const run = await workspace.cli([
      'grad',
      '--model',
      fixture('v1-iris.model.json'),
      '--data',
      fixture('iris-sample.csv'),
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });
});

describe('branching specs', () => {
  const json = (model: ModelFile): EditableJson => JSON.parse(JSON.stringify(model));

  it('the branching templates write and read back unchanged', async () => {
    for (const id of ['deep-sigmoid-skip', 'wide-and-deep']) {
      const model = await templateModel(id);
      const kinds = new Set(model.spec!.layers.map((l) => l.type));
      expect(kinds.has('add') || kinds.has('concat')).toBe(true);
      const back = readModelFile(writeModelFile(model));
      if (!back.ok) throw new Error(back.error);
      expect(back.model).toEqual(model);
    }
  });

  it('merge inputs follow the wire order: a spec listing them otherwise is refused', async () => {
    const file = json(await templateModel('wide-and-deep'));
    const concatAt = file.spec.layers.findIndex((l: EditableJson) => l.type === 'concat');
    expect(concatAt).toBeGreaterThan(0);
    const inputs: string[] = file.spec.layers[concatAt].inputs;
    expect(inputs).toHaveLength(2);
    file.spec.layers[concatAt].inputs = [...inputs].reverse();
    expect(errorOf(file)).toBe(
      `spec.layers[${concatAt}].inputs[0]: the spec says ${JSON.stringify(inputs[1])}, the graph gives ${JSON.stringify(inputs[0])} (spec must be what the graph compiles to)\n` +
        `spec.layers[${concatAt}].inputs[1]: the spec says ${JSON.stringify(inputs[0])}, the graph gives ${JSON.stringify(inputs[1])} (spec must be what the graph compiles to)`,
    );
  });

  it('widths through merges, merge arity and the dropout rate are checked with their place', async () => {
    const base = json(await templateModel('wide-and-deep'));
    const concatAt = base.spec.layers.findIndex((l: EditableJson) => l.type === 'concat');
    const size = base.spec.layers[concatAt].size;
    const wrongSize = structuredClone(base);
    wrongSize.spec.layers[concatAt].size = size + 1;
    expect(errorOf(wrongSize)).toMatch(
      new RegExp(
        `^spec\\.layers\\[${concatAt}\\]\\.size: expected ${size} \\(the widths of .* together\\), got ${size + 1}`,
      ),
    );
    const oneInput = structuredClone(base);
    oneInput.spec.layers[concatAt].inputs = oneInput.spec.layers[concatAt].inputs.slice(0, 1);
    expect(errorOf(oneInput)).toMatch(
      new RegExp(`^spec\\.layers\\[${concatAt}\\]\\.inputs: concat needs two or more inputs`),
    );

    const skip = json(await templateModel('deep-sigmoid-skip'));
    const addAt = skip.spec.layers.findIndex((l: EditableJson) => l.type === 'add');
    const wrongAdd = structuredClone(skip);
    wrongAdd.spec.layers[addAt].size = 31;
    expect(errorOf(wrongAdd)).toMatch(
      new RegExp(`^spec\\.layers\\[${addAt}\\]\\.size: expected 32 \\(the size coming out of "`),
    );

    const dropout = structuredClone(skip);
    const at = dropout.spec.layers.length;
    dropout.spec.layers.push({ id: 'd1', type: 'dropout', inputs: ['x'], rate: 1, size: 3 });
    expect(errorOf(dropout)).toBe(`spec.layers[${at}].rate: expected a number below 1, got 1`);
  });
});
