/**
 * "Common mistakes": deliberately wrong variants of the maths, a teaching switch for the backprop
 * inspector (off by default, never used by normal training). A network built with one of them
 * (createNetwork(spec, rng, { mistake })) runs the wrong variant; the gradient check then fails
 * and firstDivergingTerm (backprop-compare.ts) shows where the numbers part from the correct ones.
 *
 *   softmax-wrong-axis   P_ik = e^(Z_ik) / Σ_j e^(Z_jk): normalised down the batch (columns)
 *                        instead of across the classes (rows); backward left as it was
 *   sum-instead-of-mean  the loss is still the batch mean, but its gradient drops the 1/B:
 *                        (P - T) instead of (P - T)/B, 2(P - T)/K instead of 2(P - T)/(BK)
 *   derivative-at-a      an activation's backward evaluates f' at A = f(Z) instead of at Z:
 *                        δ = dC/dA ⊙ f'(A). (relu, leaky_relu and identity are immune: the sign
 *                        of A is the sign of Z.)
 * The fourth mistake of the exercise set, fitting the scaler before the split, belongs to data
 * preparation: PrepareOptions.fitScalerOnAllRows (data/prepare.ts).
 */
import { softmax, type Activation } from './activations';
import type { ActivationLayer, Layer } from './layer';
import { zeros, type Matrix } from './matrix';
import type { Loss } from './losses';

export const MISTAKE_IDS = [
  'softmax-wrong-axis',
  'sum-instead-of-mean',
  'derivative-at-a',
] as const;
export type Mistake = (typeof MISTAKE_IDS)[number];

export interface MistakeInfo {
  id: Mistake;
  /** Short label for the switch. */
  label: string;
  /** One or two sentences: what the wrong code does and what to look for. */
  description: string;
}

export const MISTAKES: readonly MistakeInfo[] = [
  {
    id: 'softmax-wrong-axis',
    label: 'Softmax along the wrong axis',
    description:
      'Softmax divides by the sum of each column (over the batch) instead of each row (over the classes), so a row of P no longer sums to 1. The forward pass already differs at P.',
  },
  {
    id: 'sum-instead-of-mean',
    label: 'Sum instead of mean over the batch',
    description:
      'The loss is the batch mean but its gradient forgets the 1/B: every gradient is B times too large. The first term to differ is the loss gradient itself, (P − T)/B becoming P − T; from there δ, dC/dW and dC/db of every layer follow. (With a batch of one row nothing changes.)',
  },
  {
    id: 'derivative-at-a',
    label: "f' evaluated at A instead of Z",
    description:
      "The activation's backward uses f'(A) = f'(f(Z)) instead of f'(Z). Sigmoid, tanh, elu and softmax change; relu and leaky_relu do not (A and Z have the same sign).",
  },
];

/**
 * The fourth mistake lives in data preparation (PrepareOptions.fitScalerOnAllRows), not in the
 * network: the gradients stay right, so the gradient check passes.
 */
export const SCALER_BEFORE_SPLIT = {
  id: 'scaler-before-split',
  label: 'Scaler fitted before the split',
  description:
    'Mean and std are measured on all rows, test rows included, before splitting: the test rows leak into training. The gradients are still right (Check gradients passes); the test score is what it flatters.',
} as const;

export function isMistake(value: unknown): value is Mistake {
  return typeof value === 'string' && (MISTAKE_IDS as readonly string[]).includes(value);
}

/**
 * Softmax down the columns: A_ik = e^(Z_ik - m_k) / Σ_j e^(Z_jk - m_k), m_k the column max.
 * Backward stays the (row-wise) softmax backward: the student changed only the axis of the sum.
 */
export const columnSoftmax: Activation = {
  name: 'softmax',
  forward(Z, A) {
    const z = Z.data,
      a = A.data,
      rows = Z.rows,
      cols = Z.cols;
    for (let k = 0; k < cols; k++) {
      let max = -Infinity;
      for (let i = 0; i < rows; i++) max = Math.max(max, z[i * cols + k]);
      let sum = 0;
      for (let i = 0; i < rows; i++) {
        const e = Math.exp(z[i * cols + k] - max);
        a[i * cols + k] = e;
        sum += e;
      }
      for (let i = 0; i < rows; i++) a[i * cols + k] /= sum;
    }
  },
  backward: softmax.backward,
};

const isActivationLayer = (layer: Layer): layer is ActivationLayer => 'activation' in layer;

/** An activation layer whose forward is the column softmax. */
function withColumnSoftmax(layer: ActivationLayer): ActivationLayer {
  return {
    ...layer,
    activation: columnSoftmax,
    forward({ input, output }) {
      columnSoftmax.forward(input, output);
    },
  };
}

/** An activation layer whose backward evaluates f' at A: backward(Z := A, A := f(A)). */
function withDerivativeAtA(layer: ActivationLayer): ActivationLayer {
  const { activation } = layer;
  return {
    ...layer,
    backward({ output }, dOutput, [dInput]) {
      if (!dInput) return;
      // Teaching path only: a fresh buffer per call is fine here.
      const fOfA: Matrix = zeros(output.rows, output.cols);
      activation.forward(output, fOfA);
      activation.backward(output, fOfA, dOutput, dInput);
    },
  };
}

/** The network's layers with `mistake` applied (the same array when it touches no layer). */
export function layersWithMistake(layers: Layer[], mistake: Mistake | null): Layer[] {
  if (mistake === 'softmax-wrong-axis')
    return layers.map((l) =>
      isActivationLayer(l) && l.activation.name === 'softmax' ? withColumnSoftmax(l) : l,
    );
  if (mistake === 'derivative-at-a')
    return layers.map((l) => (isActivationLayer(l) ? withDerivativeAtA(l) : l));
  return layers;
}

function scaleBy(m: Matrix, factor: number): void {
  const d = m.data,
    n = m.rows * m.cols;
  for (let i = 0; i < n; i++) d[i] *= factor;
}

/** The loss with `mistake` applied (the same object when it does not touch the loss). */
export function lossWithMistake(loss: Loss, mistake: Mistake | null): Loss {
  if (mistake === 'sum-instead-of-mean')
    return {
      ...loss,
      // The value stays the mean; only the gradient loses its 1/B (multiplied back by B).
      gradient(P, T, dP) {
        loss.gradient(P, T, dP);
        scaleBy(dP, P.rows);
      },
      fusedGradient(P, T, dZ) {
        loss.fusedGradient(P, T, dZ);
        scaleBy(dZ, P.rows);
      },
    };
  if (mistake === 'softmax-wrong-axis' && loss.fusedActivation === 'softmax')
    return {
      ...loss,
      // The loss of what the wrong forward predicts (the fused value would redo a row softmax).
      fusedValue(Z, T) {
        const P = zeros(Z.rows, Z.cols);
        columnSoftmax.forward(Z, P);
        return loss.value(P, T);
      },
    };
  return loss;
}
