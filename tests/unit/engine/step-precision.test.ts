/**
 * Float32 training (kernels/step-precision.ts): the float32 kernel against the reference
 * products, one float32 step against one float64 step from the same weights on random networks,
 * float64 everywhere outside a step, and the same accuracy as float64 on iris and digits.
 */
import { describe, expect, it } from 'vitest';
import { prepareData } from '../../../src/lib/data/index';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import {
  referenceKernel,
  StepPrecisionKernel,
  wasmFloat32Kernel,
} from '../../../src/lib/engine/matmul';
import { zeros, type Matrix } from '../../../src/lib/engine/matrix';
import { evaluateSplit } from '../../../src/lib/engine/metrics';
import { createNetwork, setWeights } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import {
  DEFAULT_TRAINING,
  resolveSettings,
  type TrainingSettings,
} from '../../../src/lib/engine/settings';
import type { ActivationName, LayerSpec } from '../../../src/lib/engine/spec';
import { Trainer, type TrainingData } from '../../../src/lib/engine/trainer';
import { chainSpec, randomMatrix, targetsFor, type Head } from './helpers';

/** ‖a - b‖ / ‖b‖ (Frobenius), 0 when both are zero. */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0,
    norm = 0;
  for (let i = 0; i < b.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  return norm === 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
}

const fast = wasmFloat32Kernel;

describe.runIf(fast !== null)('the float32 WebAssembly kernel', () => {
  // Shapes with edges in every direction, and sums longer than one chunk (128).
  const shapes = [
    [1, 1, 1],
    [3, 5, 7],
    [9, 300, 13],
    [64, 784, 37],
    [257, 129, 8],
  ];
  it.each(shapes)(
    '%i x %i times %i columns: within float32 rounding of the exact product',
    (m, k, n) => {
      const rng = createRng(m * 1000 + k + n);
      const A = randomMatrix(m, k, rng),
        B = randomMatrix(k, n, rng);
      const exact = zeros(m, n),
        single = zeros(m, n);
      referenceKernel.matmul(A, B, exact);
      fast!.matmul(A, B, single);
      // Each entry is a sum of k products of standard normals: error ~ k ε32 sqrt(k) at worst.
      expect(relativeDifference(single.data, exact.data)).toBeLessThan(1e-5);
      expect(single.data).not.toEqual(exact.data);
      // Transposed reads give the same float32 results as the plain product of the transposes.
      const At = transpose(A),
        Bt = transpose(B);
      const viaA = zeros(m, n),
        viaB = zeros(m, n);
      fast!.matmulTransA(At, B, viaA);
      fast!.matmulTransB(A, Bt, viaB);
      expect(viaA.data).toEqual(single.data);
      expect(viaB.data).toEqual(single.data);
    },
  );
});

function transpose(M: Matrix): Matrix {
  const T = zeros(M.cols, M.rows);
  for (let i = 0; i < M.rows; i++)
    for (let j = 0; j < M.cols; j++) T.data[j * M.rows + i] = M.data[i * M.cols + j];
  return T;
}

