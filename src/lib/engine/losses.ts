/**
 * Loss functions (DESIGN.md §2) over a batch: prediction P and target T, both B x K.
 * Each loss has its value, its gradient dC/dP and, where a loss is meant to follow a particular
 * activation, the fused gradient w.r.t. that activation's input — simpler and exact.
 */
import type { Matrix } from './matrix';
import type { ActivationName, LossName } from './spec';

/**
 * Probabilities are clamped to at least this before a log, so a prediction that underflowed to 0
 * costs a large finite amount (about 690) instead of Infinity. Only underflow is clamped: every
 * representable probability above it keeps its exact log, so values and finite-difference
 * gradient checks stay exact even for very confident predictions.
 */
export const LOG_EPSILON = 1e-300;

export interface Loss {
  readonly name: LossName;
  /** C(P, T), a mean over the batch. */
  value(P: Matrix, T: Matrix): number;
  /** dP = dC/dP. */
  gradient(P: Matrix, T: Matrix, dP: Matrix): void;
  /** The activation this loss fuses with when it comes right after it, else null. */
  readonly fusedActivation: ActivationName | null;
  /**
   * C computed from the input Z of `fusedActivation` (the logits) rather than from P: the same
   * number, but exact even where P rounds to 0 or 1.
   */
  fusedValue(Z: Matrix, T: Matrix): number;
  /** dZ = dC/dZ w.r.t. the input Z of `fusedActivation`, given its output P. */
  fusedGradient(P: Matrix, T: Matrix, dZ: Matrix): void;
}

function safeLog(p: number): number {
  return Math.log(p > LOG_EPSILON ? p : LOG_EPSILON);
}

/** dZ = (P - T) / B: the fused gradient of softmax + cross_entropy and of sigmoid + binary_cross_entropy. */
function predictionMinusTargetOverBatch(P: Matrix, T: Matrix, dZ: Matrix): void {
  const p = P.data,
    t = T.data,
    dz = dZ.data,
    n = P.rows * P.cols,
    inv = 1 / P.rows;
  for (let i = 0; i < n; i++) dz[i] = (p[i] - t[i]) * inv;
}

/** C = (1/(BK)) Σ (P - T)²;  dC/dP = 2 (P - T) / (BK) */
export const mse: Loss = {
  name: 'mse',
  value(P, T) {
    const p = P.data,
      t = T.data,
      n = P.rows * P.cols;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const d = p[i] - t[i];
      sum += d * d;
    }
    return sum / n;
  },
  gradient(P, T, dP) {
    const p = P.data,
      t = T.data,
      dp = dP.data,
      n = P.rows * P.cols,
      scale = 2 / n;
    for (let i = 0; i < n; i++) dp[i] = scale * (p[i] - t[i]);
  },
  fusedActivation: null,
  fusedValue() {
    throw new Error('mse has no fused value: apply it to the prediction.');
  },
  fusedGradient() {
    throw new Error('mse has no fused gradient: backpropagate through the activation instead.');
  },
};

/**
 * C = -(1/B) Σ_i Σ_k T_ik log P_ik;  dC/dP = -T / (B P).
 * After a softmax the gradient w.r.t. the softmax input is (P - T) / B.
 */
export const crossEntropy: Loss = {
  name: 'cross_entropy',
  value(P, T) {
    const p = P.data,
      t = T.data,
      n = P.rows * P.cols;
    let sum = 0;
    // Terms with T = 0 contribute nothing; skipping them also avoids 0 · log 0.
    for (let i = 0; i < n; i++) if (t[i] !== 0) sum -= t[i] * safeLog(p[i]);
    return sum / P.rows;
  },
  gradient(P, T, dP) {
    const p = P.data,
      t = T.data,
      dp = dP.data,
      n = P.rows * P.cols,
      inv = 1 / P.rows;
    for (let i = 0; i < n; i++)
      dp[i] = t[i] === 0 ? 0 : (-t[i] * inv) / (p[i] > LOG_EPSILON ? p[i] : LOG_EPSILON);
  },
  fusedActivation: 'softmax',
  /**
   * With log P_ik = Z_ik - logsumexp(Z_i):  C = (1/B) Σ_i [ (Σ_k T_ik) logsumexp(Z_i) - Σ_k T_ik Z_ik ],
   * logsumexp(z) = m + log Σ_k e^(z_k - m), m the row max.
   */
  fusedValue(Z, T) {
    const z = Z.data,
      t = T.data,
      rows = Z.rows,
      cols = Z.cols;
    let sum = 0;
    for (let i = 0; i < rows; i++) {
      const start = i * cols,
        end = start + cols;
      let max = -Infinity;
      for (let k = start; k < end; k++) if (z[k] > max) max = z[k];
      let expSum = 0,
        targetSum = 0,
        targetDotZ = 0;
      for (let k = start; k < end; k++) {
        expSum += Math.exp(z[k] - max);
        targetSum += t[k];
        targetDotZ += t[k] * z[k];
      }
      sum += targetSum * (max + Math.log(expSum)) - targetDotZ;
    }
    return sum / rows;
  },
  fusedGradient: predictionMinusTargetOverBatch,
};

/**
 * C = -(1/B) Σ_i [t log p + (1 - t) log(1 - p)] (summed over columns when there are several);
 * dC/dp = (p - t) / (B p (1 - p)). After a sigmoid the gradient w.r.t. its input is (p - t) / B.
 */
export const binaryCrossEntropy: Loss = {
  name: 'binary_cross_entropy',
  value(P, T) {
    const p = P.data,
      t = T.data,
      n = P.rows * P.cols;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (t[i] !== 0) sum -= t[i] * safeLog(p[i]);
      if (t[i] !== 1) sum -= (1 - t[i]) * safeLog(1 - p[i]);
    }
    return sum / P.rows;
  },
  gradient(P, T, dP) {
    const p = P.data,
      t = T.data,
      dp = dP.data,
      n = P.rows * P.cols,
      inv = 1 / P.rows;
    for (let i = 0; i < n; i++) {
      const variance = p[i] * (1 - p[i]);
      dp[i] = ((p[i] - t[i]) * inv) / (variance > LOG_EPSILON ? variance : LOG_EPSILON);
    }
  },
  fusedActivation: 'sigmoid',
  /**
   * With log σ(z) = -softplus(-z) and log(1 - σ(z)) = -softplus(z):
   * each term is max(z, 0) - t z + log(1 + e^-|z|), stable for any z.
   */
  fusedValue(Z, T) {
    const z = Z.data,
      t = T.data,
      n = Z.rows * Z.cols;
    let sum = 0;
    for (let i = 0; i < n; i++)
      sum += Math.max(z[i], 0) - t[i] * z[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
    return sum / Z.rows;
  },
  fusedGradient: predictionMinusTargetOverBatch,
};

export function createLoss(name: LossName): Loss {
  switch (name) {
    case 'mse':
      return mse;
    case 'cross_entropy':
      return crossEntropy;
    case 'binary_cross_entropy':
      return binaryCrossEntropy;
    default:
      throw new Error(`Unknown loss "${String(name)}".`);
  }
}
