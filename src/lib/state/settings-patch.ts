/** Settings changes that replace rather than merge: a template's, a saved page's, a file's. */
import type { SettingsPatch, TrainingSettings } from '../engine/settings';

/**
 * A patch that replaces every setting: optimizer parameters `settings` lacks are named as
 * undefined, so resolveSettings drops the current ones instead of keeping them.
 */
export function replacingPatch(settings: TrainingSettings): SettingsPatch {
  const { momentum, rho, beta1, beta2, epsilon } = settings.optimizer;
  return {
    ...settings,
    optimizer: { ...settings.optimizer, momentum, rho, beta1, beta2, epsilon },
  };
}
