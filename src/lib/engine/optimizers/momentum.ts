/** Momentum (μ, default 0.9):  v = μ v + lr g;  w -= v */
import { Optimizer, type OptimizerHyperparameters } from './optimizer';
import { commonArena } from '../kernels/wasm-arena';

export class Momentum extends Optimizer {
  readonly name = 'momentum';

  protected update(params: Float64Array[], grads: Float64Array[], h: OptimizerHyperparameters) {
    const velocity = this.slot('velocity', params);
    const lr = h.learningRate,
      mu = h.momentum;
    for (let k = 0; k < params.length; k++) {
      const w = params[k],
        g = grads[k],
        v = velocity[k];
      // In a WebAssembly arena: the same loop as f64x2 SIMD (wasm-vector-ops.ts), same bits.
      const arena = commonArena(w, g, v);
      if (arena) {
        arena.kernels.momentum(w.byteOffset, g.byteOffset, v.byteOffset, w.length, lr, mu);
        continue;
      }
      for (let i = 0; i < w.length; i++) {
        // Each entry read once and written once (locals, not re-reads): this loop is memory-bound.
        const vi = mu * v[i] + lr * g[i];
        v[i] = vi;
        w[i] -= vi;
      }
    }
  }
}
