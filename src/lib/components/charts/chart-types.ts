/**
 * Props of the chart components, as plain data. State classes build these; the worker builds
 * DecisionGrid and the gradient statistics. Keep them serialisable (they may cross postMessage).
 */
import type { History } from '../../engine/types';

export type { History };
export type { LegendItem } from './legend';

/** One line of an epoch chart (internal to LossChart and MetricChart). */
export interface EpochSeries {
  name: string;
  values: readonly number[];
  colour: string;
  dashed: boolean;
}

export interface LossChartProps {
  /** Per-epoch history; uses `epoch`, `trainLoss`, `testLoss`. NaN/∞ entries break the line. */
  history: History;
  /** Log y axis (bindable; the chart also shows a "Log scale" checkbox). Default false. */
  logScale?: boolean;
  /** Caption above the chart; '' hides it. Default "Loss". */
  title?: string;
  /** Height in px; the width follows the container. Default 240. */
  height?: number;
}

export interface MetricChartProps {
  /**
   * Per-epoch history. Classification uses `trainAccuracy`/`testAccuracy` as fractions 0–1
   * (shown as %); regression uses `trainR2`/`testR2`.
   */
  history: History;
  task: 'classification' | 'regression';
  /** Default "Accuracy" or "R²" by task; '' hides it. */
  title?: string;
  height?: number;
}

export interface ConfusionMatrixProps {
  /** Counts: matrix[trueClass][predictedClass]; square, one row and column per class. */
  matrix: number[][];
  /** Class names in the order of the rows and columns. */
  classes: string[];
  /** Default "Confusion matrix"; '' hides it. */
  title?: string;
  /** Largest cell side in px (cells shrink to fit the width). Default 52. */
  maxCellSize?: number;
}

export type { DecisionGrid } from './decision-grid';

/** A data point of a 2-D dataset; `label` indexes `classes`. */
export interface LabelledPoint {
  x: number;
  y: number;
  label: number;
}

export interface DecisionBoundaryProps {
  /** Class probabilities on a regular grid (format documented in decision-grid.ts); null before the first prediction. */
  grid: import('./decision-grid').DecisionGrid | null;
  points: LabelledPoint[];
  /** Class names; class k is drawn in classColour(k). */
  classes: string[];
  /** Axis titles with units, e.g. "x₁ (standardised)". */
  xLabel: string;
  yLabel: string;
  /** Default "Decision boundary"; '' hides it. */
  title?: string;
  /** Height in px; the width follows the container. Default 320. */
  height?: number;
}

/** A point of a 1-D regression: input x, target or prediction y. */
export interface XYPoint {
  x: number;
  y: number;
}

export interface CurveFitChartProps {
  /** The data (drawn as points). */
  points: XYPoint[];
  /** The model's prediction over a range, ascending x (drawn as a line; NaN/∞ break it). */
  curve: XYPoint[];
  xLabel: string;
  yLabel: string;
  /** Default "Model fit"; '' hides it. */
  title?: string;
  height?: number;
}

/** Gradient magnitude of one layer's weights over the last update (or a recent average). */
export interface GradientBarsLayer {
  /** Dense layer id (as in the LayerSpec). */
  id: string;
  /** Shown on the axis, e.g. "Dense n2 (4→5)". */
  label: string;
  /** Mean of |dC/dW| over the layer's weights (> 0 to be drawn; log scale). */
  meanAbs: number;
  /** Largest |dC/dW| over the layer's weights. */
  maxAbs: number;
}

export interface GradientBarsProps {
  /** In network order, input side first (drawn top to bottom). */
  layers: GradientBarsLayer[];
  /** Default "Gradient magnitude per layer"; '' hides it. */
  title?: string;
}

export interface HeatStripLayer {
  id: string;
  label: string;
}

export interface GradientHeatStripProps {
  /** Rows, in network order (input side at the top). */
  layers: HeatStripLayer[];
  /**
   * One column per optimizer update, oldest first: columns[c][l] is the RAW Frobenius norm
   * ‖dC/dW‖ of layer l (same order as `layers`) at that update. The strip takes log10 itself;
   * values ≤ 0 or not finite are drawn grey. Only the last `window` columns are shown, and the
   * colour range is the min–max of log10 over exactly those columns.
   */
  columns: number[][];
  /** How many recent updates to show. Default 100. */
  window?: number;
  /** Update number of columns[0], for the x axis (when older columns were dropped). Default 1. */
  firstUpdate?: number;
  /** Default "Gradient norm over recent updates"; '' hides it. */
  title?: string;
}

export interface UpdateRatioLayer {
  id: string;
  label: string;
  /** ‖ΔW‖ / ‖W‖ for the last update (Frobenius norms); > 0 to be drawn (log scale). */
  ratio: number;
}

export interface UpdateRatioBarsProps {
  /** In network order, input side first (drawn top to bottom). */
  layers: UpdateRatioLayer[];
  /** Default "Update-to-weight ratio"; '' hides it. */
  title?: string;
}
