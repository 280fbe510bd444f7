/**
 * The run's per-epoch history as the page keeps it: one growing array per column, appended to
 * in place, so a publication costs time in the new epochs only (a copy of every column per
 * publication would be tens of megabytes of garbage a second late in a 100k-epoch run).
 *
 * Each publication hands out a new History object (new identity, so `$state.raw` readers and
 * charts see a change) whose columns are the shared arrays. The arrays only ever grow at the
 * end: entries already published never change, though an older view also sees the epochs
 * appended since (readers that keep one must copy it, as thinHistory does for the charts). A
 * history from epoch 0 (load, reset, a fetch after a gap) starts new arrays, so views handed
 * out before keep exactly their entries.
 */
import { emptyHistory, type History } from '../engine/types';
import type { HistoryDelta } from '../worker/api';

const COLUMNS = Object.keys(emptyHistory()) as (keyof History)[];

export class HistoryBuffer {
  #columns: History = emptyHistory();

  /** Epochs held. */
  get length(): number {
    return this.#columns.epoch.length;
  }

  /** A new object over the shared columns (O(1): nothing is copied). */
  view(): History {
    return { ...this.#columns };
  }

  /** Start over with `entries` (copied: the buffer will append to its arrays). */
  replace(entries: History): void {
    const columns = emptyHistory();
    for (const key of COLUMNS) columns[key] = entries[key].slice();
    this.#columns = columns;
  }

  /**
   * Add a delta: from epoch 0 it replaces the history, right after the last epoch it is
   * appended (cost: its own entries). Returns false, changing nothing, when it leaves a gap.
   */
  add(delta: HistoryDelta): boolean {
    if (delta.start === 0) {
      this.replace(delta.entries);
      return true;
    }
    if (delta.start !== this.length) return false;
    for (const key of COLUMNS) appendTo(this.#columns[key], delta.entries[key]);
    return true;
  }
}

/** Push in place (no spread: a long delta would overflow the argument list). */
function appendTo(target: number[], values: readonly number[]): void {
  for (const v of values) target.push(v);
}
