/**
 * The worker's side of the backprop inspector: the chain-rule terms of one node for the current
 * mini-batch at the current weights (with a teaching mistake, when one is on, and where its
 * numbers first part from the correct ones), the gradient check of the mistaken variant, and the
 * batch's rows as CSV so `cli grad` can be run on the same rows.
 *
 * Every pass runs on a COPY of the trained network (networkWithMistake): the trainer's gradient
 * buffers and weights stay exactly as the last step left them.
 */
import {
  SCALER_BEFORE_SPLIT,
  allBackpropTerms,
  firstDivergingTerm,
  isMistake,
  networkWithMistake,
  termBuffers,
  type LayerTerms,
  type Mistake,
} from '../engine/index';
import { checkedSettings, type TrainingSettings } from '../engine/settings';
import type { LossName } from '../engine/spec';
import { prepareData } from '../data/prepare';
import type { Matrix } from '../engine/matrix';
import type { Dataset, PreparedData } from '../data/types';
import {
  type TeachingMistake,
  type BackpropRequest,
  type BackpropTermsResult,
  type BatchExport,
  type GradientCheckReport,
} from './api';
import { buildTraining, type Training } from './build';
import { checkReport, currentBatch } from './gradient-check-report';

export { currentBatch };

/** The block of each term the page shows by default (rows × columns). */
export const DEFAULT_SHOWN_ROWS = 16;
export const DEFAULT_SHOWN_COLS = 16;
/** The largest block a request may ask for (what crosses stays small). */
export const MAX_SHOWN = 256;
/** How much of each term the mistake comparison looks at (beyond what is shown). */
const COMPARED_BLOCK = 64;

export function isTeachingMistake(value: unknown): value is TeachingMistake {
  return isMistake(value) || value === SCALER_BEFORE_SPLIT.id;
}

/** The part of a teaching mistake the network runs (the scaler one lives in the data). */
export function networkMistake(mistake: TeachingMistake | null): Mistake | null {
  return mistake === SCALER_BEFORE_SPLIT.id ? null : mistake;
}

/**
 * The data prepared as buildTraining would, but with the scaler fitted on ALL rows (the "scaler
 * before the split" mistake): given to buildTraining as its `prepared` start.
 */
export function preparedWithScalerOnAllRows(
  dataset: Dataset,
  wanted: TrainingSettings,
  loss: LossName,
): PreparedData {
  const settings = checkedSettings(wanted);
  return prepareData(
    dataset,
    {
      testFraction: settings.testFraction,
      seed: settings.seed,
      standardize: settings.standardize,
      fitScalerOnAllRows: true,
    },
    loss,
  );
}

/**
 * The same network, raw data and settings prepared afresh, the scaler fitted on all rows or
 * (false) on the training rows as it should be; weights drawn anew from the seed, as at a reset.
 */
export function withScalerFit(training: Training, onAllRows: boolean): Training {
  const { spec, dataset } = training;
  const settings = training.trainer.settings;
  return buildTraining(spec, dataset, settings, {
    prepared: onAllRows
      ? preparedWithScalerOnAllRows(dataset, settings, spec.loss.type)
      : undefined,
  });
}

/** The trainer's last mini-batch, or its first batchSize training rows before any step. */
function blockSize(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!(Number.isInteger(value) && value >= 1 && value <= MAX_SHOWN))
    throw new Error(`${what} must be a whole number from 1 to ${MAX_SHOWN}.`);
  return value;
}

/**
 * The terms of node `request.layerId` for the current batch, with `mistake` applied when not
 * null, and the buffers to transfer (each term's values, sized to the shown block). Throws a
 * plain Error for an unknown node or one without terms (an Input, a Dropout, …).
 */
