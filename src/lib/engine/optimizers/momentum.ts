/** Momentum (μ, default 0.9):  v = μ v + lr g;  w -= v */
import { Optimizer, type OptimizerHyperparameters } from './optimizer';

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
      for (let i = 0; i < w.length; i++) {
        // Each entry read once and written once (locals, not re-reads): this loop is memory-bound.
        const vi = mu * v[i] + lr * g[i];
        v[i] = vi;
        w[i] -= vi;
      }
    }
  }
}
