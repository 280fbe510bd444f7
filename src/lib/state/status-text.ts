/**
 * The training status in words, in one place: the status line of DESIGN §7 ("Epoch 120/500 ·
 * train loss 0.061 · test accuracy 96.7%") and the progress bar's time estimate.
 */
import type { Metrics } from '../engine/types';
import type { TrainingStatus } from '../worker/api';
import type { TrainingProgress } from './event-batch';

export type RunStatus = TrainingStatus;

/** "Epoch 120/500 · train loss 0.061 · test accuracy 96.7%" (DESIGN §7). */
export function formatStatus(
  status: TrainingStatus,
  progress: Pick<TrainingProgress, 'epoch' | 'epochs'>,
  metrics: Metrics | null,
): string {
  const parts = [`Epoch ${progress.epoch}/${progress.epochs}`];
  if (metrics) {
    parts.push(`train loss ${formatLoss(metrics.trainLoss)}`);
    if (metrics.testAccuracy !== undefined && Number.isFinite(metrics.testAccuracy))
      parts.push(`test accuracy ${(metrics.testAccuracy * 100).toFixed(1)}%`);
    else if (metrics.testR2 !== undefined && Number.isFinite(metrics.testR2))
      parts.push(`test R² ${metrics.testR2.toFixed(3)}`);
  }
  if (status === 'diverged') parts.push('diverged');
  else if (status === 'done') parts.push('done');
  else if (status === 'paused') parts.push('paused');
  return parts.join(' · ');
}

function formatLoss(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 0.001 || v === 0
    ? v.toPrecision(3).replace(/\.?0+$/, '')
    : v.toExponential(2);
}

/** "about 12 s left", "about 2 min 5 s left"; "" for an unknown or zero time. */
export function formatTimeLeft(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds <= 0) return '';
  if (seconds < 1) return 'under 1 s left';
  const whole = Math.round(seconds);
  if (whole < 60) return `about ${whole} s left`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `about ${minutes} min ${whole % 60} s left`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}
