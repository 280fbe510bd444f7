/**
 * The training progress bar on stderr: drawn only when stderr is a terminal, redrawn in place at
 * most ten times a second, erased when done so the summary starts on a clean line.
 */
import { percent, number, seconds } from './format';
import type { CliIo } from './io';

const REDRAW_MS = 100;

export interface ProgressState {
  epoch: number;
  epochs: number;
  trainLoss?: number;
  testAccuracy?: number;
  testR2?: number;
}

/** One line: "epoch  37/200 [█████░░░░░] 18%  loss 0.1234  test acc 93.3%  ETA 3.0 s". */
export function progressLine(state: ProgressState, elapsedMs: number, width: number): string {
  const { epoch, epochs } = state;
  const fraction = epochs > 0 ? Math.min(1, epoch / epochs) : 1;
  const parts = [`loss ${number(state.trainLoss)}`];
  if (state.testAccuracy !== undefined && Number.isFinite(state.testAccuracy))
    parts.push(`test acc ${percent(state.testAccuracy)}`);
  if (state.testR2 !== undefined && Number.isFinite(state.testR2))
    parts.push(`test R² ${number(state.testR2)}`);
  const remaining = epoch > 0 ? (elapsedMs / epoch) * (epochs - epoch) : NaN;
  parts.push(`ETA ${Number.isFinite(remaining) ? seconds(remaining) : '…'}`);
  const counter = `epoch ${String(epoch).padStart(String(epochs).length)}/${epochs}`;
  const tail = `${Math.round(fraction * 100)}%  ${parts.join('  ')}`;
  const barWidth = Math.max(10, Math.min(30, width - counter.length - tail.length - 5));
  const filled = Math.round(fraction * barWidth);
  return `${counter} [${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}] ${tail}`;
}

export interface ProgressBar {
  update(state: ProgressState): void;
  /** Erase the bar. */
  done(): void;
}

export function createProgressBar(io: CliIo): ProgressBar {
  if (!io.errIsTTY) return { update() {}, done() {} };
  const start = io.now();
  let lastDraw = -Infinity;
  let drawn = false;
  return {
    update(state) {
      const now = io.now();
      if (now - lastDraw < REDRAW_MS && state.epoch < state.epochs) return;
      lastDraw = now;
      drawn = true;
      const line = progressLine(state, now - start, io.columns).slice(
        0,
        Math.max(1, io.columns - 1),
      );
      io.err(`\r\x1b[2K${line}`);
    },
    done() {
      if (drawn) io.err('\r\x1b[2K');
    },
  };
}
