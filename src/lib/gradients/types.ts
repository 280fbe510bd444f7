/**
 * What the gradient views and diagnostics read: the per-layer statistics the worker computed
 * (src/lib/worker/api.ts), plus the per-update norm series in a form that keeps whole history.
 */
export type {
  ActivationLayerStats,
  DenseLayerStats,
  GradientNormSeries,
  StepStats,
  TrainingEvent,
} from '../worker/api';

/** ‖dC/dW‖ of every dense layer at one update. */
export interface NormColumn {
  /** Update number since load/reset (1-based). */
  update: number;
  /** Epoch (1-based) the update belongs to. */
  epoch: number;
  /** ‖dC/dW‖ per dense layer, in the order of the run's layer ids (input side first). */
  norms: number[];
}
