/**
 * Byte features (Fashion-MNIST's pixels kept as a Uint8Array) against the same pixels as a
 * float64 matrix: the standardization, every batch matrix, the chunked evaluation and the trained
 * weights must be the same numbers whichever way the pixels are stored.
 */
import { describe, expect, it } from 'vitest';
import { fashionMnistFromParts } from '../../../src/lib/data/fashion-mnist';
import { decodeIdxImages, decodeIdxLabels } from '../../../src/lib/data/idx';
import { prepareData } from '../../../src/lib/data/prepare';
import type { Dataset } from '../../../src/lib/data/types';
import { BatchSampler } from '../../../src/lib/engine/batches';
import {
  featureBlock,
  featureMatrix,
  gatherFeatureRows,
  isFeatureRows,
  type FeatureMatrix,
  type FeatureRows,
} from '../../../src/lib/engine/feature-rows';
import { zeros, type Matrix } from '../../../src/lib/engine/matrix';
import { evaluateSplit, predictInChunks } from '../../../src/lib/engine/metrics';
import { createNetwork, predict } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import { DEFAULT_TRAINING, type TrainingSettings } from '../../../src/lib/engine/settings';
import { Trainer } from '../../../src/lib/engine/trainer';
import { rowPixels } from '../../../src/lib/worker/misclassified';
import { chainSpec } from '../engine/helpers';

/** An IDX file: magic 00 00 08 <dims>, each size as big-endian uint32, then the bytes. */
function idxBytes(dims: number[], values: ArrayLike<number>): Uint8Array {
  const header = [0, 0, 8, dims.length];
  for (const d of dims) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Uint8Array.from([...header, ...Array.from(values)]);
}

/** `count` random 4×3 images (one pixel column constant: std 0 is kept as 1) and labels 0-9. */
function part(count: number, seed: number) {
  const rng = createRng(seed);
  const pixels = Array.from({ length: count * 12 }, (_, k) =>
    k % 12 === 5 ? 7 : Math.floor(rng.next() * 256),
  );
  const labels = Array.from({ length: count }, () => Math.floor(rng.next() * 10));
  return {
    images: decodeIdxImages(idxBytes([count, 4, 3], pixels), 'images'),
    labels: decodeIdxLabels(idxBytes([count], labels), 'labels'),
  };
}

const bytes = fashionMnistFromParts(part(90, 1), part(37, 2), 'tiny');
/** The same pixels as float64, as the app kept them before. */
const floats: Dataset<Matrix> = { ...bytes, X: featureMatrix(bytes.X) };

const options = { testFraction: 0.2, seed: 3, standardize: true };

/** Stored rows whose values are bytes. */
function isBytes(X: FeatureMatrix): X is FeatureRows & { values: Uint8Array } {
  return isFeatureRows(X) && X.values instanceof Uint8Array;
}

function sameBits(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  return a.findIndex((v, i) => !Object.is(v, b[i]));
}

