/**
 * Dataset -> what the trainer consumes: split (seeded, stratified), standardized (fitted on the
 * training split only), targets encoded for the loss.
 */
import type { LossName } from '../engine/spec';
import { encodeTargets, withClassOrder } from './encode';
import { splitDataset } from './split';
import { applyStandardization, fitStandardization } from './standardize';
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
}

export function prepareData(data: Dataset, opts: PrepareOptions, loss: LossName): PreparedData {
  const dataset = opts.classes ? withClassOrder(data, opts.classes) : data;
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
