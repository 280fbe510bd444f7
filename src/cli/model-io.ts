/** Model files on disk: read with every problem explained, written only when valid, and whole. */
import { readFile } from 'node:fs/promises';
import type { LayerSpec } from '../lib/engine/spec';
import type { WeightsJson } from '../lib/engine/types';
import {
  dataFitProblems,
  readModelFile,
  writeModelFile,
  type ModelData,
  type ModelFile,
} from '../lib/model-file/index';
import { writeFileAtomic } from './atomic-write';
import { CliError } from './errors';
import { resolvePath, type CliIo } from './io';

function reason(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'there is no such file';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EFBIG') return 'the file would be larger than allowed';
  if (code === 'EROFS') return 'the disk is read-only';
  return error instanceof Error ? error.message : String(error);
}

/** Read a file's text, or a CliError naming the path and why it cannot be read. */
export async function readTextFile(io: CliIo, path: string, what: string): Promise<string> {
  try {
    return await readFile(resolvePath(io, path), 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read the ${what} "${path}": ${reason(error)}.`);
  }
}

export async function readModelPath(io: CliIo, path: string): Promise<ModelFile> {
  const text = await readTextFile(io, path, 'model file');
  const result = readModelFile(text);
  if (!result.ok)
    throw new CliError(
      `"${path}" is not a valid model file:\n${result.issues.map((i) => `  ${i}`).join('\n')}`,
    );
  return result.model;
}

/**
 * Write `model` to `path` whole or not at all (atomic-write.ts): when writing fails, a file that
 * was there keeps its old content.
 */
export async function writeModelPath(io: CliIo, path: string, model: ModelFile): Promise<void> {
  let text: string;
  try {
    // The writer reads its own output back and refuses what reading would refuse.
    text = writeModelFile(model);
  } catch (error) {
    throw new CliError(
      `Cannot write the model file "${path}": ${error instanceof Error ? error.message : String(error)}\nNothing was changed there.`,
    );
  }
  try {
    await writeFileAtomic(resolvePath(io, path), text, io.writer);
  } catch (error) {
    throw new CliError(
      `Cannot write the model file "${path}": ${reason(error)}. Nothing was changed there.`,
    );
  }
}

/** The layer spec, or a message saying the graph does not compile. */
function requireSpec(model: ModelFile, path: string): LayerSpec {
  if (!model.spec)
    throw new CliError(
      `"${path}" has no layer spec: its graph does not compile yet. Open it in the app and fix the graph.`,
    );
  return model.spec;
}

/**
 * The data block, or a message saying it is missing or does not fit the network (a design's data
 * block may be on its way to its network; running it needs the two to fit).
 */
function requireData(model: ModelFile, spec: LayerSpec, path: string): ModelData {
  if (!model.data)
    throw new CliError(
      `"${path}" does not say which features and classes its network uses (no "data" block).`,
    );
  const problems = dataFitProblems(spec, model.data);
  if (problems.length > 0)
    throw new CliError(
      `The data block of "${path}" does not fit its network:\n${problems.map((p) => `  ${p}`).join('\n')}\nOpen it in the app and choose its dataset again, or fix the network.`,
    );
  return model.data;
}

/**
 * The pieces a command needs to run a network that may be untrained (weights null), or a
 * message saying what is missing.
 */
export function designParts(
  model: ModelFile,
  path: string,
): { spec: LayerSpec; weights: WeightsJson | null; data: ModelData } {
  const spec = requireSpec(model, path);
  return { spec, weights: model.weights ?? null, data: requireData(model, spec, path) };
}

/** The pieces a command needs to run a trained network, or a message saying what is missing. */
export function trainedParts(
  model: ModelFile,
  path: string,
): { spec: LayerSpec; weights: WeightsJson; data: ModelData } {
  const spec = requireSpec(model, path);
  if (!model.weights)
    throw new CliError(
      `"${path}" has no weights yet (an untrained design). Train it first: npm run cli -- train --model ${path} --data DATASET`,
    );
  return { spec, weights: model.weights, data: requireData(model, spec, path) };
}
