/**
 * Weight penalties (DESIGN.md §2), on weights only — never on biases:
 *   l2  (λ/2) Σ W²   gradient λ W
 *   l1  λ Σ |W|      gradient λ sign(W)   (sign(0) = 0)
 */
import type { DenseGrads, DenseParams } from './types';

export interface Regularization {
  l1: number;
  l2: number;
}

export const NO_REGULARIZATION: Regularization = { l1: 0, l2: 0 };

/** The penalty added to the loss. */
export function penalty(params: readonly DenseParams[], reg: Regularization): number {
  if (reg.l1 === 0 && reg.l2 === 0) return 0;
  let sumSquares = 0,
    sumAbs = 0;
  for (const p of params) {
    const w = p.W.data;
    for (let i = 0; i < w.length; i++) {
      sumSquares += w[i] * w[i];
      sumAbs += Math.abs(w[i]);
    }
  }
  return 0.5 * reg.l2 * sumSquares + reg.l1 * sumAbs;
}

/** grads.dW += λ2 W + λ1 sign(W), layer by layer (params and grads in the same order). */
export function addPenaltyGradient(
  params: readonly DenseParams[],
  grads: readonly DenseGrads[],
  reg: Regularization,
): void {
  if (reg.l1 === 0 && reg.l2 === 0) return;
  const { l1, l2 } = reg;
  for (let k = 0; k < params.length; k++) {
    const w = params[k].W.data,
      dw = grads[k].dW.data;
    for (let i = 0; i < w.length; i++) dw[i] += l2 * w[i] + l1 * Math.sign(w[i]);
  }
}
