/**
 * Adam (β1 0.9, β2 0.999, eps 1e-8, t counts steps from 1):
 *   m = β1 m + (1 - β1) g;  s = β2 s + (1 - β2) g²
 *   m̂ = m / (1 - β1^t);  ŝ = s / (1 - β2^t);  w -= lr m̂ / (sqrt(ŝ) + eps)
 */
import { Optimizer, type OptimizerHyperparameters } from './optimizer';
import { commonArena } from '../kernels/wasm-arena';

export class Adam extends Optimizer {
  readonly name = 'adam';

  protected update(
    params: Float64Array[],
    grads: Float64Array[],
    h: OptimizerHyperparameters,
    t: number,
  ) {
    const firstMoment = this.slot('firstMoment', params);
    const secondMoment = this.slot('secondMoment', params);
    const lr = h.learningRate,
      b1 = h.beta1,
      b2 = h.beta2,
      eps = h.epsilon;
    const correction1 = 1 - Math.pow(b1, t),
      correction2 = 1 - Math.pow(b2, t);
    for (let k = 0; k < params.length; k++) {
      const w = params[k],
        g = grads[k],
        m = firstMoment[k],
        s = secondMoment[k];
      // In a WebAssembly arena: pairs as f64x2 SIMD (wasm-vector-ops.ts), same bits; the loop
      // below does what is left (an odd last entry, or all of them).
      const arena = commonArena(w, g, m, s);
      const pairs = arena ? w.length >> 1 : 0;
      if (arena)
        arena.kernels.adam(
          w.byteOffset,
          g.byteOffset,
          m.byteOffset,
          s.byteOffset,
          pairs,
          lr,
          b1,
          1 - b1,
          b2,
          1 - b2,
          eps,
          correction1,
          correction2,
        );
      for (let i = 2 * pairs; i < w.length; i++) {
        const gi = g[i];
        const mi = b1 * m[i] + (1 - b1) * gi,
          si = b2 * s[i] + (1 - b2) * gi * gi;
        m[i] = mi;
        s[i] = si;
        const mHat = mi / correction1,
          sHat = si / correction2;
        w[i] -= (lr * mHat) / (Math.sqrt(sHat) + eps);
      }
    }
  }
}
