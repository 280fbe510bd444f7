/**
 * Per-layer statistics of one training update, computed in the worker from the engine's buffers:
 *   dense layers      ‖dC/dW‖, ‖dC/db‖ (Frobenius), mean and max of |dC/dW|, ‖W‖, ‖ΔW‖/‖W‖
 *   activation layers the share of dead relu-family units and of saturated sigmoid/tanh units
 *   wires             ‖dC/dA‖ each consumer sends back along each of its input wires
 * Small pure functions over Float64Arrays; the TrainingService decides when to call them.
 */
import { zeros, type Matrix } from '../engine/matrix';
import { sumOfSquares } from '../engine/sum-of-squares';
import type { ForwardCache, Network } from '../engine/network';
import { isReluFamily, type ActivationSpec } from '../engine/spec';
import type { DenseGrads, DenseParams } from '../engine/types';
import type { LayerUpdate } from '../engine/trainer';
import {
  SATURATION_MARGIN,
  SATURATION_ROW_SHARE,
  type ActivationLayerStats,
  type DenseLayerStats,
  type WireNorm,
} from './api';

/** sqrt(Σ v²), summed in parallel parts (engine/sum-of-squares.ts: it runs at every update). */
export function frobeniusNorm(values: Float64Array): number {
  return Math.sqrt(sumOfSquares(values));
}

/** Mean and largest absolute value (NaN for an empty array). */
export function absoluteMeanMax(values: Float64Array): { mean: number; max: number } {
  if (values.length === 0) return { mean: NaN, max: NaN };
  let sum = 0,
    max = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    sum += a;
    // NaN must win so a broken gradient shows as broken, not as 0.
    if (a > max || Number.isNaN(a)) max = a;
  }
  return { mean: sum / values.length, max };
}

/**
 * Statistics of one dense layer from its gradients, its weights after the update and the update
 * itself (trainer.lastUpdates(); without it ‖ΔW‖/‖W‖ is NaN).
 */
export function denseLayerStats(
  grads: DenseGrads,
  params: DenseParams,
  update: LayerUpdate | undefined,
): DenseLayerStats {
  const { mean, max } = absoluteMeanMax(grads.dW.data);
  const weightNorm = update ? update.wNorm : frobeniusNorm(params.W.data);
  return {
    id: params.id,
    inputSize: params.W.rows,
    units: params.W.cols,
    gradWNorm: frobeniusNorm(grads.dW.data),
    gradBNorm: frobeniusNorm(grads.db),
    meanAbsGrad: mean,
    maxAbsGrad: max,
    weightNorm,
    updateRatio: update && weightNorm > 0 ? update.deltaWNorm / weightNorm : NaN,
  };
}

/**
 * Share of units (columns) that are "dead" on the batch: relu outputs exactly 0 in every row;
 * leaky_relu and elu have their input ≤ 0 in every row (the flat side, small gradient).
 */
export function deadFraction(fn: string, input: Matrix, output: Matrix): number {
  const { rows, cols } = output;
  if (cols === 0 || rows === 0) return 0;
  const values = fn === 'relu' ? output.data : input.data;
  let dead = 0;
  for (let j = 0; j < cols; j++) {
    let alive = false;
    for (let i = 0; i < rows && !alive; i++) {
      const v = values[i * cols + j];
      alive = fn === 'relu' ? v !== 0 : v > 0;
    }
    if (!alive) dead++;
  }
  return dead / cols;
}

/**
 * Share of units whose output is within SATURATION_MARGIN of a bound of the function (sigmoid:
 * 0 or 1; tanh: -1 or 1) for at least SATURATION_ROW_SHARE of the rows.
 */
export function saturatedFraction(fn: 'sigmoid' | 'tanh', output: Matrix): number {
  const { rows, cols, data } = output;
  if (cols === 0 || rows === 0) return 0;
  const low = fn === 'sigmoid' ? 0 : -1;
  const high = 1;
  let saturated = 0;
  for (let j = 0; j < cols; j++) {
    let near = 0;
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + j];
      if (v - low <= SATURATION_MARGIN || high - v <= SATURATION_MARGIN) near++;
    }
    if (near >= SATURATION_ROW_SHARE * rows) saturated++;
  }
  return saturated / cols;
}

/** Statistics of one activation layer from its input and output on a batch. */
export function activationLayerStats(
  spec: ActivationSpec,
  input: Matrix,
  output: Matrix,
): ActivationLayerStats {
  return {
    id: spec.id,
    fn: spec.fn,
    units: spec.size,
    deadFraction: isReluFamily(spec.fn) ? deadFraction(spec.fn, input, output) : null,
    saturatedFraction:
      spec.fn === 'sigmoid' || spec.fn === 'tanh' ? saturatedFraction(spec.fn, output) : null,
  };
}

/**
 * The gradient each wire carries backward (DESIGN.md §2, a skip connection's lesson): one
 * backward pass over `cache` (a forward pass of the batch X with targets Y) into buffers of its
 * own, keeping what each consumer sends to each of its inputs before fan-out sums them. The wire
 * into the loss carries dC/dP, or (P - T)/B where the loss fuses with the last activation, which
 * is then also what the wire into that activation carries. The network's gradient buffers are
 * left as they were.
 */
export function wireGradientNorms(net: Network, cache: ForwardCache, Y: Matrix): WireNorm[] {
  const { spec, layers, topology } = net;
  const B = cache.batchSize;
  const saved = net.gradientArrays.map((a) => a.slice());
  const total = cache.activations.map((a) => zeros(B, a.cols));
  const L = layers.length;
  const wires: WireNorm[] = [];
  const lastId = L > 0 ? spec.layers[L - 1].id : spec.input.id;
  const P = cache.output;
  if (net.fusedLoss) net.loss.fusedGradient(P, Y, total[L]);
  else net.loss.gradient(P, Y, total[L]);
  wires.push({ source: lastId, target: spec.loss.id, norm: frobeniusNorm(total[L].data) });
  for (let i = L - 1; i >= 0; i--) {
    const nodes = topology.inputNodes[i];
    const sent = nodes.map((node) => zeros(B, total[node].cols));
    if (i === L - 1 && net.fusedLoss) sent[0].data.set(total[L].data);
    else layers[i].backward(cache.layers[i], total[i + 1], sent);
    nodes.forEach((node, k) => {
      const into = total[node].data;
      const part = sent[k].data;
      for (let j = 0; j < into.length; j++) into[j] += part[j];
      wires.push({
        source: spec.layers[i].inputs[k],
        target: spec.layers[i].id,
        norm: frobeniusNorm(part),
      });
    });
  }
  net.gradientArrays.forEach((a, k) => a.set(saved[k]));
  return wires;
}
