/**
 * What a busy worker says while it works (preparing data, building a large network): a plain
 * message posted beside comlink's, which the page's client counts as a sign of life (a busy
 * worker is not hung) and the status line shows.
 */

/** The `type` of a progress message (comlink ignores messages without its own id). */
export const WORKER_PROGRESS = 'backprop-studio:progress';

export interface WorkerProgress {
  type: typeof WORKER_PROGRESS;
  /** What the worker is doing, in words: "Building the network: 2 × Dense 2000 …". */
  text: string;
}

/** A progress message from the worker, or not (outside input: never throws). */
export function isWorkerProgress(data: unknown): data is WorkerProgress {
  if (typeof data !== 'object' || data === null) return false;
  const d = data as Partial<WorkerProgress>;
  return d.type === WORKER_PROGRESS && typeof d.text === 'string';
}

/** A progress reporter posting through `post` (the worker's postMessage). */
export function progressPoster(post: (message: WorkerProgress) => void): (text: string) => void {
  return (text) => post({ type: WORKER_PROGRESS, text });
}
