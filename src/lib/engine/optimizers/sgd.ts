/** Plain stochastic gradient descent:  w -= lr g */
import { Optimizer, type OptimizerHyperparameters } from './optimizer';

export class Sgd extends Optimizer {
  readonly name = 'sgd';

  protected update(params: Float64Array[], grads: Float64Array[], h: OptimizerHyperparameters) {
    const lr = h.learningRate;
    for (let k = 0; k < params.length; k++) {
      const w = params[k],
        g = grads[k];
      for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
    }
  }
}
