/** Adagrad (eps 1e-8):  G += g²;  w -= lr g / (sqrt(G) + eps) */
import { Optimizer, type OptimizerHyperparameters } from './optimizer';

export class Adagrad extends Optimizer {
  readonly name = 'adagrad';

  protected update(params: Float64Array[], grads: Float64Array[], h: OptimizerHyperparameters) {
    const sumSquares = this.slot('sumSquares', params);
    const lr = h.learningRate,
      eps = h.epsilon;
    for (let k = 0; k < params.length; k++) {
      const w = params[k],
        g = grads[k],
        G = sumSquares[k];
      for (let i = 0; i < w.length; i++) {
        const gi = g[i];
        const Gi = G[i] + gi * gi;
        G[i] = Gi;
        w[i] -= (lr * gi) / (Math.sqrt(Gi) + eps);
      }
    }
  }
}
