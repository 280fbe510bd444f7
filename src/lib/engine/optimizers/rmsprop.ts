/** RMSprop (ρ 0.9, eps 1e-8):  s = ρ s + (1 - ρ) g²;  w -= lr g / (sqrt(s) + eps) */
import type { Optimizer, OptimizerHyperparameters } from './optimizer';
import { checkSameShapes, stateSlots } from './optimizer';

export function createRmsprop(hyperparameters: OptimizerHyperparameters): Optimizer {
  let h = hyperparameters;
  let meanSquares: Float64Array[] = [];
  return {
    name: 'rmsprop',
    get hyperparameters() {
      return h;
    },
    step(params, grads) {
      checkSameShapes(params, grads);
      meanSquares = stateSlots(meanSquares, params);
      const lr = h.learningRate,
        rho = h.rho,
        eps = h.epsilon;
      for (let k = 0; k < params.length; k++) {
        const w = params[k],
          g = grads[k],
          s = meanSquares[k];
        for (let i = 0; i < w.length; i++) {
          s[i] = rho * s[i] + (1 - rho) * g[i] * g[i];
          w[i] -= (lr * g[i]) / (Math.sqrt(s[i]) + eps);
        }
      }
    },
    reset() {
      meanSquares = [];
    },
    configure(next) {
      h = next;
    },
  };
}
