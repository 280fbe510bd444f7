/**
 * What the gradient views and diagnostics read: per-layer statistics of one optimizer update,
 * as the worker computed them. Plain data, network order (input side first), no maths here.
 */
import type { ActivationName } from '../engine/spec';

/** Gradient statistics of one dense layer at one update (all Frobenius / absolute values). */
export interface DenseGradientStats {
  /** Dense layer id (as in the LayerSpec). */
  id: string;
  /** ‖dC/dW‖. */
  gradNormW: number;
  /** ‖dC/db‖. */
  gradNormB: number;
  /** Mean of |dC/dW| over the layer's weights. */
  meanAbsGrad: number;
  /** Largest |dC/dW|. */
  maxAbsGrad: number;
  /** ‖W‖ after the update. */
  weightNorm: number;
  /** ‖ΔW‖ / ‖W‖ of the update. */
  updateRatio: number;
}

/** What one activation layer did on the update's mini-batch. */
export interface ActivationStats {
  id: string;
  fn: ActivationName;
  /** Share of units (0–1) that output zero for every example of the batch. */
  deadFraction: number;
  /** Share of units (0–1) in the flat tails of sigmoid/tanh. */
  saturatedFraction: number;
}

/** The statistics of one optimizer update (one mini-batch). */
export interface GradientUpdate {
  /** Update number, counting from 1 since the last reset. */
  step: number;
  /** Epoch the update belongs to (1-based). */
  epoch: number;
  /** Dense layers in network order. */
  dense: DenseGradientStats[];
  /** Activation layers in network order. */
  activations: ActivationStats[];
}
