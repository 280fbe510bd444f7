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
}

export function prepareData(dataset: Dataset, opts: PrepareOptions, loss: LossName): PreparedData {
  const { train, test } = splitDataset(dataset, opts);
  const standardize = opts.standardize ? fitStandardization(train.X) : undefined;
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
