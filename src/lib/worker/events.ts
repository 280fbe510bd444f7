/**
 * What the worker's events say, and what they need recorded between them: every update's
 * ‖dC/dW‖ per layer (so throttled events still carry the whole series for the heat strip), the
 * latest batch's loss and place in its epoch, samples per second, the latest update's statistics
 * and how much of the history was already sent. `build` turns that and the trainer into one
 * TrainingEvent.
 *
 * The latest update's statistics cost about one more forward and backward pass of the batch, and
 * the page shows them at most VIEW_INTERVAL_MS apart: while running they are measured again only
 * when STATS_INTERVAL_MS and STATS_COST_FACTOR times their last cost have passed (an event in
 * between carries the previous ones, with their update number); an event that ends a run or
 * answers a command always carries those of the latest update.
 */
import { forward } from '../engine/network';
import type { Trainer, StepReport } from '../engine/trainer';
import { emptyHistory, type History, type Metrics } from '../engine/types';
import {
  MAX_SERIES_PER_EVENT,
  type ActivationLayerStats,
  type HistoryDelta,
  type StepStats,
  type TrainingEvent,
  type TrainingStatus,
} from './api';
import type { Training } from './build';
import { activationLayerStats, denseLayerStats, frobeniusNorm, wireGradientNorms } from './stats';

/** Least time between two measurements of the latest update's statistics while running (ms). */
export const STATS_INTERVAL_MS = 200;
/** While running, statistics wait at least this many times their last cost (≤ 2.5% of the time). */
export const STATS_COST_FACTOR = 40;

export class EventRecorder {
  readonly #now: () => number;
  #sequence = 0;
  /** When the last event was built. */
  #lastEvent = -Infinity;
  /** Samples trained since the last event, and when that event went out (for samples/s). */
  #samples = 0;
  #rateStart = 0;
  #samplesPerSecond = 0;
  /** ‖dC/dW‖ per layer of each update since the last event. */
  #series: number[][] = [];
  #seriesFirst = 1;
  #batchLoss = NaN;
  /** From the last step's report (0 before it: then batches per epoch follow from the batch size). */
  #batchInEpoch = 0;
  #batchesPerEpoch = 0;
  #stats: StepStats | null = null;
  /** When the statistics were last measured, and how long that took (ms). */
  #statsAt = -Infinity;
  #statsCost = 0;
  /** Epochs of history already sent in events (the next delta starts there). */
  #historySent = 0;
  /** The metrics of the weights a divergence restored, measured once per divergence. */
  #restored: { trainer: Trainer; steps: number; metrics: Metrics } | null = null;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** When the last event was built (by the injected clock). */
  get lastEventAt(): number {
    return this.#lastEvent;
  }

  /** Forget the progress of the previous network or run (load, reset, a new split). */
  clear(): void {
    this.#series = [];
    this.#seriesFirst = 1;
    this.#batchLoss = NaN;
    this.#batchInEpoch = 0;
    this.#batchesPerEpoch = 0;
    this.#stats = null;
    this.#samplesPerSecond = 0;
    this.#historySent = 0;
  }

  /** A run starts: samples per second are counted from now. */
  startRate(): void {
    this.#samples = 0;
    this.#rateStart = this.#now();
  }

  /** After one optimizer step of `training`: what the next event needs of it. */
  recordStep(training: Training, report: StepReport): void {
    const { trainer } = training;
    this.#batchLoss = report.batchLoss;
    this.#batchInEpoch = report.epochEnded ? 0 : report.batchInEpoch;
    this.#batchesPerEpoch = report.batchesPerEpoch;
    if (report.divergence) return;
    if (this.#series.length === 0) this.#seriesFirst = trainer.totalSteps;
    this.#series.push(trainer.network.grads.map((g) => frobeniusNorm(g.dW.data)));
    if (this.#series.length > MAX_SERIES_PER_EVENT) {
      this.#series.shift();
      this.#seriesFirst++;
    }
    const batchSize = trainer.settings.batchSize;
    // The last batch of an epoch holds the rows left over.
    this.#samples += report.epochEnded
      ? training.prepared.xTrain.rows - (report.batchesPerEpoch - 1) * batchSize
      : batchSize;
  }

  /**
   * What the status line reports: the latest epoch's metrics, or after a divergence those of the
   * restored weights (the lowest-loss epoch's, which may be an earlier one or the starting
   * weights, never in the history's last entry): the page shows the network it now holds.
   */
  #metricsOf(trainer: Trainer): Metrics | null {
    if (trainer.status !== 'diverged') return latestMetrics(trainer.history);
    const known = this.#restored;
    if (known?.trainer === trainer && known.steps === trainer.totalSteps) return known.metrics;
    const metrics = trainer.evaluate();
    this.#restored = { trainer, steps: trainer.totalSteps, metrics };
    return metrics;
  }

