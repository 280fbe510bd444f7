/**
 * Dataset -> what the trainer consumes: split (seeded, stratified; or the dataset's own fixed
 * split, see split.ts), standardized (fitted on the training split only), targets encoded for
 * the loss. Each split's rows are gathered and standardized in the same pass, so besides the
 * dataset there is one copy of the features, written once.
 */
import type { LossName } from '../engine/spec';
import type { Matrix } from '../engine/matrix';
import { encodeTargets, withClassOrder } from './encode';
import { splitIndices } from './split';
import { fitStandardization, gatherStandardized } from './standardize';
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
}

export function prepareData(data: Dataset, opts: PrepareOptions, loss: LossName): PreparedData {
  const dataset = opts.classes ? withClassOrder(data, opts.classes) : data;
  const indices = splitIndices(dataset, opts);
  const standardize = !opts.standardize
    ? undefined
    : (opts.standardization ??
      fitStandardization(dataset.X, opts.fitScalerOnAllRows ? undefined : indices.train));
  const features = (rows: number[]): Matrix => gatherStandardized(dataset.X, rows, standardize);
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
