/**
 * Optimizers, sorted by increasing complexity: sgd, momentum, nesterov, adagrad, rmsprop, adam.
 * `createOptimizer` fills defaults from settings.ts and picks the right one.
 */
import { OPTIMIZER_NAMES, withOptimizerDefaults, type OptimizerSettings } from '../settings';
import { createAdagrad } from './adagrad';
import { createAdam } from './adam';
import { createMomentum } from './momentum';
import { createNesterov } from './nesterov';
import type { Optimizer, OptimizerHyperparameters } from './optimizer';
import { createRmsprop } from './rmsprop';
import { createSgd } from './sgd';

export type { Optimizer, OptimizerHyperparameters } from './optimizer';
export { createSgd, createMomentum, createNesterov, createAdagrad, createRmsprop, createAdam };

/** Every default filled in, and a clear error for a value no optimizer can use. */
export function resolveOptimizerSettings(settings: OptimizerSettings): OptimizerHyperparameters {
  if (!OPTIMIZER_NAMES.includes(settings.name))
    throw new Error(
      `Unknown optimizer "${String(settings.name)}". Choose one of: ${OPTIMIZER_NAMES.join(', ')}.`,
    );
  const h = withOptimizerDefaults(settings);
  if (!(Number.isFinite(h.learningRate) && h.learningRate > 0))
    throw new Error('The learning rate must be a number above 0.');
  for (const key of ['momentum', 'rho', 'beta1', 'beta2'] as const)
    if (!(Number.isFinite(h[key]) && h[key] >= 0 && h[key] < 1))
      throw new Error(`The optimizer's ${key} must be at least 0 and below 1.`);
  if (!(Number.isFinite(h.epsilon) && h.epsilon > 0))
    throw new Error("The optimizer's epsilon must be a number above 0.");
  return h;
}

export function createOptimizer(settings: OptimizerSettings): Optimizer {
  const h = resolveOptimizerSettings(settings);
  switch (h.name) {
    case 'sgd':
      return createSgd(h);
    case 'momentum':
      return createMomentum(h);
    case 'nesterov':
      return createNesterov(h);
    case 'adagrad':
      return createAdagrad(h);
    case 'rmsprop':
      return createRmsprop(h);
    case 'adam':
      return createAdam(h);
  }
}
