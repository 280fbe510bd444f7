/**
 * Optimizers, sorted by increasing complexity: sgd, momentum, nesterov, adagrad, rmsprop, adam.
 * `createOptimizer` picks the right one for settings already checked by settings.ts
 * (checkedSettings / resolveSettings) and fills the defaults.
 */
import { withOptimizerDefaults, type OptimizerSettings } from '../settings';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { Momentum } from './momentum';
import { Nesterov } from './nesterov';
import { Optimizer } from './optimizer';
import { Rmsprop } from './rmsprop';
import { Sgd } from './sgd';

export {
  Optimizer,
  isOptimizerState,
  type OptimizerHyperparameters,
  type OptimizerSlotState,
  type OptimizerState,
} from './optimizer';
export { Sgd, Momentum, Nesterov, Adagrad, Rmsprop, Adam };

/** A fresh optimizer (zero state) for checked settings, its unset parameters at their defaults. */
export function createOptimizer(settings: OptimizerSettings): Optimizer {
  const h = withOptimizerDefaults(settings);
  switch (h.name) {
    case 'sgd':
      return new Sgd(h);
    case 'momentum':
      return new Momentum(h);
    case 'nesterov':
      return new Nesterov(h);
    case 'adagrad':
      return new Adagrad(h);
    case 'rmsprop':
      return new Rmsprop(h);
    case 'adam':
      return new Adam(h);
  }
}
