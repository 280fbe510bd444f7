/**
 * Between the page and the model file (DESIGN §4): the file for the current design and its
 * trained state, and the plan for importing one (checked completely before anything on the page
 * changes: the file, its dataset, its network against that dataset).
 */
import {
  readModelFile,
  settingsFromTraining,
  trainingBlock,
  writeModelFile,
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelFile,
  type ModelHistory,
} from '../model-file/index';
import { compileGraph, type CompileContext } from '../graph/compile';
import type { GraphDocument } from '../graph/document';
import type { LayerSpec } from '../engine/spec';
import type { TrainingSettings } from '../engine/settings';
import type { Metrics, WeightsJson } from '../engine/types';
import type { Dataset } from '../data/index';
import type { Standardization } from '../data/types';
import type { ModelState } from '../worker/api';
import { builtinChoice, choiceLabel, type DatasetChoice } from './dataset-choice';

/** What the page knows of a dataset (a whole Dataset, or the facts of one the worker holds). */
export type DataFacts = Pick<Dataset, 'name' | 'features' | 'task' | 'classes'>;

/** What compile() needs to know about a dataset (the Input size, the number of classes). */
export function compileContextFor(dataset: DataFacts, choice: DatasetChoice): CompileContext {
  return {
    inputSize: dataset.features.length,
    task: dataset.task,
    // Set even for regression (as undefined): GraphState.setContext merges into the old context.
    classCount: dataset.task === 'classification' ? dataset.classes.length : undefined,
    datasetLabel: choiceLabel(choice),
  };
}

/** A file name made of safe characters: "iris-mlp.model.json". */
export function modelFileName(name: string): string {
  const safe =
    name
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-+|-+$/g, '') || 'model';
  return `${safe}.model.json`;
}

/** The model's name: the dataset's, without a ".csv" ending, and "-mlp". */
export function modelName(dataset: string): string {
  return `${dataset.replace(/\.csv$/i, '')}-mlp`;
}

/** The model file for the graph on the canvas and the worker's state (weights, history, metrics). */
export function buildModelFile(graph: GraphDocument, state: ModelState): ModelFile {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    name: modelName(state.dataset),
    graph,
    spec: state.spec,
    data: {
      dataset: state.dataset,
      features: [...state.features],
      target: state.target,
      task: state.task,
      classes: [...state.classes],
      ...(state.standardization ? { standardize: state.standardization } : {}),
    },
    training: trainingBlock(state.settings, state.history, state.metrics),
    weights: state.weights,
  };
}

/** The file's text (checked by writeModelFile: it never writes what reading would refuse). */
export function modelFileText(graph: GraphDocument, state: ModelState): string {
  return writeModelFile(buildModelFile(graph, state));
}

/** Everything an import will set, decided before anything changes. */
export interface ImportPlan<D extends DataFacts = Dataset> {
  model: ModelFile;
  choice: DatasetChoice;
  dataset: D;
  settings: TrainingSettings;
  spec: LayerSpec;
  context: CompileContext;
  weights: WeightsJson | null;
  /** The history and metrics written in the file (shown until training goes on). */
  history: ModelHistory | null;
  metrics: Metrics | null;
  /** A trained file's class order and input scaling, which its weights belong to (else null). */
  classes: string[] | null;
  standardization: Standardization | null;
}

export type ImportResult<D extends DataFacts = Dataset> =
  { ok: true; plan: ImportPlan<D> } | { ok: false; reason: string };

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The first class of the data that is not among the model's, or null. */
function unknownClass(
  modelClasses: readonly string[],
  dataClasses: readonly string[],
): string | null {
  const known = new Set(modelClasses);
  return dataClasses.find((c) => !known.has(c)) ?? null;
}

/**
 * Whether a trained file can go on with the data in use although it names another dataset: an
 * uploaded file with the model's features in its order, of its task, with none but its classes.
 */
