/**
 * "Export graph" / "Import graph": the design alone (graph, compiled spec, training settings) in
 * the model file format of DESIGN.md §4, without weights. Reading goes through the model file's
 * own checks, so a bad file is refused with its reasons and nothing is loaded.
 */
import type { GraphDocument } from '../graph/document';
import {
  readModelFile,
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
  return `${stem === '' ? 'network' : stem}.model.json`;
}

export type ReadGraphResult =
  { ok: true; name: string; document: GraphDocument } | { ok: false; error: string };

/**
 * The graph of a model file's text, or every reason the file cannot be used. The model file's
 * checks cover the graph (node and wire ids unique, every wire between existing nodes).
 */
export function readGraphFile(text: string): ReadGraphResult {
  const read = readModelFile(text);
  if (!read.ok) return { ok: false, error: read.error };
  return { ok: true, name: read.model.name, document: read.model.graph };
}
