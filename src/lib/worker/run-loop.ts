/**
 * The worker's chunked run loop: steps run in chunks of at most `chunkMs` (by the injected
 * clock), then the loop yields through `schedule` so the worker's message loop can deliver
 * pause(), configure() and ping() between steps. It knows nothing of trainers: it is told how to
 * take a step, whether another may be taken, and how to report.
 */

export interface RunLoopOptions {
  /** Milliseconds (performance.now by default); tests inject a fake clock. */
  now: () => number;
  /** Run `task` soon, after pending messages. */
  schedule: (task: () => void) => void;
  /** Longest chunk of steps between yields (ms). */
  chunkMs: number;
  /** Most steps per chunk (guards against a clock that does not move). */
  maxStepsPerChunk: number;
}

export interface RunHooks {
  /** Whether another step may be taken (loaded, not done, not diverged). */
  canStep(): boolean;
  step(): void;
  /** After a chunk, while still running: report progress if it is time to. */
  chunkDone(): void;
  /** The run ended by itself (done or diverged). */
  ended(): void;
}

export class RunLoop {
  readonly #options: RunLoopOptions;
  readonly #hooks: RunHooks;
  #running = false;
  /** Bumped by every stop so a scheduled chunk of an older run does nothing. */
  #runId = 0;

  constructor(options: RunLoopOptions, hooks: RunHooks) {
    this.#options = options;
    this.#hooks = hooks;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Start running (does nothing when already running). */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    const runId = ++this.#runId;
    this.#options.schedule(() => this.#chunk(runId));
  }

  /** Stop after the current step; a chunk already scheduled does nothing. */
  stop(): void {
    this.#running = false;
    this.#runId++;
  }

  #chunk(runId: number): void {
    if (runId !== this.#runId || !this.#running) return;
    const { now, chunkMs, maxStepsPerChunk } = this.#options;
    const t0 = now();
    for (let n = 0; n < maxStepsPerChunk; n++) {
      if (!this.#hooks.canStep()) break;
      this.#hooks.step();
      if (now() - t0 >= chunkMs) break;
    }
    if (!this.#hooks.canStep()) {
      this.stop();
      this.#hooks.ended();
      return;
    }
    this.#hooks.chunkDone();
    this.#options.schedule(() => this.#chunk(runId));
  }
}