function continuesOn(
  trained: NonNullable<ModelFile['data']>,
  current: { choice: DatasetChoice; dataset: DataFacts },
): boolean {
  const { choice, dataset } = current;
  return (
    choice.source === 'upload' &&
    sameList(trained.features, dataset.features) &&
    trained.task === dataset.task &&
    (trained.task !== 'classification' || unknownClass(trained.classes, dataset.classes) === null)
  );
}

/**
 * Read a model file's text and check it against the dataset it names. `current` is the dataset
 * in use (reused when the file names it, and for a trained file that fits an uploaded one:
 * training goes on there); `load` loads a built-in. Nothing is changed here; a bad file gives the reason.
 */
export async function planImport<D extends DataFacts = Dataset>(
  text: string,
  current: { choice: DatasetChoice; dataset: D } | null,
  load: (choice: DatasetChoice) => Promise<D>,
): Promise<ImportResult<D>> {
  const read = readModelFile(text);
  if (!read.ok) return { ok: false, reason: read.error };
  const model = read.model;

  let choice: DatasetChoice;
  let dataset: D;
  const named = model.data?.dataset;
  const trained = model.weights ? model.data : undefined;
  if (named === undefined) {
    if (!current) return { ok: false, reason: 'The file names no dataset; choose one first.' };
    ({ choice, dataset } = current);
  } else if (current && current.dataset.name === named) {
    ({ choice, dataset } = current);
  } else if (current && trained && continuesOn(trained, current)) {
    // A trained model goes on with the file the user uploaded (DESIGN §2: its classes kept).
    ({ choice, dataset } = current);
  } else {
    const builtin = builtinChoice(named);
    if (!builtin)
      return {
        ok: false,
        reason: `This model was trained on the file "${named}". Upload it first (Dataset → Upload CSV…), then import the model again.`,
      };
    choice = builtin;
    try {
      dataset = await load(builtin);
    } catch (error) {
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  const data = model.data;
  if (data) {
    if (!sameList(data.features, dataset.features))
      return {
        ok: false,
        reason: `The file's features (${data.features.join(', ')}) are not those of the dataset "${dataset.name}" (${dataset.features.join(', ')}).`,
      };
    if (data.task !== dataset.task)
      return {
        ok: false,
        reason: `The file is a ${data.task} model, but "${dataset.name}" is a ${dataset.task} dataset.`,
      };
    // Trained weights keep their classes (DESIGN §2): the data may hold fewer, in any order.
    const unknown = trained ? unknownClass(data.classes, dataset.classes) : null;
    if (unknown !== null)
      return {
        ok: false,
        reason: `"${dataset.name}" has the class "${unknown}", which the model does not know: its classes are ${data.classes.map((c) => `"${c}"`).join(', ')}.`,
      };
    if (!trained && !sameList(data.classes, dataset.classes))
      return {
        ok: false,
        reason: `The file's classes (${data.classes.join(', ')}) are not those of "${dataset.name}" (${dataset.classes.join(', ')}).`,
      };
  }
  const classes = trained?.task === 'classification' ? [...trained.classes] : null;
  // The page's facts name the model's classes, so the output is checked against all of them.
  if (classes && !sameList(classes, dataset.classes)) dataset = { ...dataset, classes };

  const context = compileContextFor(dataset, choice);
  const compiled = compileGraph(model.graph, context);
  if (!compiled.spec) {
    const first = compiled.errors[0]?.message ?? 'the graph is empty';
    return {
      ok: false,
      reason: `The network in the file does not work with "${dataset.name}": ${first}`,
    };
  }
  return {
    ok: true,
    plan: {
      model,
      choice,
      dataset,
      settings: settingsFromTraining(model.training),
      spec: compiled.spec,
      context,
      weights: model.weights ?? null,
      history: model.training.history ?? null,
      metrics: model.training.metrics ?? null,
      classes,
      standardization: trained?.standardize ?? null,
    },
  };
}
