/**
 * The words for stepping one mini-batch at a time: "batch 3/8 · batch loss 0.912", added to the
 * status line while the run is stopped part-way (the epoch's metrics only come at its end).
 */
import type { TrainingEvent } from '../worker/api';

/** Digits as the status line shows a loss: three significant, exponent form below 0.001. */
function formatBatchLoss(v: number): string {
  return Math.abs(v) >= 0.001 || v === 0 ? v.toPrecision(3) : v.toExponential(2);
}

/**
 * "batch 3/8 · batch loss 0.912" after a Step, or null when there is nothing to add: while
 * running (the line moves too fast), when finished or diverged, before the first step.
 */
export function stepStatus(
  event: Pick<
    TrainingEvent,
    'status' | 'step' | 'batchInEpoch' | 'batchesPerEpoch' | 'batchLoss'
  > | null,
): string | null {
  if (!event || event.step === 0 || !Number.isFinite(event.batchLoss)) return null;
  if (event.status !== 'idle' && event.status !== 'paused') return null;
  // batchInEpoch 0 after a step: that step finished an epoch, so it was the epoch's last batch.
  const batch = event.batchInEpoch === 0 ? event.batchesPerEpoch : event.batchInEpoch;
  return `batch ${batch}/${event.batchesPerEpoch} · batch loss ${formatBatchLoss(event.batchLoss)}`;
}
