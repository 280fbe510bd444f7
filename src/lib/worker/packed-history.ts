/**
 * A run's per-epoch history with its columns as Float64Arrays: the form in which it crosses from
 * the worker to the page and goes into IndexedDB. A Float64Array is cloned as one block of bytes;
 * a number[] element by element (about 100 ms of the page's main thread for 100k epochs).
 */
import { emptyHistory, type History } from '../engine/types';

export type PackedHistory = { [K in keyof History]: Float64Array };

const COLUMNS = Object.keys(emptyHistory()) as (keyof History)[];

export function packHistory(h: History): PackedHistory {
  const packed = {} as PackedHistory;
  for (const key of COLUMNS) packed[key] = Float64Array.from(h[key] ?? []);
  return packed;
}

/** Plain arrays again (in the worker, which trains on with them); a History is copied as it is. */
export function unpackHistory(h: History | PackedHistory): History {
  const history = emptyHistory();
  for (const key of COLUMNS) history[key] = Array.from(h[key] ?? []);
  return history;
}

/** The buffers to transfer with a packed history. */
export function packedBuffers(h: PackedHistory): ArrayBuffer[] {
  return COLUMNS.map((key) => h[key].buffer as ArrayBuffer);
}
