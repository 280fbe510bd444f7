/**
 * The training session as the page sees it: what the worker last reported, as `$state.raw`
 * fields the panels read (each assignment is a new object, so charts update), and verbs that
 * forward to the worker. The engine never runs here: every number comes from the worker.
 *
 * Events arrive throttled (≤ 30/s). Each one appends its new epochs to the history and its
 * per-update gradient norms to a recent window for the heat strip, and brings the newest status,
 * progress, metrics and gradient statistics. While training runs, what the page reads is
 * published at most every VIEW_INTERVAL_MS (all events since the last publication at once, from a
 * task of its own), so the panels redraw at a steady rate however fast the worker reports; an
 * event that is not 'running' (pause, end, divergence, a step) is published at once. While
 * training runs, the decision grid, confusion matrix and curve fit are refreshed at most every
 * EXTRAS_INTERVAL_MS (and once whenever training stops).
 *
 * If the worker crashes or hangs, `health` says so and `error` explains; restartWorker() makes a
 * new worker and loads the same spec, data, settings and the last weights it received.
 */
import * as Comlink from 'comlink';
import { emptyHistory, type History, type Metrics, type WeightsJson } from '../engine/types';
import type { LayerSpec } from '../engine/spec';
import type { TrainingSettings } from '../engine/settings';
import type { Dataset } from '../data/types';
import {
  type ConfusionMatrixData,
  type CurveFitData,
  type DataInfo,
  type DecisionGridData,
  type GradientCheckReport,
  type HistoryDelta,
  type ModelState,
  type StepStats,
  type TrainingEvent,
  type TrainingStatus,
} from '../worker/api';
import { createWorkerClient, type TrainingWorkerClient } from '../worker/client';
import { HistoryBuffer } from './history-buffer';

/** How many recent updates the gradient-norm window keeps. */
export const GRADIENT_WINDOW = 200;
/** Least time between two publications of running events to the page (ms): ≤ 10 redraws a second. */
export const VIEW_INTERVAL_MS = 100;
/** Least time between refreshes of grid / confusion matrix / curve fit while running (ms). */
export const EXTRAS_INTERVAL_MS = 300;
/** Least time between copies of the weights kept for a restart while running (ms). */
export const WEIGHTS_BACKUP_INTERVAL_MS = 2000;
/** Cells per axis of the decision grid, and samples of the fitted curve. */
export const DECISION_GRID_RESOLUTION = 60;
export const CURVE_FIT_POINTS = 200;

/** none: no worker yet; starting: being created/loaded; ready; crashed or hung: restart needed. */
export type WorkerHealth = 'none' | 'starting' | 'ready' | 'crashed' | 'hung';

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

/** Recent per-update ‖dC/dW‖ per dense layer (GradientHeatStrip's `columns` and `firstUpdate`). */
export interface GradientHistory {
  layerIds: string[];
  /** Update number of columns[0]. */
  firstUpdate: number;
  /** columns[c][l]: layer l at update firstUpdate + c. */
  columns: number[][];
}

export interface TrainingSessionOptions {
  /** Makes the worker client (tests pass an in-process one). */
  createClient?: () => TrainingWorkerClient;
  now?: () => number;
}

const EMPTY_PROGRESS: TrainingProgress = {
  epoch: 0,
  epochs: 0,
  step: 0,
  batchInEpoch: 0,
  batchesPerEpoch: 0,
  fraction: 0,
  samplesPerSecond: 0,
  secondsLeft: null,
};

