/**
 * The page's one training worker and its health (like the svelte.dev REPL's Bundler): it creates
 * the worker client when first needed, subscribes to its events, says when it crashed or hung,
 * and throws it away for a new one on restart. What is sent and what comes back is TrainingState's.
 * While the worker is busy building, `progress` says what it is doing (the client counts the same
 * messages as signs of life, so a busy worker is not declared hung).
 */
import * as Comlink from 'comlink';
import type { TrainingEvent } from '../worker/api';
import {
  createWorkerClient,
  type TrainingWorkerClient,
  type WorkerFailure,
} from '../worker/client';

/** none: no worker yet; starting: being created/loaded; ready; crashed or hung: restart needed. */
export type WorkerHealth = 'none' | 'starting' | 'ready' | 'crashed' | 'hung';

export interface WorkerConnectionHooks {
  /** An event from the current worker (never from one already thrown away). */
  onEvent(event: TrainingEvent): void;
  /** The current worker crashed or hung. */
  onFailure(failure: WorkerFailure): void;
}

export class WorkerConnection {
  #health = $state.raw<WorkerHealth>('none');
  #progress = $state.raw<string | null>(null);
  #client: TrainingWorkerClient | null = null;
  readonly #createClient: () => TrainingWorkerClient;
  readonly #hooks: WorkerConnectionHooks;

  constructor(hooks: WorkerConnectionHooks, createClient?: () => TrainingWorkerClient) {
    this.#hooks = hooks;
    this.#createClient = createClient ?? (() => createWorkerClient());
  }

  get health(): WorkerHealth {
    return this.#health;
  }

  /** What the busy worker last said it is doing, until its next event or answer; or null. */
  get progress(): string | null {
    return this.#progress;
  }

  /** Crashed or hung: nothing can be asked of it until a restart. */
  get down(): boolean {
    return this.#health === 'crashed' || this.#health === 'hung';
  }

  /** The current client, or null (none yet, or thrown away). */
  get client(): TrainingWorkerClient | null {
    return this.#client;
  }

  /** The current client, created and subscribed when there is none. */
  ensure(): TrainingWorkerClient {
    if (this.#client) return this.#client;
    this.#health = 'starting';
    const client = this.#createClient();
    this.#client = client;
    client.onFailure((failure) => {
      if (this.#client !== client) return;
      this.#health = failure.kind;
      this.#progress = null;
      this.#hooks.onFailure(failure);
    });
    client.onProgress((text) => {
      if (this.#client === client) this.#progress = text;
    });
    void client.api.subscribe(
      Comlink.proxy((event: TrainingEvent) => {
        if (this.#client !== client) return;
        // An event comes when the work is done: the progress said is over.
        this.#progress = null;
        this.#hooks.onEvent(event);
      }),
    );
    return client;
  }

  /** A load was answered: accepted, the worker is up; refused, it still answered when starting. */
  answered(accepted: boolean): void {
    if (accepted || this.#health === 'starting') this.#health = 'ready';
    this.#progress = null;
  }

  /** Terminate the worker; the next ensure() makes a new one. */
  dispose(): void {
    const client = this.#client;
    this.#client = null;
    this.#health = 'none';
    this.#progress = null;
    client?.dispose();
  }
}
