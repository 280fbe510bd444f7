/**
 * The words of the training status region (DESIGN §7: "Epoch 120/500 · train loss 0.061 · test
 * accuracy 96.7%") and of the progress bar's time estimate.
 */
import { format } from 'd3-format';
import type { Metrics } from '../../engine/types';
import type { Task } from '../../data/index';

export type RunStatus = 'idle' | 'running' | 'paused' | 'done' | 'diverged';

const lossFormat = format('.3~g');
const percentFormat = format('.1f');
const r2Format = format('.3f');

export function formatLoss(loss: number): string {
  return Number.isFinite(loss) ? lossFormat(loss) : String(loss);
}

/** "96.7%" from 0.9667. */
export function formatPercent(fraction: number): string {
  return `${percentFormat(fraction * 100)}%`;
}

/** The metric that says how good the model is: test accuracy or test R² (train without a test split). */
export function headlineMetric(metrics: Metrics, task: Task): string | null {
  if (task === 'classification') {
    if (metrics.testAccuracy !== undefined && Number.isFinite(metrics.testAccuracy))
      return `test accuracy ${formatPercent(metrics.testAccuracy)}`;
    if (metrics.trainAccuracy !== undefined)
      return `train accuracy ${formatPercent(metrics.trainAccuracy)}`;
    return null;
  }
  if (metrics.testR2 !== undefined && Number.isFinite(metrics.testR2))
    return `test R² ${r2Format(metrics.testR2)}`;
  if (metrics.trainR2 !== undefined) return `train R² ${r2Format(metrics.trainR2)}`;
  return null;
}

const STATUS_WORDS: Record<RunStatus, string | null> = {
  idle: null,
  running: null,
  paused: 'paused',
  done: 'done',
  diverged: 'stopped: diverged',
};

export interface StatusLineInput {
  status: RunStatus;
  epoch: number;
  epochs: number;
  metrics: Metrics | null;
  task: Task;
}

/** "Epoch 120/500 · train loss 0.061 · test accuracy 96.7%", with "paused"/"done" when it applies. */
export function statusLine({ status, epoch, epochs, metrics, task }: StatusLineInput): string {
  const parts = [`Epoch ${epoch}/${epochs}`];
  if (metrics) {
    parts.push(`train loss ${formatLoss(metrics.trainLoss)}`);
    const headline = headlineMetric(metrics, task);
    if (headline) parts.push(headline);
  } else {
    parts.push('not trained yet');
  }
  const word = STATUS_WORDS[status];
  if (word) parts.push(word);
  return parts.join(' · ');
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

/**
 * Seconds left at the pace of the current run: epochs done since it started over the time it
 * took. null until the run has completed an epoch.
 */
export function secondsLeft(
  run: { startedAt: number; startEpoch: number } | null,
  now: number,
  epoch: number,
  epochs: number,
): number | null {
  if (!run) return null;
  const done = epoch - run.startEpoch;
  const elapsed = (now - run.startedAt) / 1000;
  if (done <= 0 || elapsed <= 0) return null;
  return ((epochs - epoch) * elapsed) / done;
}
