/** RMSprop (ρ 0.9, eps 1e-8):  s = ρ s + (1 - ρ) g²;  w -= lr g / (sqrt(s) + eps) */
import { Optimizer, type OptimizerHyperparameters } from './optimizer';

export class Rmsprop extends Optimizer {
  readonly name = 'rmsprop';

  protected update(params: Float64Array[], grads: Float64Array[], h: OptimizerHyperparameters) {
    const meanSquares = this.slot('meanSquares', params);
    const lr = h.learningRate,
      rho = h.rho,
      eps = h.epsilon;
    for (let k = 0; k < params.length; k++) {
      const w = params[k],
        g = grads[k],
        s = meanSquares[k];
      for (let i = 0; i < w.length; i++) {
        const gi = g[i];
        const si = rho * s[i] + (1 - rho) * gi * gi;
        s[i] = si;
        w[i] -= (lr * gi) / (Math.sqrt(si) + eps);
      }
    }
  }
}
