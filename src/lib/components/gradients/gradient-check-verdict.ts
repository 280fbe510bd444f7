/**
 * The gradient check's verdict in words: the worker sends the relative errors per layer
 * (GradientCheckReport), and this says whether backprop passed and what the numbers mean.
 */
import { GRADIENT_CHECK_TOLERANCE, type GradientCheckReport } from '../../worker/api';

export interface GradientCheckVerdict {
  /** Every relative error below the tolerance (a NaN error fails). */
  passed: boolean;
  /** One plain sentence (or two, with what was sampled or skipped). */
  text: string;
}

export function gradientCheckVerdict(
  report: GradientCheckReport,
  tolerance: number = GRADIENT_CHECK_TOLERANCE,
): GradientCheckVerdict {
  const { layers } = report;
  // The worst layer; NaN counts as the largest error.
  const worst = layers.reduce(
    (w, l) => (w === null || !(l.maxRelativeError <= w.maxRelativeError) ? l : w),
    null as (typeof layers)[number] | null,
  );
  const error = worst ? worst.maxRelativeError : 0;
  const passed = error < tolerance;
  const skipped = layers.reduce((n, l) => n + l.skippedAtKinks, 0);
  const total = layers.reduce((n, l) => n + l.totalEntries, 0);
  const sampled = layers.reduce((n, l) => n + l.entries + l.skippedAtKinks, 0);
  const sampleNote =
    sampled < total
      ? ` ${sampled.toLocaleString('en')} of the ${total.toLocaleString('en')} weights and biases were checked (a random sample of each large layer).`
      : '';
  const skippedNote =
    skipped > 0
      ? ` ${skipped} entries sat on a ReLU kink, where finite differences cannot be compared, and were skipped.`
      : '';
  const bound = tolerance.toExponential(0);
  const text = passed
    ? `Backprop agrees with finite differences: the largest relative error is ${error.toExponential(1)}, below ${bound}.${sampleNote}${skippedNote}`
    : `Backprop and finite differences disagree in layer ${worst?.id} (relative error ${error.toExponential(1)}, above ${bound}): these gradients would be wrong.${sampleNote}${skippedNote}`;
  return { passed, text };
}
