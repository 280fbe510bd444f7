/** Adagrad (eps 1e-8):  G += g²;  w -= lr g / (sqrt(G) + eps) */
import type { Optimizer, OptimizerHyperparameters } from './optimizer';
import { checkSameShapes, stateSlots } from './optimizer';

export function createAdagrad(hyperparameters: OptimizerHyperparameters): Optimizer {
  let h = hyperparameters;
  let sumSquares: Float64Array[] = [];
  return {
    name: 'adagrad',
    get hyperparameters() {
      return h;
    },
    step(params, grads) {
      checkSameShapes(params, grads);
      sumSquares = stateSlots(sumSquares, params);
      const lr = h.learningRate,
        eps = h.epsilon;
      for (let k = 0; k < params.length; k++) {
        const w = params[k],
          g = grads[k],
          G = sumSquares[k];
        for (let i = 0; i < w.length; i++) {
          G[i] += g[i] * g[i];
          w[i] -= (lr * g[i]) / (Math.sqrt(G[i]) + eps);
        }
      }
    },
    reset() {
      sumSquares = [];
    },
    configure(next) {
      h = next;
    },
  };
}
