/**
 * The command line on branching model files (DESIGN.md §5, issue 12): `init` writes every
 * template of the registry as a version 2 file; `train` applies dropout (masks from the seeded
 * generator: the same seed gives the same weights, a positive rate changes them, rate 0 equals no
 * dropout bit for bit); `predict`, `grad` and `gradcheck` treat dropout as the identity.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../../src/lib/graph/templates';
import { readModelFile, writeModelFile, type ModelFile } from '../../../src/lib/model-file/index';
import { withDropoutAfterMerge } from './dag-model-files';
import { createWorkspace } from './helpers';

const ws = createWorkspace();
afterAll(() => ws.remove());

function read(name: string): ModelFile {
  const result = readModelFile(readFileSync(ws.path(name), 'utf8'));
  if (!result.ok) throw new Error(result.error);
  return result.model;
}

function write(name: string, model: ModelFile): string {
  writeFileSync(ws.path(name), writeModelFile(model));
  return name;
}

async function ok(argv: string[]): Promise<string> {
  const run = await ws.cli(argv);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

const train = (model: string, out: string, extra: string[] = []) =>
  ok(['train', '--model', model, '--data', 'wine', '--epochs', '3', '--out', out, ...extra]);

describe('init on every template of the registry', () => {
  it('--help lists them all, and each writes a version 2 file that reads back', async () => {
    // Words, not line breaks: the help is wrapped to the terminal's width.
    const help = (await ok(['init', '--help'])).replace(/\s+/g, ' ');
    for (const t of TEMPLATES) {
      expect(help).toContain(`${t.id}: ${t.label}`);
      await ok(['init', '--template', t.id, '--out', `${t.id}.model.json`]);
      const model = read(`${t.id}.model.json`);
      expect(model.version).toBe(2);
      expect(model.data!.dataset).toBe(t.dataset);
    }
    const skip = read('deep-sigmoid-skip.model.json').spec!.layers;
    expect(skip.filter((l) => l.type === 'add')).toHaveLength(3);
    const wide = read('wide-and-deep.model.json').spec!.layers;
    expect(wide.filter((l) => l.type === 'concat')).toHaveLength(1);
  }, 60_000);
});

describe('dropout in train, and not in predict, grad, gradcheck', () => {
  const base = async () => {
    await ok(['init', '--template', 'wide-and-deep', '--out', 'wd.model.json']);
    return read('wd.model.json');
  };

  it('train: seeded masks; rate 0 equals no dropout bit for bit; a positive rate changes the weights', async () => {
    const plain = await base();
    write('plain.model.json', plain);
    write('rate0.model.json', withDropoutAfterMerge(plain, 0));
    write('rate5.model.json', withDropoutAfterMerge(plain, 0.5));
    await train('plain.model.json', 'plain.t.model.json');
    await train('rate0.model.json', 'rate0.t.model.json');
    await train('rate5.model.json', 'rate5.t.model.json');
    await train('rate5.model.json', 'rate5.again.model.json');
    const weights = (name: string) => read(name).weights;
    // Shuffling is on (the template's setting): rate 0 draws nothing that would shift it.
    expect(read('plain.model.json').training.shuffle).toBe(true);
    expect(weights('rate0.t.model.json')).toEqual(weights('plain.t.model.json'));
    expect(read('rate0.t.model.json').training.history).toEqual(
      read('plain.t.model.json').training.history,
    );
    expect(weights('rate5.again.model.json')).toEqual(weights('rate5.t.model.json'));
    expect(weights('rate5.t.model.json')).not.toEqual(weights('plain.t.model.json'));
  }, 60_000);

  it('predict, grad and gradcheck: a file with dropout gives what the same network without it gives', async () => {
    const plain = await base();
    write('d.model.json', withDropoutAfterMerge(plain, 0.5));
    await train('d.model.json', 'd.t.model.json');
    const trained = read('d.t.model.json');
    // The same dense weights in the graph without the dropout node.
    const without = write('nod.model.json', {
      ...plain,
      data: trained.data,
      training: trained.training,
      weights: trained.weights,
    });
    for (const command of ['predict', 'grad']) {
      const withDropout = await ok([
        command,
        '--model',
        'd.t.model.json',
        '--data',
        'wine',
        '--json',
      ]);
      const plainOut = await ok([command, '--model', without, '--data', 'wine', '--json']);
      expect(JSON.parse(withDropout), command).toEqual(JSON.parse(plainOut));
    }
    const check = await ok(['gradcheck', '--model', 'd.t.model.json', '--data', 'wine']);
    expect(check).toContain('Backprop agrees with finite differences');
  }, 60_000);
});
