/**
 * A split is a view of the dataset's float64 rows (a row index, standardized as it is read), not a
 * standardized copy. Against a copy standardized by hand here (mean and population std of the
 * training rows, then (x - mean) / std), the batches, the evaluation and the trained weights must
 * be the same numbers, bit for bit; and the view must not copy the dataset.
 */
import { describe, expect, it } from 'vitest';
import { prepareData } from '../../../src/lib/data/prepare';
import { splitIndices } from '../../../src/lib/data/split';
import type { Dataset } from '../../../src/lib/data/types';
import { BatchSampler } from '../../../src/lib/engine/batches';
import { featureMatrix, isFeatureRows } from '../../../src/lib/engine/feature-rows';
import { zeros, type Matrix } from '../../../src/lib/engine/matrix';
import { evaluateSplit } from '../../../src/lib/engine/metrics';
import { createNetwork } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import { DEFAULT_TRAINING, type TrainingSettings } from '../../../src/lib/engine/settings';
import { Trainer } from '../../../src/lib/engine/trainer';
import type { TrainingData } from '../../../src/lib/engine/training-data';
import { chainSpec } from '../engine/helpers';

const ROWS = 2600; // a training split above the 2,000-row evaluation sample and chunk
const COLS = 5;
const options = { testFraction: 0.2, seed: 4 };

/** Columns on very different scales (one constant), 3 classes. */
function dataset(): Dataset<Matrix> {
  const rng = createRng(21);
  const X = zeros(ROWS, COLS);
  const y = new Float64Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    const k = i % 3;
    y[i] = k;
    X.data[i * COLS] = 1000 * k + 300 * rng.next();
    X.data[i * COLS + 1] = 1e-4 * rng.next() - k * 3e-5;
    X.data[i * COLS + 2] = 42;
    X.data[i * COLS + 3] = Math.sin(i) * 7.5 + k;
    X.data[i * COLS + 4] = rng.next() > 0.5 ? -k : k * 2.5;
  }
  return {
    name: 'views',
    features: ['a', 'b', 'c', 'd', 'e'],
    target: 'class',
    task: 'classification',
    classes: ['p', 'q', 'r'],
    X,
    y,
  };
}

/** Rows `rows` of X copied, then standardized with the training rows' mean and std, by hand. */
function handStandardized(X: Matrix, trainRows: number[], rows: number[], scale: boolean): Matrix {
  const mean = new Array<number>(COLS).fill(0);
  const std = new Array<number>(COLS).fill(1);
  if (scale)
    for (let j = 0; j < COLS; j++) {
      let sum = 0;
      for (const i of trainRows) sum += X.data[i * COLS + j];
      mean[j] = sum / trainRows.length;
      let squares = 0;
      for (const i of trainRows) squares += (X.data[i * COLS + j] - mean[j]) ** 2;
      const s = Math.sqrt(squares / trainRows.length);
      std[j] = s > 0 ? s : 1;
    }
  const out = zeros(rows.length, COLS);
  rows.forEach((i, r) => {
    for (let j = 0; j < COLS; j++)
      out.data[r * COLS + j] = (X.data[i * COLS + j] - mean[j]) / std[j];
  });
  return out;
}

/** The split by view (prepareData) and the same split as hand-standardized copies. */
function bothWays(standardize: boolean): { view: TrainingData; copy: TrainingData; d: Dataset } {
  const d = dataset();
  const prepared = prepareData(d, { ...options, standardize }, 'cross_entropy');
  const { train, test } = splitIndices(d, options);
  const copy: TrainingData = {
    xTrain: handStandardized(d.X as Matrix, train, train, standardize),
    yTrain: prepared.yTrain,
    xTest: handStandardized(d.X as Matrix, train, test, standardize),
    yTest: prepared.yTest,
    task: 'classification',
  };
  return { view: prepared, copy, d };
}

