/**
 * "Export graph" / "Import graph": the design alone (graph, compiled spec, training settings) in
 * the model file format of DESIGN.md §4, without weights. Reading goes through the model file's
 * own checks, so a bad file is refused with its reasons and nothing is loaded.
 */
import { DEFAULT_TRAINING, type TrainingSettings } from '../engine/settings';
import type { LayerSpec } from '../engine/spec';
import type { GraphDocument } from '../graph/document';
import {
  MODEL_FORMAT,
  MODEL_VERSION,
  readModelFile,
  trainingBlock,
  writeModelFile,
  type ModelData,
  type ModelFile,
} from '../model-file';

export interface GraphFileContent {
  /** The file's `name` (also its file name, as `<name>.model.json`). */
  name: string;
  document: GraphDocument;
  /** compile()'s spec, or null while the graph has errors. */
  spec: LayerSpec | null;
  /** The chosen dataset, if any; left out while none is chosen. */
  data?: ModelData;
  /** The training settings to keep with the design (the defaults if not given). */
  settings?: TrainingSettings;
}

/** The model file for a design: no weights, no history, no metrics. */
export function graphModelFile(content: GraphFileContent): ModelFile {
  const model: ModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    name: content.name,
    graph: content.document,
    spec: content.spec,
    training: trainingBlock(content.settings ?? DEFAULT_TRAINING),
    weights: null,
  };
  if (content.data) model.data = content.data;
  return model;
}

/** The text of the design's model file (throws only on a bug: the writer checks its output). */
export function writeGraphFile(content: GraphFileContent): string {
  return writeModelFile(graphModelFile(content));
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
