/**
 * One forward and backward of the network for the backprop inspector (the steps of
 * lossAndGradients), keeping what the term builders of backprop-terms.ts read: the forward
 * cache, dC/dA per node, and each inspected layer's own dC/dA_in.
 */
import type { BlockLimits } from './backprop-term';
import type { ActivationLayer } from './layer';
import { zeros, type Matrix } from './matrix';
import {
  backward,
  dataLoss,
  forward,
  nodeGradients,
  type ForwardCache,
  type Network,
} from './network';
import {
  addPenaltyGradient,
  NO_REGULARIZATION,
  penalty,
  type Regularization,
} from './regularization';
import type { ActivationName } from './spec';

export interface PassOptions extends BlockLimits {
  /** Weight penalties to include in C and dC/dW, as training does (default: none). */
  regularization?: Regularization;
}

/** What one forward + backward leaves for the term builders. */
export interface Pass {
  net: Network;
  Y: Matrix;
  cache: ForwardCache;
  /** dC/dA per node (fan-out summed); see nodeGradients. */
  gradients: readonly Matrix[];
  /** dC/dA_in of each dense or activation layer alone (its own backward, before fan-out sums). */
  inputGradients: Map<number, Matrix>;
  loss: number;
  reg: Regularization;
  limits: BlockLimits;
}

/** The network's own pass (lossAndGradients' steps), with each layer's dC/dA_in kept. */
export function runPass<R>(
  net: Network,
  X: Matrix,
  Y: Matrix,
  options: PassOptions,
  needed: (index: number) => boolean,
  read: (pass: Pass) => R,
): R {
  if (X.rows === 0) throw new Error('The batch is empty: there are no rows to inspect.');
  const reg = options.regularization ?? NO_REGULARIZATION;
  const cache = forward(net, X);
  const loss = dataLoss(net, cache, Y) + penalty(net.params, reg);
  backward(net, cache, Y);
  const gradients = nodeGradients(net, X.rows);
  const inputGradients = new Map<number, Matrix>();
  const L = net.layers.length;
  net.spec.layers.forEach((spec, i) => {
    if ((spec.type !== 'dense' && spec.type !== 'activation') || !needed(i)) return;
    const input = cache.layers[i].input;
    const dInput = zeros(input.rows, input.cols);
    if (i === L - 1 && net.fusedLoss) net.loss.fusedGradient(cache.output, Y, dInput);
    // The layer's own backward once more, given a buffer for dC/dA_in even where the network
    // passes none (the first layer). A dense layer rewrites dW and db with the same numbers.
    else net.layers[i].backward(cache.layers[i], gradients[i + 1], [dInput]);
    inputGradients.set(i, dInput);
  });
  addPenaltyGradient(net.params, net.grads, reg);
  return read({ net, Y, cache, gradients, inputGradients, loss, reg, limits: options });
}

/** The activation layer that alone takes the output of layer `index`, or -1. */
export function soleActivationAfter(net: Network, index: number): number {
  const id = net.spec.layers[index].id;
  const takers = net.spec.layers.flatMap((l, j) => (l.inputs.includes(id) ? [j] : []));
  return takers.length === 1 && net.spec.layers[takers[0]].type === 'activation' ? takers[0] : -1;
}

export function activationOf(net: Network, index: number): { id: string; fn: ActivationName } {
  const layer = net.layers[index] as ActivationLayer;
  return { id: layer.id, fn: layer.activation.name };
}

export const isFusedLast = (net: Network, index: number) =>
  net.fusedLoss && index === net.layers.length - 1;
