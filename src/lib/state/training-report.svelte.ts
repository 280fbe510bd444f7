/**
 * What the training worker last reported, as `$state.raw` fields the panels read (written only
 * here and by TrainingState, which extends this; each assignment is a new object, so charts
 * update), and when it is published.
 *
 * Events arrive throttled (≤ 30/s). While training runs, what the page reads is published at most
 * every VIEW_INTERVAL_MS (all events since the last publication at once, joined by event-batch.ts,
 * from a task of its own), so the panels redraw at a steady rate however fast the worker reports;
 * an event that is not 'running' (pause, end, divergence, a step) is published at once. The
 * decision grid, confusion matrix and curve fit are refreshed at most every EXTRAS_INTERVAL_MS
 * while running (and once whenever training stops), with a copy of the trained state for a restart.
 */
import { emptyHistory, type History, type Metrics } from '../engine/types';
import type { LayerSpec } from '../engine/spec';
import { divergenceMessage } from '../engine/divergence';
import type { WorkerDataset } from './dataset-choice';
import type {
  ConfusionMatrixData,
  CurveFitData,
  DataInfo,
  DecisionGridData,
  GradientCheckReport,
  StepStats,
  PackedTrainedState,
  TrainingEvent,
  TrainingStatus,
} from '../worker/api';
import type { TrainingWorkerClient } from '../worker/client';
import {
  EMPTY_PROGRESS,
  addDeltas,
  appendGradientNorms,
  emptyGradientHistory,
  joinedDeltas,
  progressOf,
  type GradientHistory,
  type TrainingProgress,
} from './event-batch';
import { HistoryBuffer } from './history-buffer';
import { formatStatus } from './status-text';

/** Least time between two publications of running events to the page (ms): ≤ 10 redraws a second. */
export const VIEW_INTERVAL_MS = 100;
/** Least time between refreshes of grid / confusion matrix / curve fit while running (ms). */
export const EXTRAS_INTERVAL_MS = 300;
/**
 * While running, the charts' extras wait at least this many times as long as the last refresh
 * took: on Fashion-MNIST one confusion matrix (10,000 test images) costs the worker about half a
 * second, and asking every 300 ms would leave no time to train; 40 keeps it to ~2.5% of the time
 * (at 20, float64 products, mostly this pass over the test images, were 10% of the worker's
 * time in a float32 run).
 */
