/**
 * Our engine in the benchmark: the same Trainer step the worker and the command line run, with
 * the matrix-product kernel chosen per runner (the network's own kernel, not a global) and the
 * training precision (float32: the step's products on the f32x4 kernel).
 */
import {
  DEFAULT_TRAINING,
  SETTING_LIMITS,
  Trainer,
  divergenceMessage,
  zeros,
  type MatmulKernel,
  type Precision,
} from '../src/lib/engine/index';
import { LEARNING_RATE, MOMENTUM, benchSpec, type BenchData, type BenchNetwork } from './networks';
import type { Runner } from './runner';

export function engineRunner(
  kernel: MatmulKernel,
  precision: Precision = 'float64',
): (network: BenchNetwork, data: BenchData) => Runner {
  return (network, data) => {
    const { X, Y } = data;
    const trainer = new Trainer({
      spec: benchSpec(network.sizes),
      data: {
        xTrain: X,
        yTrain: Y,
        xTest: zeros(0, X.cols),
        yTest: zeros(0, Y.cols),
        task: 'classification',
      },
      settings: {
        ...DEFAULT_TRAINING,
        optimizer: { name: 'momentum', learningRate: LEARNING_RATE, momentum: MOMENTUM },
        batchSize: network.batchSize,
        epochs: SETTING_LIMITS.epochs.max,
        shuffle: false,
        testFraction: 0,
        precision,
      },
      initialWeights: data.initialWeights,
      kernel,
    });
    return {
      activate() {},
      step() {
        const report = trainer.step();
        if (report.divergence) throw new Error(divergenceMessage(report.divergence));
        // A step that ends an epoch also evaluates the whole training split, which the tfjs
        // loops do not do: the timer leaves those steps out.
        return { loss: report.batchLoss, counted: !report.epochEnded };
      },
      dispose() {},
    };
  };
}
