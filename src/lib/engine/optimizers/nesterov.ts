/**
 * Nesterov momentum (μ, default 0.9), in the form that needs only the gradient at w:
 *   v_new = μ v + lr g;  w -= μ v_new + lr g
 */
import type { Optimizer, OptimizerHyperparameters } from './optimizer';
import { checkSameShapes, stateSlots } from './optimizer';

export function createNesterov(hyperparameters: OptimizerHyperparameters): Optimizer {
  let h = hyperparameters;
  let velocity: Float64Array[] = [];
  return {
    name: 'nesterov',
    get hyperparameters() {
      return h;
    },
    step(params, grads) {
      checkSameShapes(params, grads);
      velocity = stateSlots(velocity, params);
      const lr = h.learningRate,
        mu = h.momentum;
      for (let k = 0; k < params.length; k++) {
        const w = params[k],
          g = grads[k],
          v = velocity[k];
        for (let i = 0; i < w.length; i++) {
          const step = lr * g[i];
          v[i] = mu * v[i] + step;
          w[i] -= mu * v[i] + step;
        }
      }
    },
    reset() {
      velocity = [];
    },
    configure(next) {
      h = next;
    },
  };
}
