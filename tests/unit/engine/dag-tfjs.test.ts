/**
 * Backprop through branching networks against an independent autodiff: TensorFlow.js (cpu
 * backend) differentiates the same loss of random DAGs — branches, Add, Concat, fan-out, dropout
 * in evaluation, every activation and head. TensorFlow.js computes in float32, so agreement is
 * bounded by float32 rounding (about 1e-7 per operation), far above our float64 engine's; the
 * float64 bar (1e-7) is held against finite differences in dag.test.ts.
 */
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { toRows, type Matrix } from '../../../src/lib/engine/matrix';
import { createNetwork, lossAndGradients, type Network } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import { HIDDEN_ACTIVATIONS, randomDagSpec, scaleWeights } from './dag-helpers';
import { HEADS, outputsFor, randomMatrix, targetsFor } from './helpers';

type Tf = typeof import('@tensorflow/tfjs');
type Tensor = import('@tensorflow/tfjs').Tensor;
type Tensor2D = import('@tensorflow/tfjs').Tensor2D;
const tf: Tf = createRequire(import.meta.url)('@tensorflow/tfjs');

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

/** The spec's loss as a function of [W_0, b_0, W_1, b_1, ...], written with TensorFlow.js ops. */
function tfLoss(spec: LayerSpec, X: Matrix, T: Matrix, params: Tensor[]): Tensor {
  const out = new Map<string, Tensor>([[spec.input.id, tf.tensor2d(toRows(X))]]);
  let p = 0;
  for (const layer of spec.layers) {
    const inputs = layer.inputs.map((id) => out.get(id)!);
    const [a] = inputs;
    let y: Tensor;
    switch (layer.type) {
      case 'dense':
        y = tf.matMul(a as Tensor2D, params[p++] as Tensor2D).add(params[p++]);
        break;
      case 'dropout':
        y = a;
        break;
      case 'add':
        y = tf.addN(inputs);
        break;
      case 'concat':
        y = tf.concat(inputs as Tensor2D[], 1);
        break;
      case 'activation': {
        const fns = {
          identity: (t: Tensor) => t,
          sigmoid: tf.sigmoid,
          tanh: tf.tanh,
          relu: tf.relu,
          leaky_relu: (t: Tensor) => tf.leakyRelu(t, layer.alpha ?? 0.01),
          elu: tf.elu,
          softmax: tf.softmax,
        };
        y = fns[layer.fn](a);
      }
    }
    out.set(layer.id, y);
  }
  const P = out.get(spec.loss.inputs[0])!;
  const target = tf.tensor2d(toRows(T));
  const B = X.rows;
  if (spec.loss.type === 'mse') return tf.mean(tf.square(P.sub(target)));
  if (spec.loss.type === 'cross_entropy') return tf.neg(tf.sum(target.mul(tf.log(P)))).div(B);
  const one = tf.scalar(1);
  return tf.neg(tf.sum(target.mul(tf.log(P)).add(one.sub(target).mul(tf.log(one.sub(P)))))).div(B);
}

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

/**
 * ‖a - b‖ / max(‖a‖, ‖b‖) over all parameters together. Per layer, a tiny gradient far from the
 * output is float32 cancellation noise in TensorFlow.js; together the largest seen is ~6e-7.
 */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const scale = Math.max(norm(a), norm(b));
  const diff = Array.from(a, (v, i) => v - b[i]);
  return scale === 0 ? 0 : norm(diff) / scale;
}

function compare(net: Network, X: Matrix, T: Matrix): { loss: number; worst: number } {
  const ours = lossAndGradients(net, X, T);
  const gradients = net.gradientArrays.map((g) => g.slice());
  const initial = net.params.flatMap((p) => [
    tf.tensor2d(toRows(p.W)),
    tf.tensor1d(Array.from(p.b)),
  ]);
  const theirs = tf.tidy(() => {
    const value = tfLoss(net.spec, X, T, initial).dataSync()[0];
    const grads = tf.grads((...params: Tensor[]) => tfLoss(net.spec, X, T, params))(initial);
    return { value, grads: grads.map((g) => g.dataSync()) };
  });
  initial.forEach((t) => t.dispose());
  const all = (arrays: ArrayLike<number>[]) => arrays.flatMap((a) => Array.from(a));
  return {
    loss: Math.abs(ours.loss - theirs.value) / Math.max(1, Math.abs(theirs.value)),
    worst: relativeError(all(gradients), all(theirs.grads)),
  };
}

describe('DAG gradients agree with TensorFlow.js autodiff', () => {
  for (const head of HEADS)
    for (const activation of HIDDEN_ACTIVATIONS)
      it(`${activation} hidden, ${head}`, () => {
        for (const seed of [1, 2, 3]) {
          const outputs = outputsFor(head);
          const spec = randomDagSpec({ seed, inputs: 3, outputs, steps: 6, head, activation });
          const rng = createRng(100 + seed);
          const net = createNetwork(spec, rng);
          scaleWeights(net.params, rng, 0.7);
          const batch = 1 + rng.int(7);
          const { loss, worst } = compare(
            net,
            randomMatrix(batch, 3, rng),
            targetsFor(head, batch, outputs, rng),
          );
          expect(loss).toBeLessThan(1e-5);
          expect(worst, `seed ${seed}: ${spec.layers.map((l) => l.id).join(' ')}`).toBeLessThan(
            1e-4,
          );
        }
      });
});