export function backpropTermsResponse(
  training: Training,
  mistake: Mistake | null,
  request: BackpropRequest,
): { result: BackpropTermsResult; transfer: ArrayBuffer[] } {
  const maxRows = blockSize(request.maxRows, DEFAULT_SHOWN_ROWS, 'The rows shown');
  const maxCols = blockSize(request.maxCols, DEFAULT_SHOWN_COLS, 'The columns shown');
  const { trainer } = training;
  const { X, Y } = currentBatch(training);
  const regularization = { l1: trainer.settings.l1, l2: trainer.settings.l2 };
  const run = (m: Mistake | null, limits: { maxRows: number; maxCols: number }) =>
    allBackpropTerms(networkWithMistake(trainer.network, m), X, Y, { ...limits, regularization });
  const shown = run(mistake, { maxRows, maxCols });
  const layer = shown.find((l) => l.layerId === request.layerId);
  if (!layer) throw new Error(notInspectable(training, request.layerId));

  let firstDifference = null,
    firstDifferenceInNetwork = null;
  if (mistake !== null) {
    const limits = {
      maxRows: Math.max(maxRows, COMPARED_BLOCK),
      maxCols: Math.max(maxCols, COMPARED_BLOCK),
    };
    const correct = run(null, limits);
    const buggy = run(mistake, limits);
    firstDifferenceInNetwork = firstDivergingTerm(correct, buggy);
    const only = (all: LayerTerms[]) => all.filter((l) => l.layerId === request.layerId);
    firstDifference = firstDivergingTerm(only(correct), only(buggy));
  }
  const result: BackpropTermsResult = {
    layer,
    mistake,
    firstDifference,
    firstDifferenceInNetwork,
    update: trainer.totalSteps,
    batchRows: X.rows,
  };
  return { result, transfer: termBuffers(layer.terms) };
}

function notInspectable(training: Training, id: string): string {
  const { spec } = training;
  if (id === spec.input.id)
    return `Node "${id}" is the Input: the Backprop tab shows Dense, Activation and Loss nodes.`;
  const layer = spec.layers.find((l) => l.id === id);
  if (!layer) return `The trained network has no node "${id}" (train it after editing the graph).`;
  return `Node "${id}" is a ${layer.type} node: the Backprop tab shows Dense, Activation and Loss nodes.`;
}

/**
 * "Check gradients" with `mistake` on: backprop of the mistaken variant against finite
 * differences of its loss, on the current batch (the same report as gradientCheckReport).
 */
export function mistakeGradientCheck(training: Training, mistake: Mistake): GradientCheckReport {
  const { trainer } = training;
  const { X, Y } = currentBatch(training);
  const net = networkWithMistake(trainer.network, mistake);
  return checkReport(net, { X, Y }, trainer.settings);
}

/** A CSV field: quoted when it holds a comma, a quote or a line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The current batch's rows as the data file has them (features un-standardized, the class name
 * or the target value), so `cli grad --model <exported model> --data <this>` sees the same rows.
 */
export function batchExport(training: Training): BatchExport {
  const { prepared, trainer } = training;
  const { X, Y } = currentBatch(training);
  const s = prepared.standardize;
  const lines = [[...prepared.features, prepared.target].map(csvField).join(',')];
  for (let i = 0; i < X.rows; i++) {
    // Undo x' = (x − mean) / std: the CLI standardizes again with the model file's numbers.
    const raw = prepared.features.map((_, j) => {
      const v = X.data[i * X.cols + j];
      return s ? v * s.std[j] + s.mean[j] : v;
    });
    const target =
      prepared.task === 'classification' ? csvField(classOf(Y, i, prepared.classes)) : Y.data[i];
    lines.push([...raw.map(String), String(target)].join(','));
  }
  return {
    csv: lines.join('\n') + '\n',
    rows: X.rows,
    update: trainer.totalSteps,
    fileName: `${prepared.dataset}-batch-${trainer.totalSteps}.csv`.replace(/[^\w.-]+/g, '_'),
  };
}

/** The class of row i: the 1 of its one-hot row, or for one sigmoid output t = 1 → second class. */
function classOf(Y: Matrix, i: number, classes: readonly string[]): string {
  if (Y.cols === 1) return classes[Y.data[i] >= 0.5 ? 1 : 0];
  let best = 0;
  for (let k = 1; k < Y.cols; k++) if (Y.data[i * Y.cols + k] > Y.data[i * Y.cols + best]) best = k;
  return classes[best];
}
