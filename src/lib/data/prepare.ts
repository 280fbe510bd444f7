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
import { splitIndices } from './split';
import { fitStandardization, gatherStandardized, standardizeFeatures } from './standardize';
import type { Dataset, PreparedData } from './types';

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
   * The "scaler fitted before the split" mistake of the backprop inspector's teaching switch
   * (engine/mistakes.ts): fit mean and std on all rows, so the test rows leak into training.
   * Never set by normal training.
   */
  fitScalerOnAllRows?: boolean;
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
  const standardize = opts.standardize
    ? fitStandardization(dataset.X, opts.fitScalerOnAllRows ? undefined : indices.train)
    : undefined;
  const X = dataset.X;
  const features = (rows: number[]): FeatureMatrix => {
    if (!isByteFeatures(X)) return gatherStandardized(X, rows, standardize);
    const picked = isRange(rows) ? featureRowRange(X, rows[0] ?? 0, (rows[0] ?? 0) + rows.length) : selectFeatureRows(X, rows);
    return standardize ? standardizeFeatures(picked, standardize) : picked;
  };
  const targets = (rows: number[]) =>
    encodeTargets(
      Float64Array.from(rows, (i) => dataset.y[i]),
      dataset.task,
      dataset.classes,
      loss,
    );
  return {
    xTrain: features(indices.train),
    yTrain: targets(indices.train),
    xTest: features(indices.test),
    yTest: targets(indices.test),
    ...(standardize ? { standardize } : {}),
    task: dataset.task,
    classes: [...dataset.classes],
    features: [...dataset.features],
    target: dataset.target,
    dataset: dataset.name,
  };
}

/** Whether rows are consecutive (a fixed split's block), so bytes can be shared, not copied. */
function isRange(rows: readonly number[]): boolean {
  for (let i = 1; i < rows.length; i++) if (rows[i] !== rows[i - 1] + 1) return false;
  return true;
}
