/**
 * TensorFlow.js in the benchmark: the same network, initial weights, data and optimizer, trained
 * with tfjs's own autodiff (optimizer.minimize) on the cpu backend or the wasm backend with one
 * thread. tfjs is loaded with require: its ESM build does not resolve in Node.
 */
import { createRequire } from 'node:module';
import type * as TF from '@tensorflow/tfjs';
import type * as TFWasm from '@tensorflow/tfjs-backend-wasm';
import type { Matrix } from '../src/lib/engine/index';
import { LEARNING_RATE, MOMENTUM, type BenchData, type BenchNetwork } from './networks';
import type { Runner } from './runner';

export type TfjsBackend = 'cpu' | 'wasm';

const require = createRequire(import.meta.url);
let loaded: typeof TF | null = null;

/** tfjs with the wasm backend registered on one thread; loaded on first use. */
function tfjs(): typeof TF {
  if (loaded) return loaded;
  const tf = require('@tensorflow/tfjs') as typeof TF;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof TFWasm;
  wasm.setThreadsCount(1);
  // Production mode skips debug checks (and the "install tfjs-node" banner): tfjs at its fastest.
  tf.enableProdMode();
  loaded = tf;
  return tf;
}

async function useBackend(tf: typeof TF, backend: TfjsBackend): Promise<void> {
  if (tf.getBackend() === backend) return;
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`TensorFlow.js could not start its "${backend}" backend.`);
  await tf.ready();
}

export function tfjsRunner(
  backend: TfjsBackend,
): (network: BenchNetwork, data: BenchData) => Promise<Runner> {
  return async (network, data) => {
    const tf = tfjs();
    await useBackend(tf, backend);
    const B = network.batchSize;
    const { X, Y } = data;
    const batches = X.rows / B;
    // One tensor per batch, made once: tfjs gets its batches for free, we gather ours each step.
    const batch = (M: Matrix, k: number): TF.Tensor2D =>
      tf.tensor2d(
        Float32Array.from(M.data.subarray(k * B * M.cols, (k + 1) * B * M.cols)),
        [B, M.cols],
        'float32',
      );
    const xs = Array.from({ length: batches }, (_, k) => batch(X, k));
    const ys = Array.from({ length: batches }, (_, k) => batch(Y, k));
    const layers: { W: TF.Variable; b: TF.Variable }[] = [];
    for (let i = 0; i + 1 < network.sizes.length; i++) {
      const w = data.initialWeights[`dense${i + 1}`];
      layers.push({
        W: tf.variable(tf.tensor2d(w.W, undefined, 'float32')),
        b: tf.variable(tf.tensor1d(w.b, 'float32')),
      });
    }
    const variables = layers.flatMap((l) => [l.W, l.b]);
    // tfjs momentum: v = μ v + g; w -= lr v — the same trajectory as v = μ v + lr g; w -= v.
    const optimizer = tf.train.momentum(LEARNING_RATE, MOMENTUM);
    let next = 0;

    function batchLoss(x: TF.Tensor2D, y: TF.Tensor2D): TF.Scalar {
      let a: TF.Tensor2D = x;
      layers.forEach((l, i) => {
        const z = tf.add(tf.matMul(a, l.W), l.b) as TF.Tensor2D;
        a = i + 1 < layers.length ? tf.relu(z) : z;
      });
      // Softmax and cross-entropy fused on the logits, as in our engine.
      return tf.losses.softmaxCrossEntropy(y, a) as TF.Scalar;
    }

    return {
      activate: () => useBackend(tf, backend),
      step() {
        const k = next;
        next = (next + 1) % batches;
        const cost = optimizer.minimize(() => batchLoss(xs[k], ys[k]), true, variables);
        if (!cost) throw new Error('tfjs returned no loss.');
        const loss = cost.dataSync()[0];
        cost.dispose();
        return { loss, counted: true };
      },
      dispose() {
        optimizer.dispose();
        tf.dispose([...xs, ...ys, ...variables]);
      },
    };
  };
}
