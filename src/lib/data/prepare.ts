/**
 * Dataset -> what the trainer consumes: split (seeded, stratified; or the dataset's own fixed
 * split, see split.ts), standardized (fitted on the training split only), targets encoded for
 * the loss. Each split's rows are gathered and standardized in the same pass, so besides the
 * dataset there is one copy of the features, written once. Byte features (Fashion-MNIST) are not
 * copied to float64 at all: a fixed split's rows are views of the dataset's bytes, standardized
 * as each batch is read (engine/feature-rows.ts).
 */
import type { LossName } from '../engine/spec';
import {
  featureRowRange,
  isByteFeatures,
  selectFeatureRows,
  type FeatureMatrix,
} from '../engine/feature-rows';
import type { Matrix } from '../engine/matrix';
import { encodeTargets, withClassOrder } from './encode';
import { splitIndices, type SplitIndices } from './split';
import { reorderRowsInPlace, rowView } from './reorder';
import {
  fitStandardization,
  gatherStandardized,
  standardizeFeatures,
  standardizeInPlace,
} from './standardize';
import type { Dataset, PreparedData, Standardization } from './types';

export interface PrepareOptions {
  testFraction: number;
  seed: number;
  standardize: boolean;
  /**
   * The class order of a trained model (its output columns): the targets are encoded in this
   * order, the data may hold fewer of them, and a class not in it is refused by name.
   */
  classes?: readonly string[];
  /**
   * The scaling of a trained model, used as given instead of fitted (with `standardize`): its
   * weights belong to the inputs as they were scaled when it was trained.
   */
  standardization?: Standardization;
  /**
   * The "scaler fitted before the split" mistake of the backprop inspector's teaching switch
   * (engine/mistakes.ts): fit mean and std on all rows, so the test rows leak into training.
   * Never set by normal training.
   */
  fitScalerOnAllRows?: boolean;
  /**
   * Reuse the dataset's float64 buffer instead of copying it: its rows are reordered (training
   * rows first, then test rows) and standardized in place, and the splits are views of it. The
   * dataset's features are then no longer its own: only for a caller that reads it once (the
   * CLI's train), never for a stored dataset. The numbers are the same either way.
   */
  inPlace?: boolean;
}

export function prepareData(
  data: Dataset<Matrix>,
  opts: PrepareOptions,
  loss: LossName,
): PreparedData<Matrix>;
export function prepareData(data: Dataset, opts: PrepareOptions, loss: LossName): PreparedData;
export function prepareData(data: Dataset, opts: PrepareOptions, loss: LossName): PreparedData {
  const dataset = opts.classes ? withClassOrder(data, opts.classes) : data;
  const indices = splitIndices(dataset, opts);
  const standardize = !opts.standardize
    ? undefined
    : (opts.standardization ??
      fitStandardization(dataset.X, opts.fitScalerOnAllRows ? undefined : indices.train));
  const targets = (rows: number[]) =>
    encodeTargets(
      Float64Array.from(rows, (i) => dataset.y[i]),
      dataset.task,
      dataset.classes,
      loss,
    );
  const { xTrain, xTest } = opts.inPlace
    ? splitInPlace(dataset.X, indices, standardize)
    : {
        xTrain: splitFeatures(dataset.X, indices.train, standardize),
        xTest: splitFeatures(dataset.X, indices.test, standardize),
      };
  return {
    xTrain,
    yTrain: targets(indices.train),
    xTest,
    yTest: targets(indices.test),
    ...(standardize ? { standardize } : {}),
    task: dataset.task,
    classes: [...dataset.classes],
    features: [...dataset.features],
    target: dataset.target,
    dataset: dataset.name,
  };
}

/** One split's features: float64 gathered (and standardized) into a new matrix; bytes shared. */
function splitFeatures(
  X: FeatureMatrix,
  rows: number[],
  standardize: Standardization | undefined,
): FeatureMatrix {
  if (!isByteFeatures(X)) return gatherStandardized(X, rows, standardize);
  const start = rows[0] ?? 0;
  const picked = isRange(rows)
    ? featureRowRange(X, start, start + rows.length)
    : selectFeatureRows(X, rows);
  return standardize ? standardizeFeatures(picked, standardize) : picked;
}

/** PrepareOptions.inPlace: both splits as views of X's own buffer (bytes are shared anyway). */
function splitInPlace(
  X: FeatureMatrix,
  indices: SplitIndices,
  standardize: Standardization | undefined,
): { xTrain: FeatureMatrix; xTest: FeatureMatrix } {
  if (isByteFeatures(X))
    return {
      xTrain: splitFeatures(X, indices.train, standardize),
      xTest: splitFeatures(X, indices.test, standardize),
    };
  const n = indices.train.length;
  reorderRowsInPlace(X, [...indices.train, ...indices.test]);
  if (standardize) standardizeInPlace(X, standardize);
  return { xTrain: rowView(X, 0, n), xTest: rowView(X, n, X.rows) };
}

/** Whether rows are consecutive (a fixed split's block), so bytes can be shared, not copied. */
function isRange(rows: readonly number[]): boolean {
  for (let i = 1; i < rows.length; i++) if (rows[i] !== rows[i - 1] + 1) return false;
  return true;
}
