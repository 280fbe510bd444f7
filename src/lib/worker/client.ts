/**
 * The page's side of the training worker: creates the Worker, wraps it with comlink, and watches
 * it. A crash (an uncaught error in the worker, a message that cannot be read) or a hang (a
 * heartbeat ping not answered in time) is reported once through onFailure; the owner then
 * disposes this client and creates a new one (WorkerConnection, for TrainingState.restartWorker).
 * A worker busy with a long build posts progress (progress.ts): each message is a sign of life
 * that restarts the wait for the ping's answer, and goes to onProgress for the status line.
 */
import * as Comlink from 'comlink';
import type { WorkerApi } from './dataset-api';
import { isWorkerProgress } from './progress';

export type WorkerFailureKind = 'crashed' | 'hung';

export interface WorkerFailure {
  kind: WorkerFailureKind;
  /** A plain message for the user. */
  message: string;
}

export interface TrainingWorkerClient {
  readonly api: Comlink.Remote<WorkerApi>;
  /** Register the failure listener (called at most once per client). */
  onFailure(listener: (failure: WorkerFailure) => void): void;
  /** Register the listener for what a busy worker says it is doing (progress.ts). */
  onProgress(listener: (text: string) => void): void;
  /**
   * Mark a call that may keep the worker busy for long (gradient check on a big network): the
   * heartbeat waits up to SLOW_CALL_TIMEOUT_MS while it is pending.
   */
  slow<T>(call: Promise<T>): Promise<T>;
  /** Stop the heartbeat and terminate the worker. */
  dispose(): void;
}

export interface HeartbeatOptions {
  /** How often a ping is sent (ms). */
  intervalMs?: number;
  /** A ping unanswered for this long means the worker hangs (ms). */
  timeoutMs?: number;
  /** The same while a slow call is pending (ms). */
  slowTimeoutMs?: number;
  /** The clock (injected by tests). */
  now?: () => number;
}

export const HEARTBEAT_INTERVAL_MS = 1000;
export const HEARTBEAT_TIMEOUT_MS = 5000;
export const SLOW_CALL_TIMEOUT_MS = 120_000;

/** The subset of Worker (browser) that the client uses; worker_threads adapters fit too. */
export interface WorkerLike extends Comlink.Endpoint {
  terminate(): void;
}

/** Create the real module worker (Vite bundles training-worker.ts as a separate chunk). */
export function createTrainingWorker(): Worker {
  return new Worker(new URL('./training-worker.ts', import.meta.url), {
    type: 'module',
    name: 'training',
  });
}

/**
 * Wrap `worker` with comlink and watch it. `worker` defaults to a new training worker; tests pass
 * a worker_threads worker through comlink's node adapter.
 */
export function createWorkerClient(
  worker: WorkerLike = createTrainingWorker(),
  options: HeartbeatOptions = {},
): TrainingWorkerClient {
  const intervalMs = options.intervalMs ?? HEARTBEAT_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? HEARTBEAT_TIMEOUT_MS;
  const slowTimeoutMs = options.slowTimeoutMs ?? SLOW_CALL_TIMEOUT_MS;
  const now = options.now ?? (() => Date.now());
  const api = Comlink.wrap<WorkerApi>(worker);

  let listener: ((failure: WorkerFailure) => void) | null = null;
  let progressListener: ((text: string) => void) | null = null;
  let failed: WorkerFailure | null = null;
  let disposed = false;
  let slowCalls = 0;
  /**
   * Since when the worker has given no sign of life while a ping is outstanding: when the ping was
   * sent, or the last progress message since (null: no ping outstanding).
   */
  let pingSentAt: number | null = null;
  let token = 0;

  function fail(failure: WorkerFailure): void {
    if (failed || disposed) return;
    failed = failure;
    clearInterval(timer);
    listener?.(failure);
  }

  const onError = (event: Event) => {
    // An ErrorEvent in browsers; read its message without relying on the class (absent in Node).
    const text = (event as Event & { message?: unknown }).message;
    const message = typeof text === 'string' && text ? ` (${text})` : '';
    fail({
      kind: 'crashed',
      message: `The training worker crashed${message}. Restart it to go on: the graph and the data are kept.`,
    });
  };
  const onMessageError = () =>
    fail({
      kind: 'crashed',
      message:
        'The training worker sent a message the page could not read. Restart it to go on: the graph and the data are kept.',
    });
  const onMessage = (event: Event) => {
    const data = (event as MessageEvent).data;
    if (!isWorkerProgress(data) || failed || disposed) return;
    // Busy, not hung: the wait for the ping's answer starts again.
    if (pingSentAt !== null) pingSentAt = now();
    progressListener?.(data.text);
  };
  worker.addEventListener('message', onMessage as EventListener);
  worker.addEventListener('error', onError as EventListener);
  worker.addEventListener('messageerror', onMessageError as EventListener);

  function beat(): void {
    if (failed || disposed) return;
    const t = now();
    if (pingSentAt !== null) {
      const limit = slowCalls > 0 ? slowTimeoutMs : timeoutMs;
      if (t - pingSentAt > limit)
        fail({
          kind: 'hung',
          message: `The training worker has not answered for ${Math.round((t - pingSentAt) / 1000)} s. Restart it to go on: the graph and the data are kept.`,
        });
      return;
    }
    pingSentAt = t;
    const sent = ++token;
    api.ping(sent).then(
      (answer) => {
        if (answer === sent) pingSentAt = null;
      },
      () => {
        /* a rejected ping means the port is gone; error/messageerror report it */
      },
    );
  }
  const timer = setInterval(beat, intervalMs);

  return {
    api,
    onFailure(fn) {
      listener = fn;
      if (failed) fn(failed);
    },
    onProgress(fn) {
      progressListener = fn;
    },
    async slow(call) {
      slowCalls++;
      try {
        return await call;
      } finally {
        slowCalls--;
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      clearInterval(timer);
      worker.removeEventListener('message', onMessage as EventListener);
      worker.removeEventListener('error', onError as EventListener);
      worker.removeEventListener('messageerror', onMessageError as EventListener);
      worker.terminate();
    },
  };
}
