/**
 * The words of the backprop inspector: each term's symbol and formula (DESIGN.md §2), and the
 * notes on fused losses and softmax, for a given network, activation and weight penalty.
 */
import type { BackpropTerm } from './backprop-term';
import type { Network } from './network';
import { NO_REGULARIZATION, type Regularization } from './regularization';
import type { ActivationName, LossName } from './spec';

type Text = Pick<BackpropTerm, 'name' | 'symbol' | 'formula' | 'pass'>;

const forwardText = (name: BackpropTerm['name'], symbol: string, formula: string): Text => ({
  name,
  symbol,
  formula,
  pass: 'forward',
});
const backwardText = (name: BackpropTerm['name'], symbol: string, formula: string): Text => ({
  name,
  symbol,
  formula,
  pass: 'backward',
});

const LOSS_VALUE: Record<LossName, string> = {
  mse: 'C = (1/(B·K)) Σ (P − T)²',
  cross_entropy: 'C = −(1/B) Σ_i Σ_k T_ik log P_ik',
  binary_cross_entropy: 'C = −(1/B) Σ_i [t log p + (1 − t) log(1 − p)]',
};

const LOSS_GRADIENT: Record<LossName, string> = {
  mse: 'dC/dP = 2 (P − T) / (B·K)',
  cross_entropy: 'dC/dP = −T / (B·P)',
  binary_cross_entropy: 'dC/dP = (p − t) / (B·p(1 − p))',
};

const DERIVATIVE: Record<ActivationName, string> = {
  identity: "f'(Z) = 1",
  sigmoid: "f'(Z) = σ(Z)(1 − σ(Z)) = A(1 − A)",
  tanh: "f'(Z) = 1 − tanh²(Z) = 1 − A²",
  relu: "f'(Z) = 1 where Z > 0, else 0",
  leaky_relu: "f'(Z) = 1 where Z > 0, else α",
  elu: "f'(Z) = 1 where Z > 0, else α e^Z = A + α",
  softmax: "f'(Z) is a Jacobian per row, not one number per entry",
};

function penaltyText(reg: Regularization): string {
  const parts: string[] = [];
  if (reg.l2 !== 0) parts.push(`${reg.l2}·W`);
  if (reg.l1 !== 0) parts.push(`${reg.l1}·sign(W)`);
  return parts.length === 0 ? '' : ` + ${parts.join(' + ')}`;
}

/** Every text the term builders need, for a node whose activation is `fn` (or none). */
export function formulas(
  net: Network,
  fn: ActivationName | null,
  reg: Regularization = NO_REGULARIZATION,
) {
  const lossName = net.loss.name;
  const f = fn ?? 'f';
  const fusedFormula = lossName === 'binary_cross_entropy' ? 'δ = (p − t) / B' : 'δ = (P − T) / B';
  const withPenalty = penaltyText(reg);
  return {
    Ain: forwardText('A_in', 'A_in', 'A_in: what comes into the layer'),
    W: forwardText('W', 'W', 'W: the weights'),
    b: forwardText('b', 'b', 'b: the biases'),
    Z: forwardText('Z', 'Z', 'Z = A_in·W + b'),
    Zin: forwardText('Z', 'Z', 'Z: what comes into the activation'),
    Aout: forwardText('A_out', 'A_out', `A_out = ${f}(Z)`),
    P: forwardText('P', 'P', 'P: the prediction, the last layer’s output'),
    T: forwardText('T', 'T', 'T: the targets of the batch'),
    C: forwardText('C', 'C', LOSS_VALUE[lossName] + (withPenalty ? ' + penalty' : '')),
    dCdAout: backwardText(
      'dC/dA_out',
      'dC/dA_out',
      'dC/dA_out: from the layer above (summed where A_out feeds several layers)',
    ),
    derivative: backwardText("f'(Z)", "f'(Z)", DERIVATIVE[fn ?? 'identity']),
    delta: backwardText('delta', 'δ = dC/dZ', "δ = dC/dA_out ⊙ f'(Z)"),
    fusedDelta: backwardText('delta', 'δ = dC/dZ', `${fusedFormula} (fused with the loss)`),
    deltaFromAbove: backwardText(
      'delta',
      'δ = dC/dZ',
      'δ = dC/dZ: from the layers above (summed where Z feeds several layers)',
    ),
    dCdW: backwardText('dC/dW', 'dC/dW', `dC/dW = A_inᵀ·δ${withPenalty}`),
    dCdb: backwardText('dC/db', 'dC/db', 'dC/db = Σ_rows δ'),
    dCdAin: backwardText('dC/dA_in', 'dC/dA_in', 'dC/dA_in = δ·Wᵀ'),
    dCdP: backwardText('dC/dP', 'dC/dP', LOSS_GRADIENT[lossName]),
    fused: backwardText(
      'fused',
      lossName === 'binary_cross_entropy' ? 'dC/dz' : 'dC/dZ',
      fusedFormula.replace('δ', lossName === 'binary_cross_entropy' ? 'dC/dz' : 'dC/dZ'),
    ),
    notUsedWhenFused:
      'Shown for comparison: backward does not use it, it starts from the fused gradient.',
    whyFused:
      lossName === 'binary_cross_entropy'
        ? "Sigmoid and binary cross-entropy are fused: dC/dp = (p − t)/(B·p(1 − p)) times σ'(z) = p(1 − p) leaves (p − t)/B, which the engine computes directly — simpler, and exact where p rounds to 0 or 1."
        : 'Softmax and cross-entropy are fused: the chain through the softmax Jacobian collapses to (P − T)/B, which the engine computes directly — simpler, and exact where P rounds to 0.',
    softmaxJacobian:
      "Softmax mixes the entries of a row, so f'(Z) is not one number per entry: δ_ik = A_ik (dC/dA_ik − Σ_j dC/dA_ij A_ij). There is no f'(Z) matrix to show.",
    noActivation:
      'No activation alone takes this layer’s output, so δ = dC/dZ comes straight from the layers above.',
    firstLayer:
      'The network skips this product for a layer fed by the input (nothing comes before it); it is computed here for display.',
  };
}
