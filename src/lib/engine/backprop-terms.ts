/**
 * The backprop inspector's engine side: for the current weights and one batch, the chain-rule
 * terms of one Dense, Activation or Loss node, read from the network's own forward cache and
 * backward pass (DESIGN.md §2, §7 "Backprop"):
 *   Dense       A_in (B × n), W (n × m), b (m), Z = A_in·W + b, A_out = f(Z) when an activation
 *               alone takes Z; dC/dA_out, f'(Z), δ = dC/dZ = dC/dA_out ⊙ f'(Z), dC/dW = A_inᵀ·δ,
 *               dC/db = Σ_rows δ, dC/dA_in = δ·Wᵀ
 *   Activation  Z, A_out = f(Z); dC/dA_out, f'(Z), δ = dC/dZ
 *   Loss        P, T, C, dC/dP and, when the loss fuses with the last activation, (P − T)/B
 * Where a node's output fans out, dC/dA_out is the sum of what its consumers send back, as the
 * network computes it. The batch runs in evaluation mode (dropout is the identity).
 */
import { matrixTerm, scalarTerm, vectorTerm, type BackpropTerm } from './backprop-term';
import { formulas } from './backprop-formulas';
import {
  activationOf,
  isFusedLast,
  runPass,
  soleActivationAfter,
  type Pass,
  type PassOptions,
} from './backprop-pass';
import { zeros, type Matrix } from './matrix';
import type { Network } from './network';
import type { ActivationName } from './spec';

export { termBuffers, type BackpropTerm, type BlockLimits, type TermName } from './backprop-term';

/** maxRows / maxCols: the top-left block copied per term; regularization: l1, l2 as in training. */
export type BackpropTermsOptions = PassOptions;

export type InspectedKind = 'dense' | 'activation' | 'loss';

export interface LayerTerms {
  layerId: string;
  kind: InspectedKind;
  /** Index in spec.layers; the loss node is spec.layers.length. Orders forward and backward. */
  position: number;
  batchSize: number;
  /** The activation: for a Dense, the one that alone takes its Z (or null); for an Activation, its own. */
  activation: { id: string; fn: ActivationName } | null;
  /** True when the loss fuses with the last activation and this node's δ is (P − T)/B. */
  fused: boolean;
  /** Sentences the page shows under the terms (why fused, why f'(Z) is missing, …). */
  notes: string[];
  /** Forward terms first, then backward terms, each in the order the engine computes them. */
  terms: BackpropTerm[];
}

/** Whether backpropTerms can show the node with this id (a Dense, an Activation or the Loss). */
export function canInspect(net: Network, layerId: string): boolean {
  if (layerId === net.spec.loss.id) return true;
  const layer = net.spec.layers.find((l) => l.id === layerId);
  return layer !== undefined && (layer.type === 'dense' || layer.type === 'activation');
}

/**
 * The terms of node `layerId` for the batch (X, Y) at the network's current weights. Runs one
 * forward and backward on the network (overwriting its gradient buffers, as any backward does).
 * Throws a clear Error for an unknown id, a node kind without terms, or an empty batch.
 */
export function backpropTerms(
  net: Network,
  X: Matrix,
  Y: Matrix,
  layerId: string,
  options: BackpropTermsOptions = {},
): LayerTerms {
  const position = positionOf(net, layerId);
  const L = net.layers.length;
  // Only the layers whose dC/dA_in the terms show: this one, the activation after it, the last.
  const after = position < L ? soleActivationAfter(net, position) : -1;
  const needed = (i: number) => i === position || i === after || (position === L && i === L - 1);
  return runPass(net, X, Y, options, needed, (pass) => termsAt(pass, position));
}

/** The terms of every Dense, Activation and the Loss node, in spec order (one pass). */
export function allBackpropTerms(
  net: Network,
  X: Matrix,
  Y: Matrix,
  options: BackpropTermsOptions = {},
): LayerTerms[] {
  return runPass(
    net,
    X,
    Y,
    options,
    () => true,
    (pass) => {
      const positions = net.spec.layers.flatMap((l, i) =>
        l.type === 'dense' || l.type === 'activation' ? [i] : [],
      );
      return [...positions, net.spec.layers.length].map((p) => termsAt(pass, p));
    },
  );
}

function positionOf(net: Network, layerId: string): number {
  if (layerId === net.spec.loss.id) return net.spec.layers.length;
  const index = net.spec.layers.findIndex((l) => l.id === layerId);
  if (index < 0) throw new Error(`The network has no node "${layerId}".`);
  const type = net.spec.layers[index].type;
  if (type !== 'dense' && type !== 'activation')
    throw new Error(
      `Node "${layerId}" is a ${type} node: the Backprop tab shows Dense, Activation and Loss nodes.`,
    );
  return index;
}

function termsAt(pass: Pass, position: number): LayerTerms {
  const { net } = pass;
  if (position === net.spec.layers.length) return lossTerms(pass);
  return net.spec.layers[position].type === 'dense'
    ? denseTerms(pass, position)
    : activationTerms(pass, position);
}

