/**
 * Models and data for the export tests: each template (iris, digits, Runge, XOR with binary
 * cross-entropy, and the branching deep-sigmoid-skip (Add) and wide-and-deep (Concat)) initialised
 * and trained briefly with the CLI on a CSV of its dataset, plus wide-and-deep with a Dropout after
 * its Concat, and the engine's outputs for those rows (what every exported file must reproduce).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { loadTable, rowsForModel } from '../../../src/cli/datasets';
import type { CliIo } from '../../../src/cli/io';
import { networkWithWeights } from '../../../src/cli/network';
import { forward } from '../../../src/lib/engine/network';
import { templateById, type TemplateId } from '../../../src/lib/graph/templates';
import { readModelFile, writeModelFile, type ModelFile } from '../../../src/lib/model-file/index';
import { withDropoutAfterMerge } from '../cli/dag-model-files';
import type { Workspace } from '../cli/helpers';

export { withDropoutRate } from '../cli/dag-model-files';

export const TEMPLATES = [
  'iris',
  'digits',
  'runge',
  'xor',
  'deep-sigmoid-skip',
  'wide-and-deep',
  'wide-and-deep-dropout',
] as const;
export type TemplateName = (typeof TEMPLATES)[number];

/** The dropout variant's rate while the fixture trains (predictions ignore it). */
export const FIXTURE_DROPOUT_RATE = 0.3;

/** The template a fixture starts from. */
const templateOf = (name: TemplateName): TemplateId =>
  name === 'wide-and-deep-dropout' ? 'wide-and-deep' : name;

/** Debian's python3 with torch (the `python3` on PATH may lack it). */
export const PYTHON = '/usr/bin/python3';
export const TORCHRUN = '/usr/bin/torchrun';

const run = promisify(execFile);

/** Whether /usr/bin/python3 imports torch and numpy: the python tests need both. */
export async function pythonWithTorch(): Promise<boolean> {
  if (!existsSync(PYTHON)) return false;
  try {
    await run(PYTHON, ['-c', 'import torch, numpy']);
    return true;
  } catch {
    return false;
  }
}

/** Run a program, resolving to its output; a failure rejects with its stderr in the message. */
export async function runProgram(
  program: string,
  args: string[],
  cwd: string,
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run(program, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${program} ${args.join(' ')} failed:\n${e.stderr ?? e.message}`, {
      cause: error,
    });
  }
}

export function readModel(path: string): ModelFile {
  const read = readModelFile(readFileSync(path, 'utf8'));
  if (!read.ok) throw new Error(`${path}: ${read.error}`);
  return read.model;
}

const quietIo = (cwd: string): CliIo => ({
  out: () => {},
  err: () => {},
  errIsTTY: false,
  columns: 80,
  cwd,
  now: () => 0,
});

/** The built-in dataset as CSV text (generated sets written with every digit of each number). */
async function datasetCsv(name: string, cwd: string): Promise<string> {
  const table = await loadTable(quietIo(cwd), name);
  return [table.columns, ...table.rows].map((row) => row.join(',')).join('\n') + '\n';
}

export interface Fixture {
  name: TemplateName;
  /** The untrained file of `init`. */
  untrainedPath: string;
  /** The same, trained for two epochs. */
  trainedPath: string;
  trained: ModelFile;
  csvPath: string;
  /** The engine's outputs for the rows of the CSV, at the trained weights. */
  outputs: number[][];
  /** The raw feature rows of the CSV, in the model's feature order. */
  features: number[][];
}

/** Init, write the CSV, train two epochs; the engine's outputs for every row. */
export async function makeFixture(ws: Workspace, name: TemplateName): Promise<Fixture> {
  const untrainedPath = ws.path(`${name}.untrained.model.json`);
  const trainedPath = ws.path(`${name}.model.json`);
  const csvPath = ws.path(`${name}.csv`);
  writeFileSync(csvPath, await datasetCsv(templateById(templateOf(name))!.dataset, ws.dir));
  const init = await ws.cli(['init', '--template', templateOf(name), '--out', untrainedPath]);
  if (init.code !== 0) throw new Error(init.stderr);
  if (name === 'wide-and-deep-dropout') {
    const model = withDropoutAfterMerge(readModel(untrainedPath), FIXTURE_DROPOUT_RATE);
    writeFileSync(untrainedPath, writeModelFile({ ...model, name: `${name}-mlp` }));
  }
  const train = await ws.cli([
    'train',
    '--model',
    untrainedPath,
    '--data',
    csvPath,
    '--epochs',
    '2',
    '--out',
    trainedPath,
  ]);
  if (train.code !== 0) throw new Error(train.stderr);
  const trained = readModel(trainedPath);
  const table = await loadTable(quietIo(ws.dir), csvPath);
  const rows = rowsForModel(table, trained.data!, trained.spec!.loss.type);
  const net = networkWithWeights(trained.spec!, trained.weights!, trained.training.seed);
  const P = forward(net, rows.X).output;
  const matrix = (data: Float64Array, cols: number) =>
    Array.from({ length: data.length / cols }, (_, i) =>
      Array.from(data.subarray(i * cols, (i + 1) * cols)),
    );
  const featureIndex = trained.data!.features.map((f) => table.columns.indexOf(f));
  return {
    name,
    untrainedPath,
    trainedPath,
    trained,
    csvPath,
    outputs: matrix(P.data, P.cols),
    features: table.rows.map((row) => featureIndex.map((j) => Number(row[j]))),
  };
}

/** Largest absolute difference between two equally shaped matrices (Infinity if shapes differ). */
export function maxDifference(a: number[][], b: number[][]): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  a.forEach((row, i) => {
    if (row.length !== b[i].length) worst = Infinity;
    row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j]))));
  });
  return worst;
}

/** Largest absolute difference between two weight blocks of the same layers. */
export function weightDifference(a: ModelFile['weights'], b: ModelFile['weights']): number {
  if (!a || !b) return Infinity;
  const ids = Object.keys(a);
  if (ids.length !== Object.keys(b).length) return Infinity;
  let worst = 0;
  for (const id of ids) {
    if (!Object.hasOwn(b, id)) return Infinity;
    worst = Math.max(worst, maxDifference(a[id].W, b[id].W), maxDifference([a[id].b], [b[id].b]));
  }
  return worst;
}

/**
 * Run async jobs at most `limit` at a time (python processes each import torch, which takes
 * seconds: a few in parallel keep the suite short without swamping a small machine).
 */
export function createLimiter(limit: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
