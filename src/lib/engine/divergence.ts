/**
 * Divergence as facts and as one sentence (DESIGN §2). The trainer returns a Divergence of
 * numbers; `divergenceMessage` is the one place it becomes words, so the command line and the
 * app say the same thing.
 */

/** Why a run diverged: a loss that is not a finite number, or one grown past 10 × its start. */
export type DivergenceCause = 'not-finite' | 'loss-grew';

/** An epoch's training loss above this many times the loss before the first update diverges. */
export const DIVERGENCE_GROWTH = 10;

export interface Divergence {
  /** The epoch being trained when the run diverged (1 for the first). */
  epoch: number;
  cause: DivergenceCause;
  /** The loss that diverged: the batch or epoch loss that was NaN/±Infinity, or the epoch's training loss that grew. */
  loss: number;
  /** The training loss before the first update of the run (its starting value). */
  baseline: number;
  /** The epoch whose weights were restored: the one with the lowest training loss, 0 for the starting weights. */
  restoredEpoch: number;
  /** The training loss of the restored weights. */
  restoredLoss: number;
}

/**
 * A number short enough for a sentence: 3 significant digits, in exponent form past 1e6 or below
 * 1e-4 (a loss of 6e294 must not print 295 digits).
 */
export function shortNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const size = Math.abs(x);
  if (size !== 0 && (size >= 1e6 || size < 1e-4))
    return x
      .toExponential(2)
      .replace(/\.?0+e/, 'e')
      .replace('e+', 'e');
  return String(Number(x.toPrecision(3)));
}

/** The sentence for the user: what happened, which weights came back, what to try. */
export function divergenceMessage(d: Divergence): string {
  const what =
    d.cause === 'loss-grew'
      ? `the training loss grew to ${shortNumber(d.loss)}, over ${DIVERGENCE_GROWTH} × its starting value ${shortNumber(d.baseline)}`
      : `the loss became ${shortNumber(d.loss)}${Number.isNaN(d.loss) ? ' (not a number)' : ''}`;
  const restored =
    d.restoredEpoch > 0
      ? `The weights of epoch ${d.restoredEpoch} (the lowest training loss, ${shortNumber(d.restoredLoss)}) were restored.`
      : `The starting weights (training loss ${shortNumber(d.restoredLoss)}) were restored.`;
  return `Training diverged at epoch ${d.epoch}: ${what}. ${restored} Try a lower learning rate.`;
}
