/**
 * Dataset -> what the trainer consumes: split (seeded, stratified; or the dataset's own fixed
 * split, see split.ts), standardized (fitted on the training split only), targets encoded for
 * the loss. The split's matrices are fresh copies, so they are standardized in place: one copy of
 * the features at a time besides the dataset's.
 */
import type { LossName } from '../engine/spec';
import { encodeTargets } from './encode';
import { splitDataset } from './split';
import { applyStandardizationInPlace, fitStandardization } from './standardize';
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
    xTrain: standardize ? applyStandardizationInPlace(train.X, standardize) : train.X,
    yTrain: encode(train),
    xTest: standardize ? applyStandardizationInPlace(test.X, standardize) : test.X,
    yTest: encode(test),
    ...(standardize ? { standardize } : {}),
    task: dataset.task,
    classes: [...dataset.classes],
    features: [...dataset.features],
    target: dataset.target,
    dataset: dataset.name,
  };
}