describe('byte features read as float64 on demand', () => {
  it('the IDX dataset keeps its pixels as bytes', () => {
    expect(isBytes(bytes.X)).toBe(true);
    expect(isBytes(floats.X)).toBe(false);
  });

  for (const [what, fixed] of [
    ['the published split', true],
    ['a seeded random split', false],
  ] as const)
    it(`${what}: the same standardization and split matrices, bit for bit`, () => {
      const strip = <D extends Dataset>(d: D): D => {
        if (fixed) return d;
        const { split: _split, ...rest } = d;
        return rest as D;
      };
      const a = prepareData(strip(floats), options, 'cross_entropy');
      const b = prepareData(strip(bytes), options, 'cross_entropy');
      expect(b.standardize).toEqual(a.standardize);
      expect(isBytes(b.xTrain)).toBe(true);
      expect(sameBits(featureMatrix(b.xTrain).data, featureMatrix(a.xTrain).data)).toBe(-1);
      expect(sameBits(featureMatrix(b.xTest).data, featureMatrix(a.xTest).data)).toBe(-1);
      expect(Array.from(b.yTrain.data)).toEqual(Array.from(a.yTrain.data));
      // The constant column became 0, not NaN (std 1).
      expect(featureMatrix(b.xTrain).data[5]).toBe(0);
      // A fixed split shares the dataset's bytes: no copy.
      if (fixed && isBytes(b.xTrain) && isBytes(bytes.X))
        expect(b.xTrain.values.buffer).toBe(bytes.X.values.buffer);
    });

  it('the batch sampler gives the same batch matrices for a whole epoch and the next', () => {
    const a = prepareData(floats, options, 'cross_entropy');
    const b = prepareData(bytes, options, 'cross_entropy');
    const samplerA = new BatchSampler(a.xTrain, a.yTrain);
    const samplerB = new BatchSampler(b.xTrain, b.yTrain);
    const rngA = createRng(11);
    const rngB = createRng(11);
    let batches = 0;
    for (let epoch = 0; epoch < 2; epoch++) {
      for (;;) {
        const batchA = samplerA.next(16, true, rngA);
        const batchB = samplerB.next(16, true, rngB);
        expect(sameBits(batchB.X.data, batchA.X.data)).toBe(-1);
        expect(Array.from(batchB.Y.data)).toEqual(Array.from(batchA.Y.data));
        batches++;
        if (batchA.endsEpoch) break;
      }
      samplerA.startNextEpoch();
      samplerB.startNextEpoch();
    }
    expect(batches).toBe(2 * Math.ceil(90 / 16));
  });

  it('gathers any rows, unscaled or scaled, as the float64 formula gives them', () => {
    const X = bytes.X;
    if (!isBytes(X)) throw new Error('bytes expected');
    const rows = [126, 0, 63, 63];
    const out = gatherFeatureRows(X, rows, zeros(rows.length, 12));
    rows.forEach((row, r) =>
      expect(Array.from(out.data.subarray(r * 12, r * 12 + 12))).toEqual(
        Array.from(X.values.subarray(row * 12, row * 12 + 12), (v) => v),
      ),
    );
    const mean = Float64Array.from({ length: 12 }, (_, j) => j * 10.5);
    const std = Float64Array.from({ length: 12 }, (_, j) => 1 + j / 3);
    const scaled = gatherFeatureRows({ ...X, scale: { mean, std } }, [4], zeros(1, 12));
    for (let j = 0; j < 12; j++)
      expect(scaled.data[j]).toBe((X.values[4 * 12 + j] - mean[j]) / std[j]);
  });

  it('a chunked evaluation gives the one-pass loss (to 1e-15) and accuracy', () => {
    const a = prepareData(floats, options, 'cross_entropy');
    const b = prepareData(bytes, options, 'cross_entropy');
    const spec = chainSpec({
      inputs: 12,
      depth: 2,
      hidden: 5,
      outputs: 10,
      activation: 'relu',
      head: 'softmax+cross_entropy',
    });
    const net = createNetwork(spec, createRng(5));
    const whole = evaluateSplit(net, a.xTrain, a.yTrain, 'classification');
    for (const chunk of [7, 16, 89]) {
      const chunked = evaluateSplit(net, b.xTrain, b.yTrain, 'classification', chunk);
      expect(Math.abs(chunked.loss - whole.loss)).toBeLessThanOrEqual(1e-15 * whole.loss);
      expect(chunked.accuracy).toBe(whole.accuracy);
    }
    // Predictions chunk by chunk are the whole pass's, bit for bit (rows are independent).
    const P = predictInChunks((X) => predict(net, X), b.xTest, 10, 6);
    expect(sameBits(P.data, predict(net, featureMatrix(a.xTest)).data)).toBe(-1);
    expect(featureBlock(b.xTest, 3, 9).rows).toBe(6);
  });

  it('a chunked R² equals the one-pass R²', () => {
    const spec = chainSpec({
      inputs: 12,
      depth: 1,
      hidden: 4,
      outputs: 1,
      activation: 'tanh',
      head: 'mse',
    });
    const net = createNetwork(spec, createRng(2));
    const a = prepareData(floats, options, 'cross_entropy');
    const Y = zeros(a.xTrain.rows, 1);
    for (let i = 0; i < Y.rows; i++) Y.data[i] = Math.sin(i);
    const whole = evaluateSplit(net, a.xTrain, Y, 'regression');
    const chunked = evaluateSplit(net, a.xTrain, Y, 'regression', 13);
    expect(chunked.r2).toBeCloseTo(whole.r2!, 14);
    expect(Math.abs(chunked.loss - whole.loss)).toBeLessThanOrEqual(1e-14 * whole.loss);
  });

  it('a trainer on bytes ends with the same weights as on float64, bit for bit', () => {
    const spec = chainSpec({
      inputs: 12,
      depth: 2,
      hidden: 6,
      outputs: 10,
      activation: 'relu',
      head: 'softmax+cross_entropy',
    });
    const settings: TrainingSettings = { ...DEFAULT_TRAINING, batchSize: 8, epochs: 3, seed: 9 };
    const run = (d: Dataset) => {
      const p = prepareData(d, options, 'cross_entropy');
      const trainer = new Trainer({ spec, settings, data: p });
      while (trainer.status !== 'done') trainer.runEpoch();
      return trainer;
    };
    const a = run(floats);
    const b = run(bytes);
    expect(b.getWeights()).toEqual(a.getWeights());
    expect(b.evaluate()).toEqual(a.evaluate());
  });

  it('misclassified images read the raw pixels of byte features', () => {
    const b = prepareData(bytes, options, 'cross_entropy');
    const pixels = rowPixels(b.xTest, 2, b.standardize ?? null);
    if (!isBytes(bytes.X)) throw new Error('bytes expected');
    const row = 90 + 2;
    expect(Array.from(pixels)).toEqual(
      Array.from(bytes.X.values.subarray(row * 12, row * 12 + 12)),
    );
  });
});