function emptyGradientHistory(): GradientHistory {
  return { layerIds: [], firstUpdate: 1, columns: [] };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function copyDataset(d: Dataset): Dataset {
  return {
    ...d,
    features: [...d.features],
    classes: [...d.classes],
    X: { rows: d.X.rows, cols: d.X.cols, data: d.X.data.slice() },
    y: d.y.slice(),
  };
}

/** "Epoch 120/500 · train loss 0.061 · test accuracy 96.7%" (DESIGN §7). */
export function formatStatus(
  status: TrainingStatus,
  progress: TrainingProgress,
  metrics: Metrics | null,
): string {
  const parts = [`Epoch ${progress.epoch}/${progress.epochs}`];
  if (metrics) {
    parts.push(`train loss ${formatLoss(metrics.trainLoss)}`);
    if (metrics.testAccuracy !== undefined && Number.isFinite(metrics.testAccuracy))
      parts.push(`test accuracy ${(metrics.testAccuracy * 100).toFixed(1)}%`);
    else if (metrics.testR2 !== undefined && Number.isFinite(metrics.testR2))
      parts.push(`test R² ${metrics.testR2.toFixed(3)}`);
  }
  if (status === 'diverged') parts.push('diverged');
  else if (status === 'done') parts.push('done');
  else if (status === 'paused') parts.push('paused');
  return parts.join(' · ');
}

function formatLoss(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 0.001 || v === 0
    ? v.toPrecision(3).replace(/\.?0+$/, '')
    : v.toExponential(2);
}

export class TrainingSession {
  // What the worker last reported.
  status = $state.raw<TrainingStatus>('idle');
  loaded = $state.raw(false);
  health = $state.raw<WorkerHealth>('none');
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

  // What was sent, kept for a restart.
  spec = $state.raw<LayerSpec | null>(null);
  dataset = $state.raw<Dataset | null>(null);
  settings = $state.raw<TrainingSettings | null>(null);

  readonly statusText = $derived(formatStatus(this.status, this.progress, this.metrics));

  #client: TrainingWorkerClient | null = null;
  #createClient: () => TrainingWorkerClient;
  #now: () => number;
  #lastSequence = -1;
  #weightsBackup: WeightsJson | null = null;
  #lastBackup = -Infinity;
  #lastExtras = -Infinity;
  #extrasPending = false;
  #extrasAgain = false;
  #historyPending = false;
  #history = new HistoryBuffer();
  /** Running events received since the last publication, oldest first. */
  #unpublished: TrainingEvent[] = [];
  #publishTimer: ReturnType<typeof setTimeout> | undefined;
  #lastPublished = -Infinity;

  constructor(options: TrainingSessionOptions = {}) {
    this.#createClient = options.createClient ?? (() => createWorkerClient());
    this.#now = options.now ?? (() => Date.now());
  }

  /** Send a network, its data and settings to the worker (replacing what it had). */
  async load(
    spec: LayerSpec,
    dataset: Dataset,
    settings: TrainingSettings,
    weights: WeightsJson | null = null,
  ): Promise<boolean> {
    const client = this.#ensureClient();
    const sent = copyDataset(dataset);
    this.busy = true;
    try {
      // Preparing a large dataset can take a while: the heartbeat waits longer meanwhile.
      const result = await client.slow(
        client.api.load(
          Comlink.transfer({ spec, dataset: sent, settings, weights }, [
            sent.X.data.buffer,
            sent.y.buffer,
          ]),
        ),
      );
      this.spec = spec;
      this.dataset = dataset;
      this.settings = settings;
      const { event, ...info } = result;
      this.dataInfo = info;
      this.loaded = true;
      this.health = 'ready';
      this.error = null;
      this.gradientCheck = null;
      this.#weightsBackup = weights;
      this.#resetViews();
      this.#unpublished.push(event);
      this.#publish();
      await this.#refreshExtras(true);
      return true;
    } catch (e) {
      this.error = messageOf(e);
      if (this.health === 'starting') this.health = 'ready';
      return false;
    } finally {
      this.busy = false;
    }
  }

  train(): Promise<boolean> {
    return this.#command((api) => api.start());
  }

  pause(): Promise<boolean> {
    return this.#command((api) => api.pause());
  }

  step(): Promise<boolean> {
    return this.#command((api) => api.step());
  }

  stepEpoch(): Promise<boolean> {
    // A whole epoch in one call: on a big dataset the worker may be busy for a while.
    return this.#command((api) => api.stepEpoch(), true);
  }

  async reset(): Promise<boolean> {
    const ok = await this.#command((api) => api.reset());
    if (ok) await this.#refreshDataInfo();
    if (ok) {
      this.gradientCheck = null;
      this.#weightsBackup = null;
    }
    return ok;
  }

  /** Change settings; sent to the worker at once when loaded (applied between steps). */
  async updateSettings(partial: Partial<TrainingSettings>): Promise<boolean> {
    if (!this.loaded || !this.settings) {
      if (this.settings) this.settings = { ...this.settings, ...partial };
      return true;
    }
    const ok = await this.#command((api) => api.updateSettings(partial));
    if (ok) this.settings = { ...this.settings, ...partial };
    if (ok && (partial.testFraction !== undefined || partial.standardize !== undefined))
      await this.#refreshDataInfo();
    return ok;
  }

  /** The worker's part of the model file (weights, settings, history, metrics, standardization). */
  async exportModel(): Promise<ModelState | null> {
    const client = this.#readyClient();
    if (!client) return null;
    try {
      const state = await client.api.getModelState();
      this.#weightsBackup = state.weights;
      return state;
    } catch (e) {
      this.error = messageOf(e);
      return null;
    }
  }

  /** Load weights (validated by the worker: bad weights change nothing and set `error`). */
  async importWeights(weights: WeightsJson): Promise<boolean> {
    const ok = await this.#command((api) => api.setWeights(weights));
    if (ok) this.#weightsBackup = weights;
    return ok;
  }

  /** Finite-difference check on the current mini-batch; the report lands in `gradientCheck`. */
  async checkGradients(): Promise<GradientCheckReport | null> {
    const client = this.#readyClient();
    if (!client) return null;
    this.busy = true;
    try {
      const report = await client.slow(client.api.checkGradients());
      this.gradientCheck = report;
      return report;
    } catch (e) {
      this.error = messageOf(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  /** A new worker with the same spec, data, settings and the last weights received. */
  async restartWorker(): Promise<boolean> {
    this.#disposeClient();
    this.health = 'none';
    if (!this.spec || !this.dataset || !this.settings) return true;
    const weights = this.#weightsBackup;
    return this.load(this.spec, this.dataset, this.settings, weights);
  }

  /** Stop the worker (e.g. when the page goes away). */
  dispose(): void {
    this.#disposeClient();
    this.health = 'none';
    this.loaded = false;
  }

  #ensureClient(): TrainingWorkerClient {
    if (this.#client) return this.#client;
    this.health = 'starting';
    const client = this.#createClient();
    this.#client = client;
    client.onFailure((failure) => {
      if (this.#client !== client) return;
      this.health = failure.kind;
      this.error = failure.message;
      if (this.status === 'running') this.status = 'paused';
    });
    void client.api.subscribe(
      Comlink.proxy((event: TrainingEvent) => this.#onEvent(client, event)),
    );
    return client;
  }

  /** The split may have changed (test fraction, standardize, a new seed at reset). */
  async #refreshDataInfo(): Promise<void> {
    const client = this.#readyClient();
    if (!client) return;
    try {
      this.dataInfo = await client.api.getDataInfo();
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  #readyClient(): TrainingWorkerClient | null {
    if (!this.#client || !this.loaded) {
      this.error = 'Load a network and a dataset first.';
      return null;
    }
    if (this.health === 'crashed' || this.health === 'hung') return null;
    return this.#client;
  }

  #disposeClient(): void {
    const client = this.#client;
    this.#client = null;
    this.#dropUnpublished();
    this.#lastSequence = -1;
    client?.dispose();
  }

  async #command(
    call: (api: TrainingWorkerClient['api']) => Promise<TrainingEvent>,
    slow = false,
  ): Promise<boolean> {
    const client = this.#readyClient();
    if (!client) return false;
    try {
      const event = await (slow ? client.slow(call(client.api)) : call(client.api));
      this.error = null;
      this.#onEvent(client, event);
      return true;
    } catch (e) {
      this.error = messageOf(e);
      return false;
    }
  }

  #onEvent(client: TrainingWorkerClient, event: TrainingEvent): void {
    if (client !== this.#client || event.sequence <= this.#lastSequence) return;
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
    if (!running || t - this.#lastExtras >= EXTRAS_INTERVAL_MS) void this.#refreshExtras(!running);
  }

  /** Apply every event received since the last publication, in one batch of assignments. */
  #publish(): void {
    clearTimeout(this.#publishTimer);
    this.#publishTimer = undefined;
    const events = this.#unpublished;
    if (events.length === 0) return;
    this.#unpublished = [];
    this.#lastPublished = this.#now();
    // The events' history deltas, joined while they follow on, are added to the (long) history
    // once per publication, not once per event; the buffer appends them in place.
    let gap = false;
    let tail: HistoryDelta | null = null;
    const addTail = () => {
      if (!tail) return;
      // After a gap nothing is added until a delta replaces the whole history (start 0).
      if (tail.start === 0 || !gap) gap = !this.#history.add(tail);
      tail = null;
    };
    let gradientHistory = this.gradientHistory;
    for (const event of events) {
      const delta = event.history;
      if (tail && delta.start === tail.start + tail.entries.epoch.length && delta.start > 0)
        tail = joinDeltas(tail, delta);
      else {
        addTail();
        tail = delta;
      }
      gradientHistory = appendGradientNorms(gradientHistory, event, GRADIENT_WINDOW);
    }
    addTail();
    const last = events[events.length - 1];
    if (gap) this.#fetchHistory();
    else this.history = this.#history.view();
    this.gradientHistory = gradientHistory;
    this.#apply(last);
  }

  /** Drop events not yet published (a reset, a new load, a new worker). */
  #dropUnpublished(): void {
    clearTimeout(this.#publishTimer);
    this.#publishTimer = undefined;
    this.#unpublished = [];
  }

  #resetViews(): void {
    this.#dropUnpublished();
    this.#lastSequence = -1;
    this.#history.replace(emptyHistory());
    this.history = this.#history.view();
    this.metrics = null;
    this.stats = null;
    this.gradientHistory = emptyGradientHistory();
    this.confusion = null;
    this.decisionGrid = null;
    this.curveFit = null;
  }

  /** The newest event's status, progress, metrics and statistics (history merged by the caller). */
  #apply(event: TrainingEvent): void {
    this.#lastSequence = Math.max(this.#lastSequence, event.sequence);
    this.latest = event;
    this.status = event.status;
    this.metrics = event.metrics;
    this.stats = event.stats;
    this.message = event.message;
    const epochs = Math.max(event.epochs, 1);
    const within = event.batchesPerEpoch > 0 ? event.batchInEpoch / event.batchesPerEpoch : 0;
    const fraction = Math.min(1, (event.epoch + (event.status === 'done' ? 0 : within)) / epochs);
    const trainRows = this.dataInfo?.trainRows ?? 0;
    const remainingSamples = (1 - fraction) * epochs * trainRows;
    this.progress = {
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

  /** After a gap in the history (missed events), fetch the whole of it from the worker. */
  #fetchHistory(): void {
    const client = this.#client;
    if (!client || this.#historyPending) return;
    this.#historyPending = true;
    client.api
      .getHistory()
      .then(
        (history) => {
          if (client !== this.#client) return;
          this.#history.replace(history);
          this.history = this.#history.view();
        },
        (e) => {
          if (client === this.#client) this.error = messageOf(e);
        },
      )
      .finally(() => {
        this.#historyPending = false;
      });
  }

  /** Grid / confusion / curve (and a weights backup), one request at a time. */
  async #refreshExtras(force: boolean): Promise<void> {
    const client = this.#client;
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
      if (client !== this.#client) return;
      this.decisionGrid = grid;
      this.confusion = confusion;
      this.curveFit = curve;
      const t = this.#now();
      if (force || t - this.#lastBackup >= WEIGHTS_BACKUP_INTERVAL_MS) {
        this.#lastBackup = t;
        this.#weightsBackup = await client.api.getWeights();
      }
    } catch (e) {
      if (client === this.#client) this.error = messageOf(e);
    } finally {
      this.#extrasPending = false;
      if (this.#extrasAgain) {
        this.#extrasAgain = false;
        void this.#refreshExtras(true);
      }
    }
  }
}

/** Two history deltas, the second continuing the first, as one. */
export function joinDeltas(first: HistoryDelta, next: HistoryDelta): HistoryDelta {
  const entries = {} as History;
  for (const key of Object.keys(first.entries) as (keyof History)[])
    entries[key] = first.entries[key].concat(next.entries[key]);
  return { start: first.start, entries };
}

/**
 * The window after an event: its series appended when it continues the window (same layers,
 * consecutive updates), otherwise a fresh window (after load, reset or a gap), capped to `window`.
 */
export function appendGradientNorms(
  current: GradientHistory,
  event: TrainingEvent,
  window: number,
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