export const EXTRAS_COST_FACTOR = 40;
/** Least time between copies of the trained state kept for a restart while running (ms). */
export const WEIGHTS_BACKUP_INTERVAL_MS = 2000;
/** Cells per axis of the decision grid, and samples of the fitted curve. */
export const DECISION_GRID_RESOLUTION = 60;
export const CURVE_FIT_POINTS = 200;

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class TrainingReport {
  status = $state.raw<TrainingStatus>('idle');
  loaded = $state.raw(false);
  latest = $state.raw<TrainingEvent | null>(null);
  progress = $state.raw<TrainingProgress>(EMPTY_PROGRESS);
  /** Per-epoch history: a new object per publication over columns that grow in place. */
  history = $state.raw<History>(emptyHistory());
  metrics = $state.raw<Metrics | null>(null);
  /** Statistics of the latest update (per dense and per activation layer). */
  stats = $state.raw<StepStats | null>(null);
  gradientHistory = $state.raw<GradientHistory>(emptyGradientHistory());
  confusion = $state.raw<ConfusionMatrixData | null>(null);
  decisionGrid = $state.raw<DecisionGridData | null>(null);
  curveFit = $state.raw<CurveFitData | null>(null);
  gradientCheck = $state.raw<GradientCheckReport | null>(null);
  /** Facts about the loaded data (standardization, classes, split sizes). */
  dataInfo = $state.raw<DataInfo | null>(null);
  /** A training message from the worker (divergence with a suggestion), or null. */
  message = $state.raw<string | null>(null);
  /** The last failure (load, command, worker crash/hang) in plain words, or null. */
  error = $state.raw<string | null>(null);
  /** True while a command waits for the worker (load, step epoch, gradient check, ...). */
  busy = $state.raw(false);
  // What was loaded, kept for a restart.
  spec = $state.raw<LayerSpec | null>(null);
  dataset = $state.raw<WorkerDataset | null>(null);

  readonly statusText = $derived(formatStatus(this.status, this.progress, this.metrics));

  /**
   * The last trained state received, packed by the worker into a Blob (its numbers live outside
   * the page's heap, so a backup every few seconds of a large network makes no garbage here),
   * loaded into a new worker on restart: weights, optimizer state, epochs, updates and history.
   */
  protected trainedBackup: PackedTrainedState | null = null;
  readonly #now: () => number;
  readonly #client: () => TrainingWorkerClient | null;
  #lastSequence = -1;
  #lastBackup = -Infinity;
  #lastExtras = -Infinity;
  /** How long a running page waits between extras (grows with what they cost the worker). */
  #extrasInterval = EXTRAS_INTERVAL_MS;
  #extrasPending = false;
  #extrasAgain = false;
  #historyPending = false;
  #history = new HistoryBuffer();
  /** Running events received since the last publication, oldest first. */
  #unpublished: TrainingEvent[] = [];
  #publishTimer: ReturnType<typeof setTimeout> | undefined;
  #lastPublished = -Infinity;

  /** `client` is the current worker client (answers from an older one are dropped). */
  constructor(now: () => number, client: () => TrainingWorkerClient | null) {
    this.#now = now;
    this.#client = client;
  }

  /** An event from the worker (pushed, or the answer to a command). */
  protected receive(event: TrainingEvent): void {
    if (event.sequence <= this.#lastSequence) return;
    this.#lastSequence = event.sequence;
    this.#unpublished.push(event);
    const t = this.#now();
    // A running event is drawn from a task of its own (never in the task that received it).
    if (event.status !== 'running') this.#publish();
    else
      this.#publishTimer ??= setTimeout(
        () => this.#publish(),
        Math.max(0, this.#lastPublished + VIEW_INTERVAL_MS - t),
      );
    const running = event.status === 'running';
    if (!running || t - this.#lastExtras >= this.#extrasInterval) void this.refreshExtras(!running);
  }

  /** A new network (load): empty views, then its first event at once. */
  protected startOver(first: TrainingEvent): void {
    this.forgetEvents();
    this.#history.replace(emptyHistory());
    this.history = this.#history.view();
    this.metrics = null;
    this.stats = null;
    this.gradientHistory = emptyGradientHistory();
    this.confusion = null;
    this.decisionGrid = null;
    this.curveFit = null;
    this.#unpublished.push(first);
    this.#publish();
  }

  /** Drop events not yet published and the sequence seen (a new load, a new worker). */
  protected forgetEvents(): void {
    clearTimeout(this.#publishTimer);
    this.#publishTimer = undefined;
    this.#unpublished = [];
    this.#lastSequence = -1;
  }

  /** Apply every event received since the last publication, in one batch of assignments. */
  #publish(): void {
    clearTimeout(this.#publishTimer);
    this.#publishTimer = undefined;
    const events = this.#unpublished;
    if (events.length === 0) return;
    this.#unpublished = [];
    this.#lastPublished = this.#now();
    // The history grows once per publication, not once per event (the buffer appends in place).
    const gap = addDeltas(this.#history, joinedDeltas(events));
    let gradientHistory = this.gradientHistory;
    for (const event of events) gradientHistory = appendGradientNorms(gradientHistory, event);
    if (gap) this.#fetchHistory();
    else this.history = this.#history.view();
    this.gradientHistory = gradientHistory;
    const last = events[events.length - 1];
    this.#lastSequence = Math.max(this.#lastSequence, last.sequence);
    this.latest = last;
    this.status = last.status;
    this.metrics = last.metrics;
    this.stats = last.stats;
    this.message = last.divergence ? divergenceMessage(last.divergence) : null;
    this.progress = progressOf(last, this.dataInfo?.trainRows ?? 0);
  }

  /** After a gap in the history (missed events), fetch the whole of it from the worker. */
  #fetchHistory(): void {
    const client = this.#client();
    if (!client || this.#historyPending) return;
    this.#historyPending = true;
    client.api
      .getHistory()
      .then(
        (history) => {
          if (client !== this.#client()) return;
          this.#history.replace(history);
          this.history = this.#history.view();
        },
        (e) => {
          if (client === this.#client()) this.error = messageOf(e);
        },
      )
      .finally(() => {
        this.#historyPending = false;
      });
  }

  /** Grid / confusion / curve (and a weights backup), one request at a time. */
  protected async refreshExtras(force: boolean): Promise<void> {
    const client = this.#client();
    if (!client || !this.loaded) return;
    if (this.#extrasPending) {
      this.#extrasAgain ||= force;
      return;
    }
    this.#extrasPending = true;
    this.#lastExtras = this.#now();
    try {
      const [grid, confusion, curve] = await Promise.all([
        client.api.decisionGrid(DECISION_GRID_RESOLUTION),
        client.api.confusionMatrix(),
        client.api.curveFit(CURVE_FIT_POINTS),
      ]);
      if (client !== this.#client()) return;
      const took = this.#now() - this.#lastExtras;
      this.#extrasInterval = Math.max(EXTRAS_INTERVAL_MS, EXTRAS_COST_FACTOR * took);
      this.decisionGrid = grid;
      this.confusion = confusion;
      this.curveFit = curve;
      const t = this.#now();
      if (force || t - this.#lastBackup >= WEIGHTS_BACKUP_INTERVAL_MS) {
        this.#lastBackup = t;
        const backup = await client.api.packTrainedState();
        if (client === this.#client()) this.trainedBackup = backup;
      }
    } catch (e) {
      if (client === this.#client()) this.error = messageOf(e);
    } finally {
      this.#extrasPending = false;
      if (this.#extrasAgain) {
        this.#extrasAgain = false;
        void this.refreshExtras(true);
      }
    }
  }
}
