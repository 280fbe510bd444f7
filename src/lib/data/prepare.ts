/**
 * Dataset -> what the trainer consumes: split (seeded, stratified), standardized (fitted on the
 * training split only), targets encoded for the loss.
 */
import type { LossName } from '../engine/spec';
import { encodeTargets } from './encode';
import { splitDataset } from './split';
import { applyStandardization, fitStandardization } from './standardize';
import type { Dataset, PreparedData } from './types';

export interface PrepareOptions {
  testFraction: number;
  seed: number;
  standardize: boolean;
  /**
   * The "scaler fitted before the split" mistake of the backprop inspector's teaching switch
   * (engine/mistakes.ts): fit mean and std on all rows, so the test rows leak into training.
   * Never set by normal training.
   */
  fitScalerOnAllRows?: boolean;
}

export function prepareData(dataset: Dataset, opts: PrepareOptions, loss: LossName): PreparedData {
  const { train, test } = splitDataset(dataset, opts);
  const fitOn = opts.fitScalerOnAllRows ? dataset.X : train.X;
  const standardize = opts.standardize ? fitStandardization(fitOn) : undefined;
  const encode = (d: Dataset) => encodeTargets(d.y, d.task, d.classes, loss);
  return {
    xTrain: standardize ? applyStandardization(train.X, standardize) : train.X,
    yTrain: encode(train),
    xTest: standardize ? applyStandardization(test.X, standardize) : test.X,
    yTest: encode(test),
    ...(standardize ? { standardize } : {}),
    task: dataset.task,
    classes: [...dataset.classes],
    features: [...dataset.features],
    target: dataset.target,
    dataset: dataset.name,
  };
}