  /** The event for `status` now; what it carries since the previous event is then cleared. */
  build(status: TrainingStatus, training: Training | null): TrainingEvent {
    const t = this.#now();
    if (status === 'running' && t > this.#rateStart) {
      this.#samplesPerSecond = (this.#samples * 1000) / (t - this.#rateStart);
    } else if (status !== 'running') this.#samplesPerSecond = 0;
    this.#samples = 0;
    this.#rateStart = t;
    this.#lastEvent = t;
    const trainer = training?.trainer;
    const event: TrainingEvent = {
      sequence: ++this.#sequence,
      status,
      epoch: trainer?.epoch ?? 0,
      epochs: trainer?.settings.epochs ?? 0,
      step: trainer?.totalSteps ?? 0,
      batchInEpoch: this.#batchInEpoch,
      batchesPerEpoch:
        this.#batchesPerEpoch ||
        (training
          ? Math.ceil(training.prepared.xTrain.rows / training.trainer.settings.batchSize)
          : 0),
      batchLoss: this.#batchLoss,
      metrics: trainer ? this.#metricsOf(trainer) : null,
      samplesPerSecond: this.#samplesPerSecond,
      history: this.#historyDelta(trainer),
      stats: trainer ? this.#latestStats(trainer, status === 'running' ? t : null) : null,
      gradientNorms: {
        layerIds: trainer ? trainer.network.params.map((p) => p.id) : [],
        firstUpdate: this.#seriesFirst,
        norms: this.#series,
      },
      divergence: trainer?.divergence ?? null,
    };
    this.#series = [];
    this.#seriesFirst = (trainer?.totalSteps ?? 0) + 1;
    return event;
  }

  /**
   * Statistics of the latest update, computed once per update; while running (`runningAt` is the
   * event's time) those of an earlier update until it is time to measure again (see the top).
   */
  #latestStats(trainer: Trainer, runningAt: number | null): StepStats | null {
    if (trainer.totalSteps === 0) return null;
    if (this.#stats?.update === trainer.totalSteps || trainer.status === 'diverged')
      return this.#stats;
    const wait = Math.max(STATS_INTERVAL_MS, STATS_COST_FACTOR * this.#statsCost);
    if (runningAt !== null && this.#stats !== null && runningAt - this.#statsAt < wait)
      return this.#stats;
    const started = this.#now();
    const batch = trainer.lastBatch();
    if (!batch) return this.#stats;
    const net = trainer.network;
    const updates = trainer.lastUpdates();
    const grads = trainer.lastGradients();
    const dense = net.params.map((p, k) =>
      denseLayerStats(
        grads[k],
        p,
        updates.find((u) => u.id === p.id),
      ),
    );
    const cache = forward(net, batch.X);
    const activations: ActivationLayerStats[] = [];
    net.spec.layers.forEach((s, i) => {
      if (s.type === 'activation')
        activations.push(activationLayerStats(s, cache.layers[i].input, cache.layers[i].output));
    });
    const wireNorms = wireGradientNorms(net, cache, batch.Y);
    this.#stats = { update: trainer.totalSteps, dense, activations, wireNorms };
    this.#statsAt = this.#now();
    this.#statsCost = this.#statsAt - started;
    return this.#stats;
  }

  /** The history entries since the previous event. */
  #historyDelta(trainer: Trainer | undefined): HistoryDelta {
    if (!trainer) return { start: 0, entries: emptyHistory() };
    const h = trainer.history;
    // The trainer's history only grows between resets; a shorter one was restarted.
    const start = this.#historySent <= h.epoch.length ? this.#historySent : 0;
    const entries = {} as History;
    for (const key of Object.keys(h) as (keyof History)[]) entries[key] = h[key].slice(start);
    this.#historySent = h.epoch.length;
    return { start, entries };
  }
}

/** The metrics of the latest completed epoch, from the history (null before the first). */
export function latestMetrics(h: History): Metrics | null {
  const last = h.epoch.length - 1;
  if (last < 0) return null;
  return h.trainAccuracy.length > last
    ? {
        trainLoss: h.trainLoss[last],
        testLoss: h.testLoss[last],
        trainAccuracy: h.trainAccuracy[last],
        testAccuracy: h.testAccuracy[last],
      }
    : {
        trainLoss: h.trainLoss[last],
        testLoss: h.testLoss[last],
        trainR2: h.trainR2[last],
        testR2: h.testR2[last],
      };
}
