/**
 * Nesterov momentum (μ, default 0.9), in the form that needs only the gradient at w:
 *   v_new = μ v + lr g;  w -= μ v_new + lr g
 */
import { Optimizer, type OptimizerHyperparameters } from './optimizer';

export class Nesterov extends Optimizer {
  readonly name = 'nesterov';

  protected update(params: Float64Array[], grads: Float64Array[], h: OptimizerHyperparameters) {
    const velocity = this.slot('velocity', params);
    const lr = h.learningRate,
      mu = h.momentum;
    for (let k = 0; k < params.length; k++) {
      const w = params[k],
        g = grads[k],
        v = velocity[k];
      for (let i = 0; i < w.length; i++) {
        const step = lr * g[i];
        const vi = mu * v[i] + step;
        v[i] = vi;
        w[i] -= mu * vi + step;
      }
    }
  }
}
