/**
 * The dropout layer (DESIGN.md §2), rate r with 0 <= r < 1:
 *   training    y = x ⊙ m / (1 - r),  m_ij ~ Bernoulli(1 - r) from the trainer's seeded generator
 *   backward    dC/dx = dC/dy ⊙ m / (1 - r)
 *   evaluation  y = x (prediction, metrics, gradient checks, exports), and dC/dx = dC/dy
 * The layer's memory holds m / (1 - r) per entry for backward: 1 everywhere in evaluation.
 */
import type { Layer } from './layer';
import { zeros } from './matrix';
import type { DropoutSpec } from './spec';

export function createDropoutLayer(spec: DropoutSpec): Layer {
  const { rate } = spec;
  const keptScale = 1 / (1 - rate);
  return {
    id: spec.id,
    outputSize: spec.size,
    params: null,
    grads: null,
    createMemory: (batchSize) => zeros(batchSize, spec.size),
    forward({ input, output, memory }, mode) {
      const x = input.data,
        y = output.data,
        scale = memory!.data;
      // Rate 0 draws nothing, so it leaves the generator (and so shuffles) as without dropout.
      if (!mode.training || rate === 0) {
        scale.fill(1);
        y.set(x);
        return;
      }
      for (let i = 0; i < x.length; i++) {
        // Kept with probability 1 - r.
        scale[i] = mode.rng.next() >= rate ? keptScale : 0;
        y[i] = x[i] * scale[i];
      }
    },
    backward({ memory }, dOutput, [dInput]) {
      if (!dInput) return;
      const dy = dOutput.data,
        dx = dInput.data,
        scale = memory!.data;
      for (let i = 0; i < dy.length; i++) dx[i] = dy[i] * scale[i];
    },
  };
}
