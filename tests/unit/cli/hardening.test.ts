/**
 * The command line against the findings of issue 9, each at the level the user meets it: files
 * written whole or not at all, ids that are names of Object's properties, data blocks that do not
 * fit, outputs that are not finite, files that disagree with themselves, and classes that keep
 * their order when training continues.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFile } from '../../../src/lib/model-file/index';
import { createWorkspace, type Workspace } from './helpers';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const IRIS_CSV = readFileSync(`${ROOT}static/datasets/iris.csv`, 'utf8');

let ws: Workspace;
beforeAll(async () => {
  ws = createWorkspace();
  await ws.cli(['init', '--template', 'iris', '--out', 'iris.model.json']);
  const trained = await ws.cli([
    'train',
    '--model',
    'iris.model.json',
    '--epochs',
    '30',
    '--out',
    'trained.model.json',
  ]);
  expect(trained.code).toBe(0);
  writeFileSync(ws.path('iris.csv'), IRIS_CSV);
});
afterAll(() => ws.remove());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EditableJson = Record<string, any>;

function json(name: string): EditableJson {
  return JSON.parse(readFileSync(ws.path(name), 'utf8'));
}

function save(name: string, file: unknown): string {
  writeFileSync(ws.path(name), JSON.stringify(file));
  return name;
}

async function failure(argv: string[]): Promise<string> {
  const run = await ws.cli(argv);
  expect(run.stdout).toBe('');
  expect(run.code).toBe(1);
  expect(run.stderr).not.toContain('unexpected error');
  return run.stderr;
}

describe('files are written whole or not at all', () => {
  it('a write that fails midway (disk full) leaves the old file as it was', async () => {
    const before = readFileSync(ws.path('trained.model.json'));
    writeFileSync(ws.path('m.json'), before);
    const run = await ws.cli(['train', '--model', 'm.json', '--epochs', '2'], {
      writer: async (handle, bytes) => {
        await handle.write(bytes, 0, Math.floor(bytes.length / 2));
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'train: Cannot write the model file "m.json": the disk is full. Nothing was changed there.\n',
    );
    expect(readFileSync(ws.path('m.json')).equals(before)).toBe(true);
    expect(readdirSync(ws.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a write that stops short without an error is not renamed over the old file', async () => {
    const before = readFileSync(ws.path('trained.model.json'));
    writeFileSync(ws.path('short.json'), before);
    const run = await ws.cli(['train', '--model', 'short.json', '--epochs', '2'], {
      writer: async (handle, bytes) => {
        await handle.write(bytes, 0, 100);
      },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /only 100 of \d+ bytes could be written\. Nothing was changed there/,
    );
    expect(readFileSync(ws.path('short.json')).equals(before)).toBe(true);
  });

  it('a real process under a file size limit (ulimit -f) keeps the old file', () => {
    const before = readFileSync(ws.path('trained.model.json'));
    writeFileSync(ws.path('limited.json'), before);
    // 4 KB: the trained iris file is larger, so the write stops short (EFBIG).
    expect(before.length).toBeGreaterThan(4096);
    const result = spawnSync(
      'bash',
      [
        '-c',
        `ulimit -f 4; exec node --import tsx src/cli/main.ts train --model ${ws.path('limited.json')} --epochs 2`,
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, INIT_CWD: ROOT } },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Nothing was changed there.');
    expect(readFileSync(ws.path('limited.json')).equals(before)).toBe(true);
    expect(readdirSync(ws.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // A whole node process starting tsx: seconds on a busy shared machine, so no 5 s default.
  }, 120_000);
});

describe('ids are plain strings, end to end', () => {
  for (const id of ['__proto__', 'constructor', 'hasOwnProperty']) {
    it(`a dense layer called "${id}": read, train, write, predict`, async () => {
      const text = readFileSync(ws.path('iris.model.json'), 'utf8')
        .split('"n2"')
        .join(JSON.stringify(id));
      const name = `id-${id}.json`;
      writeFileSync(ws.path(name), text);
      const train = await ws.cli(['train', '--model', name, '--epochs', '5']);
      expect(train.stderr).toBe('');
      expect(train.code).toBe(0);
      const read = readModelFile(readFileSync(ws.path(name), 'utf8'));
      if (!read.ok) throw new Error(read.error);
      expect(Object.keys(read.model.weights!).sort()).toEqual([id, 'n4'].sort());
      expect(read.model.weights![id].W).toHaveLength(4);
      const predict = await ws.cli(['predict', '--model', name, '--data', 'iris', '--json']);
      expect(predict.code).toBe(0);
      expect(JSON.parse(predict.stdout).rows).toBe(150);
      const grad = await ws.cli(['grad', '--model', name, '--data', 'iris', '--json']);
      expect(Object.keys(JSON.parse(grad.stdout).gradients)).toContain(id);
    });
  }
});

describe('a data block that does not fit the network', () => {
  it('gradcheck on an untrained design says so (no "unexpected error")', async () => {
    const file = json('iris.model.json');
    file.data.classes.push('rose');
    save('four-classes.json', file);
    const error = await failure(['gradcheck', '--model', 'four-classes.json', '--data', 'iris']);
    expect(error).toBe(
      'gradcheck: The data block of "four-classes.json" does not fit its network:\n' +
        '  data.classes: the network outputs 3 values but 4 classes with cross_entropy needs 4\n' +
        'Open it in the app and choose its dataset again, or fix the network.\n',
    );
  });
});

describe('outputs that are not finite', () => {
  beforeAll(() => {
    const file = json('trained.model.json');
    // Sigmoid outputs (0..1) times 1e308, summed over 5 units: every score overflows to Infinity.
    file.weights.n4.W = file.weights.n4.W.map((row: number[]) => row.map(() => 1e308));
    file.weights.n4.b = [1e308, 1e308, 1e308];
    save('overflow.json', file);
  });

  for (const command of ['predict', 'grad', 'gradcheck']) {
    it(`${command} refuses with the count of rows, exit 1, no accuracy`, async () => {
      const error = await failure([command, '--model', 'overflow.json', '--data', 'iris.csv']);
      expect(error).toMatch(
        new RegExp(
          `^${command}: the network's outputs are not finite for (150|\\d+) of (150|\\d+) rows: some weight or activation overflows \\(the first is line 2 of iris\\.csv\\)`,
        ),
      );
      expect(error).not.toContain('accuracy');
      expect(error).not.toContain('DISAGREES');
    });
  }

  it('predict names all 150 rows', async () => {
    expect(await failure(['predict', '--model', 'overflow.json', '--data', 'iris.csv'])).toContain(
      'not finite for 150 of 150 rows',
    );
  });

  it('a leaky ReLU with alpha 1e308 is refused when the file is read', async () => {
    const file = json('iris.model.json');
    file.graph.nodes[2].params = { fn: 'leaky_relu', alpha: 1e308 };
    file.spec.layers[1] = { ...file.spec.layers[1], fn: 'leaky_relu', alpha: 1e308 };
    save('alpha.json', file);
    const error = await failure(['gradcheck', '--model', 'alpha.json', '--data', 'iris']);
    expect(error).toContain('Alpha (α) must be from 0 to 10 (it is 1e+308)');
  });
});

describe('files that disagree with themselves', () => {
  it('duplicate feature names are refused by name', async () => {
    const file = json('trained.model.json');
    file.data.features[1] = file.data.features[0];
    save('dup-features.json', file);
    expect(await failure(['predict', '--model', 'dup-features.json', '--data', 'iris'])).toContain(
      'data.features: the feature "sepal_length_cm" is listed twice',
    );
  });

  it('duplicate class labels are refused by name', async () => {
    const file = json('trained.model.json');
    file.data.classes[2] = 'setosa';
    save('dup-classes.json', file);
    expect(await failure(['predict', '--model', 'dup-classes.json', '--data', 'iris'])).toContain(
      'data.classes: the class "setosa" is listed twice',
    );
  });

  it('a spec that differs from its graph is refused, naming the difference', async () => {
    const file = json('iris.model.json');
    file.graph.nodes.find((n: EditableJson) => n.type === 'dense').params.units = 7;
    save('differs.json', file);
    const error = await failure(['train', '--model', 'differs.json', '--epochs', '1']);
    expect(error).toContain('spec.layers[0].units: the spec says');
    expect(error).toContain('the graph gives 7 (spec must be what the graph compiles to)');
  });
});

describe('classes keep their order when training continues (DESIGN.md §2)', () => {
  /** The iris CSV with its rows reversed: virginica comes first. */
  function reversedIris(keep: (label: string) => boolean = () => true): string {
    const [header, ...rows] = IRIS_CSV.trim().split('\n');
    const kept = rows.filter((r) => keep(r.split(',').pop()!)).reverse();
    return [header, ...kept].join('\n') + '\n';
  }

  it('a trained iris file continued on a shuffled CSV keeps its classes and its predictions', async () => {
    writeFileSync(ws.path('reversed.csv'), reversedIris());
    const before = json('trained.model.json');
    const predicted = async (model: string) =>
      JSON.parse((await ws.cli(['predict', '--model', model, '--data', 'iris', '--json'])).stdout)
        .predictions as string[];
    const predictionsBefore = await predicted('trained.model.json');
    const run = await ws.cli([
      'train',
      '--model',
      'trained.model.json',
      '--data',
      'reversed.csv',
      '--optimizer',
      'sgd',
      '--lr',
      '1e-12',
      '--epochs',
      '1',
      '--out',
      'continued.json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const after = json('continued.json');
    expect(after.data.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(after.data.classes).toEqual(before.data.classes);
    expect(await predicted('continued.json')).toEqual(predictionsBefore);
  });

  it('data with fewer of the file’s classes trains, and the file keeps all of them', async () => {
    writeFileSync(
      ws.path('two.csv'),
      reversedIris((label) => label !== 'setosa'),
    );
    const run = await ws.cli([
      'train',
      '--model',
      'trained.model.json',
      '--data',
      'two.csv',
      '--epochs',
      '2',
      '--out',
      'two.json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(json('two.json').data.classes).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('a class the file does not know is refused by name', async () => {
    writeFileSync(ws.path('rose.csv'), reversedIris().replace(/virginica/g, 'rose'));
    const error = await failure([
      'train',
      '--model',
      'trained.model.json',
      '--data',
      'rose.csv',
      '--out',
      'rose.json',
    ]);
    expect(error).toBe(
      'train: rose.csv has the class "rose", which the model does not know: its classes are "setosa", "versicolor", "virginica". A trained model keeps its classes; train a new one for other classes.\n',
    );
  });
});
