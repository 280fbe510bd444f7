/**
 * A forward pass written from DESIGN.md §4 alone, on plain arrays, for checking model files
 * independently of the engine: standardize with data.standardize, then apply spec.layers in order.
 */
import type { ModelFile } from '../../../src/lib/model-file/index';

type Row = number[];

const ACTIVATIONS: Record<string, (z: Row, alpha?: number) => Row> = {
  identity: (z) => z,
  sigmoid: (z) => z.map((v) => 1 / (1 + Math.exp(-v))),
  tanh: (z) => z.map(Math.tanh),
  relu: (z) => z.map((v) => (v > 0 ? v : 0)),
  leaky_relu: (z, a = 0.01) => z.map((v) => (v > 0 ? v : a * v)),
  elu: (z, a = 1) => z.map((v) => (v > 0 ? v : a * (Math.exp(v) - 1))),
  softmax: (z) => {
    const max = Math.max(...z);
    const e = z.map((v) => Math.exp(v - max));
    const sum = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / sum);
  },
};

/** The network's output for one row of raw features. */
export function referenceForward(model: ModelFile, features: Row): Row {
  const spec = model.spec!;
  const s = model.data?.standardize;
  let a = s ? features.map((x, j) => (x - s.mean[j]) / s.std[j]) : features;
  for (const layer of spec.layers) {
    if (layer.type === 'dense') {
      const { W, b } = model.weights![layer.id];
      a = b.map((bias, k) => a.reduce((sum, x, i) => sum + x * W[i][k], bias));
    } else if (layer.type === 'activation') a = ACTIVATIONS[layer.fn](a, layer.alpha);
  }
  return a;
}

/** Mean cross-entropy, binary cross-entropy or squared error over rows, as DESIGN.md §2 defines. */
export function referenceLoss(loss: string, outputs: Row[], targets: Row[]): number {
  let total = 0;
  outputs.forEach((p, i) => {
    const t = targets[i];
    if (loss === 'cross_entropy') total -= p.reduce((s, pk, k) => s + t[k] * Math.log(pk), 0);
    else if (loss === 'binary_cross_entropy')
      total -= t[0] * Math.log(p[0]) + (1 - t[0]) * Math.log(1 - p[0]);
    else total += p.reduce((s, pk, k) => s + (pk - t[k]) ** 2, 0) / p.length;
  });
  return total / outputs.length;
}
