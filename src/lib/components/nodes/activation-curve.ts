/**
 * Samples of an activation over [-3, 3] for the node's small plot, computed by the engine's own
 * activation (no second copy of the maths). Softmax is row-wise, so it is drawn as its two-class
 * form: the first output of softmax([x, 0]), which is σ(x).
 */
import { createActivation } from '../../engine/activations';
import { zeros } from '../../engine/matrix';
import type { ActivationName } from '../../engine/spec';

export const PLOT_X_RANGE = [-3, 3] as const;

export function sampleActivation(
  name: ActivationName,
  alpha: number | undefined,
  count = 49,
): { x: number; y: number }[] {
  const [lo, hi] = PLOT_X_RANGE;
  const xs = Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / (count - 1));
  const columns = name === 'softmax' ? 2 : 1;
  const Z = zeros(count, columns);
  xs.forEach((x, i) => (Z.data[i * columns] = x));
  const A = zeros(count, columns);
  createActivation(name, alpha).forward(Z, A);
  return xs.map((x, i) => ({ x, y: A.data[i * columns] }));
}
