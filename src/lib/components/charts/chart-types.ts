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
