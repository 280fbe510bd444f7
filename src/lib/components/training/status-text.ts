/**
 * Words of the training controls beside the status line (which is TrainingSession's
 * formatStatus): the run's state names and the progress bar's time estimate.
 */
import type { TrainingStatus } from '../../worker/api';

export type RunStatus = TrainingStatus;

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
