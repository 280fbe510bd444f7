/** Chart components and their props types; import from here rather than from single files. */
export { default as LossChart } from './LossChart.svelte';
export { default as MetricChart } from './MetricChart.svelte';
export { default as DecisionBoundary } from './DecisionBoundary.svelte';
export { default as ConfusionMatrix } from './ConfusionMatrix.svelte';
export { default as CurveFitChart } from './CurveFitChart.svelte';
export { default as GradientBars } from './GradientBars.svelte';
export { default as GradientHeatStrip } from './GradientHeatStrip.svelte';
export { default as UpdateRatioBars } from './UpdateRatioBars.svelte';
export { default as Legend } from './Legend.svelte';
export type * from './chart-types';
export { decisionGridProblem } from './decision-grid';
export { default as MisclassifiedImages } from './MisclassifiedImages.svelte';