function sameBits(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  return a.findIndex((v, i) => !Object.is(v, b[i]));
}

const spec = chainSpec({
  inputs: COLS,
  depth: 2,
  hidden: 6,
  outputs: 3,
  activation: 'tanh',
  head: 'softmax+cross_entropy',
});

describe('a split as a view of the dataset rows', () => {
  it('holds row numbers into the dataset, not a copy of its features', () => {
    const { view, d } = bothWays(true);
    for (const X of [view.xTrain, view.xTest]) {
      if (!isFeatureRows(X)) throw new Error('expected a view');
      expect(X.values).toBe((d.X as Matrix).data);
      expect(X.rowIndex?.length).toBe(X.rows);
    }
    expect(view.xTrain.rows + view.xTest.rows).toBe(ROWS);
  });

  for (const standardize of [true, false])
    describe(standardize ? 'standardized' : 'as given', () => {
      it('reads every value as the hand-standardized copy holds it', () => {
        const { view, copy } = bothWays(standardize);
        expect(sameBits(featureMatrix(view.xTrain).data, (copy.xTrain as Matrix).data)).toBe(-1);
        expect(sameBits(featureMatrix(view.xTest).data, (copy.xTest as Matrix).data)).toBe(-1);
      });

      it('gives the same batch matrices for two epochs', () => {
        const { view, copy } = bothWays(standardize);
        const a = new BatchSampler(copy.xTrain, copy.yTrain);
        const b = new BatchSampler(view.xTrain, view.yTrain);
        const rngA = createRng(5);
        const rngB = createRng(5);
        for (let epoch = 0; epoch < 2; epoch++) {
          for (;;) {
            const batchA = a.next(64, true, rngA);
            const batchB = b.next(64, true, rngB);
            expect(sameBits(batchB.X.data, batchA.X.data)).toBe(-1);
            if (batchA.endsEpoch) break;
          }
          a.startNextEpoch();
          b.startNextEpoch();
        }
      });

      it('evaluates to the same loss and accuracy, whole and chunk by chunk', () => {
        const { view, copy } = bothWays(standardize);
        const net = createNetwork(spec, createRng(3));
        for (const chunk of [undefined, 333])
          for (const [X, Xc, Y] of [
            [view.xTrain, copy.xTrain, copy.yTrain],
            [view.xTest, copy.xTest, copy.yTest],
          ] as const)
            expect(evaluateSplit(net, X, Y, 'classification', chunk)).toEqual(
              evaluateSplit(net, Xc, Y, 'classification', chunk),
            );
      });

      it('trains to the same weights and metrics, bit for bit', () => {
        const { view, copy } = bothWays(standardize);
        const settings: TrainingSettings = {
          ...DEFAULT_TRAINING,
          batchSize: 32,
          epochs: 2,
          seed: 8,
        };
        const run = (data: TrainingData) => {
          const trainer = new Trainer({ spec, settings, data });
          while (trainer.status !== 'done') trainer.runEpoch();
          return trainer;
        };
        const a = run(copy);
        const b = run(view);
        expect(b.totalSteps).toBe(a.totalSteps);
        expect(b.getWeights()).toEqual(a.getWeights());
        expect(b.evaluate()).toEqual(a.evaluate());
        expect(b.history).toEqual(a.history);
      });
    });

  it('reports a non-numeric value at its row in the split, as for a copy', () => {
    const d = dataset();
    const { test } = splitIndices(d, options);
    const at = 17;
    (d.X as Matrix).data[test[at] * COLS + 3] = Infinity;
    // Fitted on the training rows only, the scale stays finite; the test row is caught as read.
    const prepared = prepareData(d, { ...options, standardize: true }, 'cross_entropy');
    expect(() => new Trainer({ spec, settings: DEFAULT_TRAINING, data: prepared })).toThrow(
      `The test data has a missing or non-numeric value at row ${at + 1}, column 4.`,
    );
  });
});