/** dC/dA_out, f'(Z) and δ of activation layer j, with the notes they need. */
function activationBackward(pass: Pass, j: number): { terms: BackpropTerm[]; notes: string[] } {
  const { net, cache, Y, limits } = pass;
  const fn = activationOf(net, j).fn;
  const f = formulas(net, fn);
  const terms: BackpropTerm[] = [];
  const notes: string[] = [];
  const fused = isFusedLast(net, j);
  if (fused) {
    const dP = zeros(cache.output.rows, cache.output.cols);
    net.loss.gradient(cache.output, Y, dP);
    terms.push(
      matrixTerm({ ...f.dCdAout, note: f.notUsedWhenFused, displayOnly: true }, dP, limits),
    );
    notes.push(f.whyFused);
  } else {
    terms.push(matrixTerm(f.dCdAout, pass.gradients[j + 1], limits));
  }
  if (fn === 'softmax') notes.push(f.softmaxJacobian);
  else {
    const ones = zeros(cache.layers[j].output.rows, cache.layers[j].output.cols);
    ones.data.fill(1);
    const derivative = zeros(ones.rows, ones.cols);
    // The layer's own backward with dC/dA_out = 1 leaves f'(Z) (whatever f' it evaluates).
    net.layers[j].backward(cache.layers[j], ones, [derivative]);
    terms.push(matrixTerm(f.derivative, derivative, limits));
  }
  terms.push(matrixTerm(fused ? f.fusedDelta : f.delta, pass.inputGradients.get(j)!, limits));
  return { terms, notes };
}

function denseTerms(pass: Pass, i: number): LayerTerms {
  const { net, cache, limits } = pass;
  const k = net.params.findIndex((p) => p.id === net.spec.layers[i].id);
  const params = net.params[k],
    grads = net.grads[k];
  const j = soleActivationAfter(net, i);
  const activation = j >= 0 ? activationOf(net, j) : null;
  const f = formulas(net, activation?.fn ?? null, pass.reg);
  const terms: BackpropTerm[] = [
    matrixTerm(f.Ain, cache.layers[i].input, limits),
    matrixTerm(f.W, params.W, limits),
    vectorTerm(f.b, params.b, limits),
    matrixTerm(f.Z, cache.layers[i].output, limits),
  ];
  const notes: string[] = [];
  if (j >= 0) {
    terms.push(matrixTerm(f.Aout, cache.layers[j].output, limits));
    const after = activationBackward(pass, j);
    terms.push(...after.terms);
    notes.push(...after.notes);
  } else {
    terms.push(matrixTerm(f.deltaFromAbove, pass.gradients[i + 1], limits));
    notes.push(f.noActivation);
  }
  terms.push(
    matrixTerm(f.dCdW, grads.dW, limits),
    vectorTerm(f.dCdb, grads.db, limits),
    matrixTerm(
      { ...f.dCdAin, note: net.topology.inputNodes[i][0] === 0 ? f.firstLayer : undefined },
      pass.inputGradients.get(i)!,
      limits,
    ),
  );
  return {
    layerId: params.id,
    kind: 'dense',
    position: i,
    batchSize: cache.batchSize,
    activation,
    fused: j >= 0 && isFusedLast(net, j),
    notes,
    terms,
  };
}

function activationTerms(pass: Pass, j: number): LayerTerms {
  const { net, cache, limits } = pass;
  const activation = activationOf(net, j);
  const f = formulas(net, activation.fn);
  const after = activationBackward(pass, j);
  return {
    layerId: activation.id,
    kind: 'activation',
    position: j,
    batchSize: cache.batchSize,
    activation,
    fused: isFusedLast(net, j),
    notes: after.notes,
    terms: [
      matrixTerm(f.Zin, cache.layers[j].input, limits),
      matrixTerm(f.Aout, cache.layers[j].output, limits),
      ...after.terms,
    ],
  };
}

function lossTerms(pass: Pass): LayerTerms {
  const { net, cache, Y, limits } = pass;
  const L = net.layers.length;
  const last =
    L > 0 && net.spec.layers[L - 1].type === 'activation' ? activationOf(net, L - 1) : null;
  const f = formulas(net, last?.fn ?? null, pass.reg);
  const terms = [
    matrixTerm(f.P, cache.output, limits),
    matrixTerm(f.T, Y, limits),
    scalarTerm(f.C, pass.loss),
  ];
  const notes: string[] = [];
  if (net.fusedLoss) {
    const dP = zeros(cache.output.rows, cache.output.cols);
    net.loss.gradient(cache.output, Y, dP);
    terms.push(matrixTerm({ ...f.dCdP, note: f.notUsedWhenFused, displayOnly: true }, dP, limits));
    terms.push(matrixTerm(f.fused, pass.inputGradients.get(L - 1)!, limits));
    notes.push(f.whyFused);
    if (last?.fn === 'softmax') notes.push(f.softmaxJacobian);
  } else {
    terms.push(matrixTerm(f.dCdP, pass.gradients[L], limits));
  }
  return {
    layerId: net.spec.loss.id,
    kind: 'loss',
    position: L,
    batchSize: cache.batchSize,
    activation: last,
    fused: net.fusedLoss,
    notes,
    terms,
  };
}
