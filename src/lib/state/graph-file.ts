/**
 * "Export graph" / "Import graph": the design alone (graph, compiled spec, training settings) in
 * the model file format of DESIGN.md §4, without weights, named `*.graph.json`. Reading takes a
 * graph file or a full model file, with or without a `training` block, through the model file's
 * own checks, so a bad file is refused with its reasons and nothing is loaded.
 */
import type { GraphDocument } from '../graph/document';
import { DEFAULT_TRAINING, type TrainingSettings } from '../engine/settings';
import {
  parseModelFile,
  readModelFile,
  settingsFromTraining,
  trainingBlock,
  untrainedModelFile,
  writeModelFile,
  type UntrainedModelContent,
} from '../model-file';

/** What "Export graph" writes: the design (graph, spec, dataset, settings) without weights. */
export type GraphFileContent = UntrainedModelContent;

/** The text of the design's model file (throws only on a bug: the writer checks its output). */
export function writeGraphFile(content: GraphFileContent): string {
  return writeModelFile(untrainedModelFile(content));
}

/** A file name from a model name: letters, digits, dots, dashes and underscores only. */
export function graphFileName(name: string): string {
  const stem = name
    .trim()
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${stem === '' ? 'network' : stem}.graph.json`;
}

export type ReadGraphResult =
  | {
      ok: true;
      name: string;
      document: GraphDocument;
      /** The file's training settings; null when it has no `training` block. */
      settings: TrainingSettings | null;
    }
  | { ok: false; error: string };

/**
 * The graph (and training settings, when present) of a graph file's or a model file's text, or
 * every reason the file cannot be used. The model file's checks cover the graph (node and wire
 * ids unique, every wire between existing nodes); a missing `training` block is no reason to
 * refuse a graph, so it is read as the defaults and reported as absent.
 */
export function readGraphFile(text: string): ReadGraphResult {
  const read = readModelFile(text);
  if (read.ok)
    return {
      ok: true,
      name: read.model.name,
      document: read.model.graph,
      settings: settingsFromTraining(read.model.training),
    };
  const withoutTraining = objectWithoutTraining(text);
  if (!withoutTraining) return { ok: false, error: read.error };
  const reread = parseModelFile({ ...withoutTraining, training: trainingBlock(DEFAULT_TRAINING) });
  if (!reread.ok) return { ok: false, error: reread.error };
  return { ok: true, name: reread.model.name, document: reread.model.graph, settings: null };
}

/** The text's JSON object when it is one and has no `training` block; null otherwise. */
function objectWithoutTraining(text: string): object | null {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return Object.hasOwn(value, 'training') ? null : value;
}
