/**
 * The PyTorch and NumPy exports run by Debian's python3 with torch: predictions equal to `cli
 * predict` to 1e-9 (branching models and dropout included), three epochs of `train` giving `cli
 * train`'s weights to 1e-9 (each optimizer, branches, and dropout of rate 0: with a positive rate
 * the masks come from torch's generator, not the app's, so only rate 0 can match bit for bit), and
 * torchrun with two processes on CPU writing a model file our reader accepts.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OptimizerSettings } from '../../../src/lib/engine/settings';
import { type ExportFormat } from '../../../src/lib/export/index';
import { writeModelFile, type ModelFile } from '../../../src/lib/model-file/index';
import { createWorkspace, type Workspace } from '../cli/helpers';
import {
  PYTHON,
  createLimiter,
  TEMPLATES,
  TORCHRUN,
  FIXTURE_DROPOUT_RATE,
  makeFixture,
  maxDifference,
  pythonWithTorch,
  readModel,
  runProgram,
  weightDifference,
  type Fixture,
  withDropoutRate,
  type TemplateName,
} from './fixtures';

const hasTorch = await pythonWithTorch();
const title = hasTorch
  ? 'PyTorch and NumPy exports in Python'
  : 'PyTorch and NumPy exports in Python (SKIPPED: /usr/bin/python3 cannot import torch and numpy; .ci/run installs python3-torch)';

let ws: Workspace;
const fixtures = new Map<string, Fixture>();
/** Python runs started together once the fixtures exist (each test awaits its own). */
const pythonRuns = new Map<string, Promise<{ stdout: string; stderr: string }>>();
const limited = createLimiter(3);

function startPython(key: string, args: () => Promise<string[]>): void {
  const run = limited(async () => runProgram(PYTHON, await args(), ws.dir));
  run.catch(() => {}); // awaited (and reported) by its test
  pythonRuns.set(key, run);
}

beforeAll(async () => {
  if (!hasTorch) return;
  ws = createWorkspace();
  for (const name of TEMPLATES) fixtures.set(name, await makeFixture(ws, name));
  for (const name of TEMPLATES) {
    const fixture = fixtures.get(name)!;
    startPython(`predict ${name}`, async () => [
      await exportWithCli(fixture.trainedPath, 'pytorch', `${name}.py`),
      'predict',
      fixture.csvPath,
    ]);
    startPython(`numpy ${name}`, async () => [
      await exportWithCli(fixture.trainedPath, 'numpy', `${name}_numpy.py`),
      fixture.csvPath,
    ]);
  }
  for (const c of trainingCases) startPython(`train ${caseTag(c)}`, () => pythonTrain(c));
}, 180_000);
afterAll(() => ws?.remove());

/** Write the export of the model at `modelPath` with the CLI; resolves to its path. */
async function exportWithCli(modelPath: string, format: ExportFormat, out: string) {
  const run = await ws.cli(['export', '--model', modelPath, '--format', format, '--out', out]);
  expect(run.code, run.stderr).toBe(0);
  return ws.path(out);
}

