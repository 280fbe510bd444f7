/**
 * Pure joining of the worker's events for one publication to the page: their history deltas
 * (joined while each continues the one before, then added to the HistoryBuffer), the per-update
 * gradient-norm window of the heat strip, and the progress and time estimate of the newest event.
 * No worker, no runes: unit-tested with hand-made events.
 */
import type { History } from '../engine/types';
import type { HistoryDelta, TrainingEvent } from '../worker/api';
import type { HistoryBuffer } from './history-buffer';

/** How many recent updates the gradient-norm window keeps. */
export const GRADIENT_WINDOW = 200;

export interface TrainingProgress {
  epoch: number;
  epochs: number;
  /** Updates since load/reset. */
  step: number;
  batchInEpoch: number;
  batchesPerEpoch: number;
  /** 0..1 over all epochs, counting the current epoch's batches. */
  fraction: number;
  samplesPerSecond: number;
  /** Estimated from samplesPerSecond while running; null otherwise. */
  secondsLeft: number | null;
}

export const EMPTY_PROGRESS: TrainingProgress = {
  epoch: 0,
  epochs: 0,
  step: 0,
  batchInEpoch: 0,
  batchesPerEpoch: 0,
  fraction: 0,
  samplesPerSecond: 0,
  secondsLeft: null,
};

/** Recent per-update ‖dC/dW‖ per dense layer (GradientHeatStrip's `columns` and `firstUpdate`). */
export interface GradientHistory {
  layerIds: string[];
  /** Update number of columns[0]. */
  firstUpdate: number;
  /** columns[c][l]: layer l at update firstUpdate + c. */
  columns: number[][];
}

export function emptyGradientHistory(): GradientHistory {
  return { layerIds: [], firstUpdate: 1, columns: [] };
}

/** Two history deltas, the second continuing the first, as one. */
export function joinDeltas(first: HistoryDelta, next: HistoryDelta): HistoryDelta {
  const entries = {} as History;
  for (const key of Object.keys(first.entries) as (keyof History)[])
    entries[key] = first.entries[key].concat(next.entries[key]);
  return { start: first.start, entries };
}

/** The events' history deltas in order, each run of deltas that follow on joined into one. */
export function joinedDeltas(events: readonly TrainingEvent[]): HistoryDelta[] {
  const joined: HistoryDelta[] = [];
  for (const { history: delta } of events) {
    const tail = joined.at(-1);
    if (tail && delta.start > 0 && delta.start === tail.start + tail.entries.epoch.length)
      joined[joined.length - 1] = joinDeltas(tail, delta);
    else joined.push(delta);
  }
  return joined;
}

/**
 * Add the deltas to `buffer` in order. After a gap (a delta that does not continue the history)
 * nothing is added until a delta replaces the whole history (start 0). Returns true when a gap
 * is left: the caller fetches the whole history from the worker.
 */
export function addDeltas(buffer: HistoryBuffer, deltas: readonly HistoryDelta[]): boolean {
  let gap = false;
  for (const delta of deltas) if (delta.start === 0 || !gap) gap = !buffer.add(delta);
  return gap;
}

/**
 * The window after an event: its series appended when it continues the window (same layers,
 * consecutive updates), otherwise a fresh window (after load, reset or a gap), capped to `window`.
 */
export function appendGradientNorms(
  current: GradientHistory,
  event: TrainingEvent,
  window: number = GRADIENT_WINDOW,
): GradientHistory {
  const series = event.gradientNorms;
  const sameLayers =
    series.layerIds.length === current.layerIds.length &&
    series.layerIds.every((id, i) => id === current.layerIds[i]);
  if (event.step === 0) return { layerIds: [...series.layerIds], firstUpdate: 1, columns: [] };
  if (series.norms.length === 0) return current;
  const continues =
    sameLayers && series.firstUpdate === current.firstUpdate + current.columns.length;
  const columns = continues ? [...current.columns, ...series.norms] : [...series.norms];
  const firstUpdate = continues ? current.firstUpdate : series.firstUpdate;
  const drop = Math.max(0, columns.length - window);
  return {
    layerIds: [...series.layerIds],
    firstUpdate: firstUpdate + drop,
    columns: drop > 0 ? columns.slice(drop) : columns,
  };
}

/** Progress after `event`; the time left is estimated from its samples/s over `trainRows` rows. */
export function progressOf(event: TrainingEvent, trainRows: number): TrainingProgress {
  const epochs = Math.max(event.epochs, 1);
  const within = event.batchesPerEpoch > 0 ? event.batchInEpoch / event.batchesPerEpoch : 0;
  const fraction = Math.min(1, (event.epoch + (event.status === 'done' ? 0 : within)) / epochs);
  const remainingSamples = (1 - fraction) * epochs * trainRows;
  return {
    epoch: event.epoch,
    epochs: event.epochs,
    step: event.step,
    batchInEpoch: event.batchInEpoch,
    batchesPerEpoch: event.batchesPerEpoch,
    fraction,
    samplesPerSecond: event.samplesPerSecond,
    secondsLeft:
      event.status === 'running' && event.samplesPerSecond > 0
        ? remainingSamples / event.samplesPerSecond
        : null,
  };
}
