/**
 * Dataset -> what the trainer consumes: split (seeded, stratified; or the dataset's own fixed
 * split, see split.ts), standardized (fitted on the training split only), targets encoded for
 * the loss.
 *
 * One rule for every dataset, small or large, float64 or bytes: a split's features are a view of
 * the dataset's own stored rows (a row index), standardized as each batch or evaluation chunk is
 * read (engine/feature-rows.ts, the same expression and so the same numbers as a standardized
 * copy). The dataset is not copied: the app's worker keeps it (to split again when the settings
 * change) at the cost of one float64 copy of the features, not two. Only the CLI's `inPlace`
 * differs: it owns the dataset, so it reorders and standardizes that buffer itself and hands the
 * engine plain matrices.
 */
import type { LossName } from '../engine/spec';
import { featureRowsOf, isFeatureRows, type FeatureMatrix } from '../engine/feature-rows';
import type { Matrix } from '../engine/matrix';
import { encodeTargets, withClassOrder } from './encode';
import { splitIndices, type SplitIndices } from './split';
import { reorderRowsInPlace, rowView } from './reorder';
import { featureScale, fitStandardization, standardizeInPlace } from './standardize';
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
   * Rewrite the dataset's float64 buffer: its rows are reordered (training rows first, then test
   * rows) and standardized in place, and the splits are plain matrices over it. The dataset's
   * features are then no longer its own: only for a caller that reads it once (the CLI's train),
   * never for a stored dataset. The numbers the engine sees are the same either way.
   */
  inPlace?: boolean;
}

export function prepareData(
  data: Dataset<Matrix>,
  opts: PrepareOptions & { inPlace: true },
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

/** One split's features: a view of the dataset's rows `rows`, standardized on read. */
function splitFeatures(
  X: FeatureMatrix,
  rows: number[],
  standardize: Standardization | undefined,
): FeatureMatrix {
  return featureRowsOf(X, rows, standardize ? featureScale(X, standardize) : undefined);
}

/** PrepareOptions.inPlace: both splits as plain matrices over X's own (reordered) buffer. */
function splitInPlace(
  X: FeatureMatrix,
  indices: SplitIndices,
  standardize: Standardization | undefined,
): { xTrain: FeatureMatrix; xTest: FeatureMatrix } {
  if (isFeatureRows(X))
    return {
      xTrain: splitFeatures(X, indices.train, standardize),
      xTest: splitFeatures(X, indices.test, standardize),
    };
  const n = indices.train.length;
  reorderRowsInPlace(X, [...indices.train, ...indices.test]);
  if (standardize) standardizeInPlace(X, standardize);
  return { xTrain: rowView(X, 0, n), xTest: rowView(X, n, X.rows) };
}
