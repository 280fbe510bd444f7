/** Momentum (μ, default 0.9):  v = μ v + lr g;  w -= v */
import type { Optimizer, OptimizerHyperparameters } from './optimizer';
import { checkSameShapes, stateSlots } from './optimizer';

export function createMomentum(hyperparameters: OptimizerHyperparameters): Optimizer {
  let h = hyperparameters;
  let velocity: Float64Array[] = [];
  return {
    name: 'momentum',
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
          v[i] = mu * v[i] + lr * g[i];
          w[i] -= v[i];
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