async function cliPredict(fixture: Fixture) {
  const run = await ws.cli([
    'predict',
    '--model',
    fixture.trainedPath,
    '--data',
    fixture.csvPath,
    '--json',
  ]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as { predictions: (string | number)[]; outputs: number[][] };
}

/** A copy of a model file with other training settings, written beside the others. */
function withSettings(
  model: ModelFile,
  path: string,
  settings: {
    optimizer: OptimizerSettings;
    shuffle: boolean;
    l1?: number;
    l2?: number;
    standardize?: boolean;
    dropoutRate?: number;
  },
): string {
  const changed: ModelFile = {
    ...(settings.dropoutRate === undefined ? model : withDropoutRate(model, settings.dropoutRate)),
    training: {
      ...model.training,
      optimizer: settings.optimizer,
      shuffle: settings.shuffle,
      l1: settings.l1 ?? 0,
      l2: settings.l2 ?? 0,
      standardize: settings.standardize ?? true,
    },
  };
  const full = ws.path(path);
  writeFileSync(full, writeModelFile(changed));
  return full;
}

interface TrainingCase {
  name: TemplateName;
  start: 'trained' | 'untrained';
  optimizer: OptimizerSettings;
  shuffle: boolean;
  l1?: number;
  l2?: number;
  /** false: the features as given (no standardization, in both trainers). */
  standardize: boolean;
  /** Every Dropout's rate (the dropout fixture only). */
  dropoutRate?: number;
}

const trainingCases: TrainingCase[] = [
  {
    name: 'iris',
    start: 'trained',
    optimizer: { name: 'sgd', learningRate: 0.1 },
    shuffle: false,
    standardize: true,
    l2: 0.001,
  },
  {
    name: 'digits',
    start: 'trained',
    optimizer: { name: 'momentum', learningRate: 0.01, momentum: 0.9 },
    shuffle: false,
    standardize: true,
  },
  {
    name: 'runge',
    start: 'untrained',
    optimizer: { name: 'adam', learningRate: 0.01 },
    shuffle: false,
    standardize: true,
  },
  {
    name: 'iris',
    start: 'untrained',
    optimizer: { name: 'adagrad', learningRate: 0.05 },
    shuffle: false,
    l1: 0.001,
    standardize: false,
  },
  {
    name: 'iris',
    start: 'trained',
    optimizer: { name: 'rmsprop', learningRate: 0.005, rho: 0.8 },
    shuffle: false,
    standardize: true,
  },
  // With shuffling on, the file replays the app's seeded shuffles too.
  {
    name: 'xor',
    start: 'untrained',
    optimizer: { name: 'nesterov', learningRate: 0.05, momentum: 0.8 },
    shuffle: true,
    standardize: true,
    l1: 0.001,
    l2: 0.01,
  },
  // Branches: Concat (wide and deep), Add with fan-out (skip connections), dropout of rate 0.
  {
    name: 'wide-and-deep',
    start: 'trained',
    optimizer: { name: 'sgd', learningRate: 0.05 },
    shuffle: false,
    standardize: true,
    l2: 0.001,
  },
  {
    name: 'deep-sigmoid-skip',
    start: 'untrained',
    optimizer: { name: 'momentum', learningRate: 0.01, momentum: 0.9 },
    shuffle: true,
    standardize: true,
  },
  {
    name: 'wide-and-deep-dropout',
    start: 'trained',
    optimizer: { name: 'adam', learningRate: 0.01 },
    shuffle: false,
    standardize: true,
    dropoutRate: 0,
  },
];

const caseTag = (c: TrainingCase) =>
  `${c.name}-${c.optimizer.name}-${c.start}${c.dropoutRate === undefined ? '' : `-dropout${c.dropoutRate}`}`;

/** The case's model file (its settings applied) and its PyTorch export; the python arguments. */
async function pythonTrain(c: TrainingCase): Promise<string[]> {
  const fixture = fixtures.get(c.name)!;
  const base = readModel(c.start === 'trained' ? fixture.trainedPath : fixture.untrainedPath);
  const tag = caseTag(c);
  const modelPath = withSettings(base, `${tag}.model.json`, c);
  const script = await exportWithCli(modelPath, 'pytorch', `${tag}.py`);
  return [script, 'train', fixture.csvPath, '--epochs', '3', '--out', `${tag}.py.model.json`];
}

describe.skipIf(!hasTorch)(title, () => {
  it.each(TEMPLATES)(
    '%s: python FILE.py predict prints the outputs of cli predict to 1e-9',
    async (name) => {
      const fixture = fixtures.get(name)!;
      const { stdout } = await pythonRuns.get(`predict ${name}`)!;
      const python = JSON.parse(stdout) as { predictions: unknown[]; outputs: number[][] };
      const cli = await cliPredict(fixture);
      expect(maxDifference(python.outputs, cli.outputs)).toBeLessThan(1e-9);
      if (fixture.trained.data!.task === 'classification')
        expect(python.predictions).toEqual(cli.predictions);
      else
        expect(
          maxDifference([python.predictions as number[]], [cli.predictions as number[]]),
        ).toBeLessThan(1e-9);
    },
    180_000,
  );

  it.each(TEMPLATES)(
    '%s: the NumPy file predicts the outputs of cli predict to 1e-9',
    async (name) => {
      const fixture = fixtures.get(name)!;
      const { stdout } = await pythonRuns.get(`numpy ${name}`)!;
      const python = JSON.parse(stdout) as { predictions: unknown[]; outputs: number[][] };
      const cli = await cliPredict(fixture);
      expect(maxDifference(python.outputs, cli.outputs)).toBeLessThan(1e-9);
      if (fixture.trained.data!.task === 'classification')
        expect(python.predictions).toEqual(cli.predictions);
    },
    180_000,
  );

  it.each(trainingCases)(
    '$name from $start weights, $optimizer.name (shuffle $shuffle, standardize $standardize): 3 epochs of FILE.py train give the weights of cli train to 1e-9',
    async (c) => {
      const fixture = fixtures.get(c.name)!;
      const tag = caseTag(c);
      await pythonRuns.get(`train ${tag}`)!;
      const cli = await ws.cli([
        'train',
        '--model',
        ws.path(`${tag}.model.json`),
        '--data',
        fixture.csvPath,
        '--epochs',
        '3',
        '--out',
        `${tag}.cli.model.json`,
      ]);
      expect(cli.code, cli.stderr).toBe(0);
      const fromCli = readModel(ws.path(`${tag}.cli.model.json`));
      const fromPython = readModel(ws.path(`${tag}.py.model.json`));
      expect(weightDifference(fromPython.weights, fromCli.weights)).toBeLessThan(1e-9);
      const sd = fromCli.data!.standardize;
      const sp = fromPython.data!.standardize;
      if (c.standardize === false) expect([sp, sd]).toEqual([undefined, undefined]);
      else expect(maxDifference([sp!.mean, sp!.std], [sd!.mean, sd!.std])).toBeLessThan(1e-12);
      expect(fromPython.training.history!.epoch).toEqual(fromCli.training.history!.epoch);
      expect(
        maxDifference(
          [fromPython.training.history!.trainLoss],
          [fromCli.training.history!.trainLoss],
        ),
      ).toBeLessThan(1e-9);
      expect(fromPython.training.epochs).toBe(3);
    },
    180_000,
  );

  it('torchrun --nproc_per_node=2 trains with DistributedDataParallel on CPU and writes a file our reader accepts', async () => {
    // iris: 120 training rows split evenly over two processes, 16 + 16 rows per batch of 32;
    // averaging their gradients is the whole batch's gradient, so without shuffling the result
    // is cli train's.
    const fixture = fixtures.get('iris')!;
    const modelPath = withSettings(fixture.trained, 'ddp.model.json', {
      optimizer: { name: 'momentum', learningRate: 0.05, momentum: 0.9 },
      shuffle: false,
    });
    const script = await exportWithCli(modelPath, 'pytorch', 'ddp.py');
    const { stderr } = await runProgram(
      TORCHRUN,
      // --redirects/--tee: Debian's torch 1.13 torchrun fails on Python 3.11 with their defaults.
      [
        '--standalone',
        '--redirects',
        '1',
        '--tee',
        '1',
        '--nproc_per_node=2',
        script,
        'train',
        fixture.csvPath,
        '--epochs',
        '2',
        '--out',
        'ddp.trained.model.json',
      ],
      ws.dir,
    );
    expect(stderr).toMatch(/DistributedDataParallel: 2 processes \(gloo\)/);
    const trained = readModel(ws.path('ddp.trained.model.json'));
    expect(trained.training.history!.epoch.slice(-2)).toEqual([3, 4]);
    const cli = await ws.cli([
      'train',
      '--model',
      modelPath,
      '--data',
      fixture.csvPath,
      '--epochs',
      '2',
      '--out',
      'ddp.cli.model.json',
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(
      weightDifference(trained.weights, readModel(ws.path('ddp.cli.model.json')).weights),
    ).toBeLessThan(1e-9);
  }, 240_000);

  it('FILE.py train applies dropout while training (masks from torch, seeded by the file) and none when predicting', async () => {
    const fixture = fixtures.get('wide-and-deep-dropout')!;
    const settings = {
      optimizer: { name: 'sgd', learningRate: 0.05 } as OptimizerSettings,
      shuffle: false,
    };
    const active = withSettings(fixture.trained, 'dropout-active.model.json', settings);
    const off = withSettings(fixture.trained, 'dropout-off.model.json', {
      ...settings,
      dropoutRate: 0,
    });
    expect(readModel(active).spec!.layers.find((l) => l.type === 'dropout')).toMatchObject({
      rate: FIXTURE_DROPOUT_RATE,
    });
    const trainWith = async (modelPath: string, out: string) => {
      const script = await exportWithCli(modelPath, 'pytorch', out.replace('.model.json', '.py'));
      await runProgram(
        PYTHON,
        [script, 'train', fixture.csvPath, '--epochs', '1', '--out', out],
        ws.dir,
      );
      return readModel(ws.path(out));
    };
    const [once, twice, without] = await Promise.all([
      trainWith(active, 'dropout-a.model.json'),
      trainWith(active, 'dropout-b.model.json'),
      trainWith(off, 'dropout-0.model.json'),
    ]);
    // Seeded: the same file trains to the same weights; the masks change what it learns.
    expect(weightDifference(once.weights, twice.weights)).toBe(0);
    expect(weightDifference(once.weights, without.weights)).toBeGreaterThan(1e-6);
    // The trained file predicts with dropout as the identity, like cli predict.
    const script = await exportWithCli(
      ws.path('dropout-a.model.json'),
      'pytorch',
      'dropout-a-predict.py',
    );
    const { stdout } = await runProgram(PYTHON, [script, 'predict', fixture.csvPath], ws.dir);
    const cli = await ws.cli([
      'predict',
      '--model',
      ws.path('dropout-a.model.json'),
      '--data',
      fixture.csvPath,
      '--json',
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(maxDifference(JSON.parse(stdout).outputs, JSON.parse(cli.stdout).outputs)).toBeLessThan(
      1e-9,
    );
  }, 240_000);
});