describe('StepPrecisionKernel', () => {
  it('is float64 except within a float32 piece of work, even one that throws', () => {
    const kernel = new StepPrecisionKernel(referenceKernel, fast);
    expect(kernel.precision).toBe('float64');
    kernel.within('float32', () => expect(kernel.precision).toBe(fast ? 'float32' : 'float64'));
    expect(() =>
      kernel.within('float32', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(kernel.precision).toBe('float64');
  });

  it('without a float32 kernel, float32 work runs in float64', () => {
    const kernel = new StepPrecisionKernel(referenceKernel, null);
    kernel.within('float32', () => expect(kernel.precision).toBe('float64'));
  });
});

describe('precision in the settings', () => {
  it('accepts float64 and float32, and says what is wrong otherwise', () => {
    for (const precision of ['float64', 'float32'] as const)
      expect(resolveSettings(DEFAULT_TRAINING, { precision }).ok).toBe(true);
    const bad = resolveSettings(DEFAULT_TRAINING, {
      precision: 'float16' as unknown as 'float32',
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.precision).toMatch(/float16.*float64.*float32/);
  });
});

interface Case {
  head: Head;
  activation: ActivationName;
  inputs: number;
  hidden: number;
  depth: number;
}
const CASES: Case[] = [
  { head: 'softmax+cross_entropy', activation: 'relu', inputs: 200, hidden: 37, depth: 3 },
  { head: 'mse', activation: 'tanh', inputs: 9, hidden: 130, depth: 2 },
  { head: 'sigmoid+binary_cross_entropy', activation: 'sigmoid', inputs: 30, hidden: 16, depth: 4 },
  { head: 'softmax+mse', activation: 'leaky_relu', inputs: 64, hidden: 24, depth: 3 },
];

/** The output width that suits the head (helpers.ts's targetsFor fills it). */
const outputsOf = (c: Case): number =>
  c.head === 'sigmoid+binary_cross_entropy' ? 1 : c.head === 'mse' ? 2 : 5;

const specOf = (c: Case): LayerSpec => chainSpec({ ...c, outputs: outputsOf(c) });

/** `rows` rows of standard normal features and targets that suit the head, no test split. */
function randomData(c: Case, rows: number, seed: number): TrainingData {
  const rng = createRng(seed);
  const X = randomMatrix(rows, c.inputs, rng);
  const Y = targetsFor(c.head, rows, outputsOf(c), rng);
  return {
    xTrain: X,
    yTrain: Y,
    xTest: zeros(0, c.inputs),
    yTest: zeros(0, outputsOf(c)),
    task: c.head === 'mse' ? 'regression' : 'classification',
  };
}

describe.runIf(fast !== null)('a float32 training step', () => {
  it.each(CASES)(
    '$head after $activation layers: loss, gradients and update agree with float64 to 1e-4',
    (c) => {
      const spec = specOf(c);
      const data = randomData(c, 96, c.inputs);
      const settings: TrainingSettings = {
        ...DEFAULT_TRAINING,
        optimizer: { name: 'sgd', learningRate: 0.05 },
        batchSize: 32,
        epochs: 10,
        seed: 3,
        shuffle: false,
      };
      const exact = new Trainer({ spec, data, settings });
      const single = new Trainer({ spec, data, settings: { ...settings, precision: 'float32' } });
      let differs = false;
      for (let step = 0; step < 5; step++) {
        // Every step starts from the same weights (SGD has no state for setWeights to clear).
        const before = exact.getWeights();
        single.setWeights(before);
        const a = exact.step(),
          b = single.step();
        expect(Math.abs(b.batchLoss - a.batchLoss) / Math.abs(a.batchLoss)).toBeLessThan(1e-4);
        const ga = exact.lastGradients(),
          gb = single.lastGradients();
        ga.forEach((g, k) => {
          expect(relativeDifference(gb[k].dW.data, g.dW.data)).toBeLessThan(1e-4);
          expect(relativeDifference(gb[k].db, g.db)).toBeLessThan(1e-4);
          differs ||= gb[k].dW.data.some((v, i) => v !== g.dW.data[i]);
        });
        const wa = exact.getWeights(),
          wb = single.getWeights();
        for (const id of Object.keys(wa)) {
          const start = before[id].W.flat();
          const delta = (w: typeof wa) => w[id].W.flat().map((v, i) => v - start[i]);
          expect(relativeDifference(delta(wb), delta(wa))).toBeLessThan(1e-4);
        }
      }
      // The float32 kernel really ran: the gradients are not the float64 bits.
      expect(differs).toBe(true);
    },
  );

  it('outside its steps a float32 trainer computes in float64, bit for bit', () => {
    const c = CASES[0];
    const spec = specOf(c);
    const data = randomData(c, 64, 9);
    const settings: TrainingSettings = {
      ...DEFAULT_TRAINING,
      batchSize: 16,
      precision: 'float32',
      seed: 4,
    };
    const trainer = new Trainer({ spec, data, settings });
    for (let i = 0; i < 3; i++) trainer.step();
    const copy = createNetwork(spec, createRng(0), { kernel: referenceKernel });
    setWeights(copy, trainer.getWeights());
    const expected = evaluateSplit(copy, data.xTrain, data.yTrain, 'classification');
    expect(trainer.evaluate().trainLoss).toBe(expected.loss);
    expect(trainer.evaluate().trainAccuracy).toBe(expected.accuracy);
  });
});

/** Test accuracy after training in `precision`, everything else equal. */
async function accuracyAfterTraining(
  dataset: 'iris' | 'digits',
  spec: LayerSpec,
  settings: TrainingSettings,
): Promise<number> {
  const data = prepareData(
    await loadBuiltinDatasetNode(dataset),
    { testFraction: settings.testFraction, seed: settings.seed, standardize: settings.standardize },
    'cross_entropy',
  );
  const trainer = new Trainer({ spec, data, settings });
  while (trainer.status === 'ready') trainer.runEpoch();
  return trainer.evaluate().testAccuracy!;
}

describe.runIf(fast !== null)('float32 training reaches the accuracy of float64', () => {
  it('iris (the seed network, 200 epochs): within 0.5 points', async () => {
    const spec = chainSpec({
      inputs: 4,
      depth: 2,
      hidden: 5,
      outputs: 3,
      activation: 'sigmoid',
      head: 'softmax+cross_entropy',
    });
    const exact = await accuracyAfterTraining('iris', spec, DEFAULT_TRAINING);
    const single = await accuracyAfterTraining('iris', spec, {
      ...DEFAULT_TRAINING,
      precision: 'float32',
    });
    expect(exact).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(single - exact)).toBeLessThanOrEqual(0.005);
  });

  it('digits (64 -> 64 ReLU -> 10, Adam, 15 epochs): within 0.5 points', async () => {
    const spec = chainSpec({
      inputs: 64,
      depth: 2,
      hidden: 64,
      outputs: 10,
      activation: 'relu',
      head: 'softmax+cross_entropy',
    });
    const settings: TrainingSettings = {
      ...DEFAULT_TRAINING,
      optimizer: { name: 'adam', learningRate: 0.005 },
      epochs: 15,
      seed: 11,
    };
    const exact = await accuracyAfterTraining('digits', spec, settings);
    const single = await accuracyAfterTraining('digits', spec, {
      ...settings,
      precision: 'float32',
    });
    expect(exact).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(single - exact)).toBeLessThanOrEqual(0.005);
  });
});
