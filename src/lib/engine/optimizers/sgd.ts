/** Plain stochastic gradient descent:  w -= lr g */
import type { Optimizer, OptimizerHyperparameters } from './optimizer';
import { checkSameShapes } from './optimizer';

export function createSgd(hyperparameters: OptimizerHyperparameters): Optimizer {
  let h = hyperparameters;
  return {
    name: 'sgd',
    get hyperparameters() {
      return h;
    },
    step(params, grads) {
      checkSameShapes(params, grads);
      const lr = h.learningRate;
      for (let k = 0; k < params.length; k++) {
        const w = params[k],
          g = grads[k];
        for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
      }
    },
    reset() {},
    configure(next) {
      h = next;
    },
  };
}
