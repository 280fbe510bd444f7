/**
 * The worker's logic as a plain class: training-worker.ts exposes one instance with comlink, and
 * unit tests drive it directly in Node. It owns the data (split and standardized here, with the
 * seed), the trainer, the run loop and the event stream.
 *
 * Running: steps run in chunks of at most `chunkMs` (by the injected clock), then the loop yields
 * through `schedule` so the worker's message loop can deliver pause(), updateSettings(), ping().
 * After a chunk an event goes out only if 1000 / maxEventsPerSecond ms have passed since the
 * previous one; the event that ends a run (paused, done, diverged) and the answer to every command
 * always go out. Every update's ‖dC/dW‖ per layer is recorded, so the throttled events still carry
 * the whole series for the heat strip.
 */
import { forward } from '../engine/network';
import { gradientCheck } from '../engine/gradient-check';
import { createTrainer, type Trainer } from '../engine/trainer';
import { gatherRows, zeros, type Matrix } from '../engine/matrix';
import type { TrainingSettings } from '../engine/settings';
import type { LayerSpec } from '../engine/spec';
import { emptyHistory, type History, type WeightsJson } from '../engine/types';
import { prepareData } from '../data/prepare';
import type { Dataset, PreparedData } from '../data/types';
import {
  GRADIENT_CHECK_SAMPLE,
  GRADIENT_CHECK_TOLERANCE,
  MAX_EVENTS_PER_SECOND,
  MAX_SERIES_PER_EVENT,
  type ActivationLayerStats,
  type ConfusionMatrixData,
  type CurveFitData,
  type DataInfo,
  type DecisionGridData,
  type GradientCheckReport,
  type HistoryDelta,
  type LoadRequest,
  type LoadResult,
  type ModelState,
  type StepStats,
  type TrainingEvent,
  type TrainingEventListener,
  type TrainingStatus,
  type TrainingWorkerApi,
} from './api';
import { activationLayerStats, denseLayerStats, frobeniusNorm } from './stats';
import { confusionMatrix, curveFit, decisionGrid, type Predict } from './predictions';

export interface SessionOptions {
  /** Milliseconds (performance.now by default); tests inject a fake clock. */
  now?: () => number;
  /** Run `task` soon, after pending messages (setTimeout 0 by default). */
  schedule?: (task: () => void) => void;
  /** Longest chunk of steps between yields (ms). */
  chunkMs?: number;
  /** Most steps per chunk (guards against a clock that does not move). */
  maxStepsPerChunk?: number;
  maxEventsPerSecond?: number;
}

interface Loaded {
  spec: LayerSpec;
  dataset: Dataset;
  prepared: PreparedData;
  trainer: Trainer;
  /** The seed the data was split with. */
  splitSeed: number;
}

const DEFAULT_CHUNK_MS = 12;
const DEFAULT_MAX_STEPS_PER_CHUNK = 5000;

function checkInteger(value: number, lo: number, hi: number, what: string): void {
  if (!(Number.isInteger(value) && value >= lo && value <= hi))
    throw new Error(`${what} must be a whole number from ${lo} to ${hi}.`);
}

export class TrainingSessionWorker implements TrainingWorkerApi {
  readonly #now: () => number;
  readonly #schedule: (task: () => void) => void;
  readonly #chunkMs: number;
  readonly #maxStepsPerChunk: number;
  readonly #eventInterval: number;

  #loaded: Loaded | null = null;
  #running = false;
  /** Bumped by every pause/load/reset so a scheduled chunk of an older run does nothing. */
  #runId = 0;
  #listeners = new Map<number, TrainingEventListener>();
  #nextListener = 1;
  #sequence = 0;
  #lastEmit = -Infinity;
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
  /** Epochs of history already sent in events (the next delta starts there). */
  #historySent = 0;

  constructor(options: SessionOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#schedule = options.schedule ?? ((task) => setTimeout(task, 0));
    this.#chunkMs = options.chunkMs ?? DEFAULT_CHUNK_MS;
    this.#maxStepsPerChunk = options.maxStepsPerChunk ?? DEFAULT_MAX_STEPS_PER_CHUNK;
    this.#eventInterval = 1000 / (options.maxEventsPerSecond ?? MAX_EVENTS_PER_SECOND);
  }

  load(request: LoadRequest): LoadResult {
    const { spec, dataset, settings } = request;
    // Build everything first: a throw here leaves the previous network and data in place.
    const prepared = prepareData(
      dataset,
      {
        testFraction: settings.testFraction,
        seed: settings.seed,
        standardize: settings.standardize,
      },
      spec.loss.type,
    );
    const trainer = createTrainer({
      spec,
      data: prepared,
      settings,
      initialWeights: request.weights ?? undefined,
    });
    this.#stop();
    this.#loaded = { spec, dataset, prepared, trainer, splitSeed: settings.seed };
    this.#clearProgress();
    return { ...this.getDataInfo(), event: this.#emit() };
  }

  getHistory(): History {
    return structuredClone(this.#require().trainer.history);
  }

  getDataInfo(): DataInfo {
    const { prepared } = this.#require();
    return {
      standardization: prepared.standardize ?? null,
      task: prepared.task,
      classes: [...prepared.classes],
      features: [...prepared.features],
      target: prepared.target,
      dataset: prepared.dataset,
      trainRows: prepared.xTrain.rows,
      testRows: prepared.xTest.rows,
    };
  }

  start(): TrainingEvent {
    const { trainer } = this.#require();
    if (this.#running || trainer.status !== 'ready') return this.#emit();
    this.#running = true;
    const runId = ++this.#runId;
    this.#samples = 0;
    this.#rateStart = this.#now();
    this.#schedule(() => this.#runChunk(runId));
    return this.#emit();
  }

  pause(): TrainingEvent {
    this.#require();
    this.#stop();
    return this.#emit();
  }

  step(): TrainingEvent {
    const { trainer } = this.#require();
    this.#stop();
    if (trainer.status === 'ready') this.#trainStep(trainer);
    return this.#emit();
  }

  stepEpoch(): TrainingEvent {
    const { trainer } = this.#require();
    this.#stop();
    while (trainer.status === 'ready') {
      const report = this.#trainStep(trainer);
      if (report.epochEnded) break;
    }
    return this.#emit();
  }

  reset(): TrainingEvent {
    const loaded = this.#require();
    this.#stop();
    const { settings } = loaded.trainer;
    if (settings.seed !== loaded.splitSeed) this.#rebuild(loaded, settings, undefined);
    else loaded.trainer.reset();
    this.#clearProgress();
    return this.#emit();
  }

  updateSettings(partial: Partial<TrainingSettings>): TrainingEvent {
    const loaded = this.#require();
    const current = loaded.trainer.settings;
    const next: TrainingSettings = {
      ...current,
      ...partial,
      optimizer: { ...(partial.optimizer ?? current.optimizer) },
    };
    const dataChanges =
      next.testFraction !== current.testFraction || next.standardize !== current.standardize;
    if (dataChanges) {
      // A new split or scaling makes the old weights and history meaningless: start over.
      this.#stop();
      this.#rebuild(loaded, next, undefined);
      this.#clearProgress();
    } else {
      loaded.trainer.updateSettings(partial);
    }
    return this.#emit();
  }

  getWeights(): WeightsJson {
    return this.#require().trainer.getWeights();
  }

  setWeights(weights: WeightsJson): TrainingEvent {
    const { trainer } = this.#require();
    this.#stop();
    trainer.setWeights(weights);
    return this.#emit();
  }

  getModelState(): ModelState {
    const { spec, prepared, trainer } = this.#require();
    return {
      spec,
      settings: trainer.settings,
      weights: trainer.getWeights(),
      history: structuredClone(trainer.history),
      metrics: trainer.evaluate(),
      standardization: prepared.standardize ?? null,
      best: trainer.best,
      task: prepared.task,
      classes: [...prepared.classes],
      features: [...prepared.features],
      target: prepared.target,
      dataset: prepared.dataset,
      epoch: trainer.epoch,
      step: trainer.totalSteps,
    };
  }

  decisionGrid(resolution: number): DecisionGridData | null {
    const { spec, dataset, prepared, trainer } = this.#require();
    checkInteger(resolution, 2, 400, 'The grid resolution');
    if (spec.input.size !== 2 || prepared.task !== 'classification') return null;
    return decisionGrid(
      this.#predict(trainer),
      dataset.X,
      prepared.standardize ?? null,
      resolution,
    );
  }

  curveFit(points: number): CurveFitData | null {
    const { spec, dataset, prepared, trainer } = this.#require();
    checkInteger(points, 2, 2000, 'The number of curve points');
    if (spec.input.size !== 1 || prepared.task !== 'regression') return null;
    return curveFit(
      this.#predict(trainer),
      dataset.X,
      dataset.y,
      prepared.standardize ?? null,
      points,
    );
  }

  confusionMatrix(): ConfusionMatrixData | null {
    const { prepared, trainer } = this.#require();
    if (prepared.task !== 'classification') return null;
    const split =
      prepared.xTest.rows > 0
        ? { X: prepared.xTest, Y: prepared.yTest, name: 'test' as const }
        : { X: prepared.xTrain, Y: prepared.yTrain, name: 'train' as const };
    return confusionMatrix(this.#predict(trainer), split, prepared.classes);
  }

  checkGradients(): GradientCheckReport {
    const { prepared, trainer } = this.#require();
    this.#stop();
    const settings = trainer.settings;
    const batch = trainer.lastBatch() ?? firstRows(prepared, settings.batchSize);
    const net = trainer.network;
    // The check recomputes gradients into the network's buffers; keep the last step's.
    const saved = net.gradientArrays.map((a) => a.slice());
    let checks;
    try {
      checks = gradientCheck(
        net,
        batch.X,
        batch.Y,
        { l1: settings.l1, l2: settings.l2 },
        { maxEntriesPerParam: GRADIENT_CHECK_SAMPLE },
      );
    } finally {
      net.gradientArrays.forEach((a, k) => a.set(saved[k]));
    }
    const layers = checks.map((c) => ({
      id: c.layerId,
      weightError: c.weightRelativeError,
      biasError: c.biasRelativeError,
      maxRelativeError: c.maxRelativeError,
      entries: c.entries,
      totalEntries: c.totalEntries,
      skippedAtKinks: c.skippedAtKinks,
    }));
    const worst = layers.reduce(
      (w, l) => (w === null || !(l.maxRelativeError <= w.maxRelativeError) ? l : w),
      null as (typeof layers)[number] | null,
    );
    const maxRelativeError = worst ? worst.maxRelativeError : 0;
    const passed = maxRelativeError < GRADIENT_CHECK_TOLERANCE;
    const skipped = layers.reduce((n, l) => n + l.skippedAtKinks, 0);
    const total = layers.reduce((n, l) => n + l.totalEntries, 0);
    const sampled = layers.reduce((n, l) => n + l.entries + l.skippedAtKinks, 0);
    const sampleNote =
      sampled < total
        ? ` ${sampled.toLocaleString('en')} of the ${total.toLocaleString('en')} weights and biases were checked (a random sample of each large layer).`
        : '';
    const skippedNote =
      skipped > 0
        ? ` ${skipped} entries sat on a ReLU kink, where finite differences cannot be compared, and were skipped.`
        : '';
    const verdict = passed
      ? `Backprop agrees with finite differences: the largest relative error is ${maxRelativeError.toExponential(1)}, below ${GRADIENT_CHECK_TOLERANCE.toExponential(0)}.${sampleNote}${skippedNote}`
      : `Backprop and finite differences disagree in layer ${worst?.id} (relative error ${maxRelativeError.toExponential(1)}, above ${GRADIENT_CHECK_TOLERANCE.toExponential(0)}): these gradients would be wrong.${sampleNote}${skippedNote}`;
    return { layers, maxRelativeError, batchRows: batch.X.rows, passed, verdict };
  }

  subscribe(listener: TrainingEventListener): number {
    const id = this.#nextListener++;
    this.#listeners.set(id, listener);
    return id;
  }

  unsubscribe(id: number): void {
    this.#listeners.delete(id);
  }

  ping(token: number): number {
    return token;
  }

  /** The status the page shows (the trainer knows done/diverged; the session knows running). */
  get status(): TrainingStatus {
    const trainer = this.#loaded?.trainer;
    if (!trainer) return 'idle';
    if (trainer.status === 'diverged') return 'diverged';
    if (trainer.status === 'done') return 'done';
    if (this.#running) return 'running';
    return trainer.totalSteps === 0 && trainer.epoch === 0 ? 'idle' : 'paused';
  }

  #require(): Loaded {
    if (!this.#loaded) throw new Error('Load a network and a dataset first.');
    return this.#loaded;
  }

  #stop(): void {
    this.#running = false;
    this.#runId++;
  }

  #rebuild(loaded: Loaded, settings: TrainingSettings, weights: WeightsJson | undefined): void {
    const prepared = prepareData(
      loaded.dataset,
      {
        testFraction: settings.testFraction,
        seed: settings.seed,
        standardize: settings.standardize,
      },
      loaded.spec.loss.type,
    );
    const trainer = createTrainer({
      spec: loaded.spec,
      data: prepared,
      settings,
      initialWeights: weights,
    });
    loaded.prepared = prepared;
    loaded.trainer = trainer;
    loaded.splitSeed = settings.seed;
  }

  #clearProgress(): void {
    this.#series = [];
    this.#seriesFirst = 1;
    this.#batchLoss = NaN;
    this.#batchInEpoch = 0;
    this.#batchesPerEpoch = 0;
    this.#stats = null;
    this.#samplesPerSecond = 0;
    this.#historySent = 0;
  }

  #predict(trainer: Trainer): Predict {
    return (X: Matrix) => trainer.predict(X);
  }

  /** One optimizer step, recording what the events need. */
  #trainStep(trainer: Trainer) {
    const settings = trainer.settings;
    const report = trainer.step();
    this.#batchLoss = report.batchLoss;
    this.#batchInEpoch = report.epochEnded ? 0 : report.batchInEpoch;
    this.#batchesPerEpoch = report.batchesPerEpoch;
    if (report.diverged) return report;
    if (this.#series.length === 0) this.#seriesFirst = trainer.totalSteps;
    this.#series.push(trainer.network.grads.map((g) => frobeniusNorm(g.dW.data)));
    if (this.#series.length > MAX_SERIES_PER_EVENT) {
      this.#series.shift();
      this.#seriesFirst++;
    }
    const trainRows = this.#loaded?.prepared.xTrain.rows ?? 0;
    // The last batch of an epoch holds the rows left over.
    this.#samples += report.epochEnded
      ? trainRows - (report.batchesPerEpoch - 1) * settings.batchSize
      : settings.batchSize;
    return report;
  }

  #runChunk(runId: number): void {
    if (runId !== this.#runId || !this.#running || !this.#loaded) return;
    const { trainer } = this.#loaded;
    const t0 = this.#now();
    for (let n = 0; n < this.#maxStepsPerChunk; n++) {
      if (trainer.status !== 'ready') break;
      this.#trainStep(trainer);
      if (this.#now() - t0 >= this.#chunkMs) break;
    }
    if (trainer.status !== 'ready') {
      this.#running = false;
      this.#runId++;
      this.#emit();
      return;
    }
    if (this.#now() - this.#lastEmit >= this.#eventInterval) this.#emit();
    this.#schedule(() => this.#runChunk(runId));
  }

  /** Statistics of the latest update, computed once per update. */
  #latestStats(trainer: Trainer): StepStats | null {
    if (trainer.totalSteps === 0) return null;
    if (this.#stats?.update === trainer.totalSteps || trainer.status === 'diverged')
      return this.#stats;
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
    this.#stats = { update: trainer.totalSteps, dense, activations };
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

  #emit(): TrainingEvent {
    const t = this.#now();
    const loaded = this.#loaded;
    const status = this.status;
    if (status === 'running' && t > this.#rateStart) {
      this.#samplesPerSecond = (this.#samples * 1000) / (t - this.#rateStart);
    } else if (status !== 'running') this.#samplesPerSecond = 0;
    this.#samples = 0;
    this.#rateStart = t;
    this.#lastEmit = t;
    const trainer = loaded?.trainer;
    const layerIds = trainer ? trainer.network.params.map((p) => p.id) : [];
    const event: TrainingEvent = {
      sequence: ++this.#sequence,
      status,
      epoch: trainer?.epoch ?? 0,
      epochs: trainer?.settings.epochs ?? 0,
      step: trainer?.totalSteps ?? 0,
      batchInEpoch: this.#batchInEpoch,
      batchesPerEpoch:
        this.#batchesPerEpoch ||
        (loaded ? Math.ceil(loaded.prepared.xTrain.rows / loaded.trainer.settings.batchSize) : 0),
      batchLoss: this.#batchLoss,
      metrics: trainer ? latestMetrics(trainer) : null,
      samplesPerSecond: this.#samplesPerSecond,
      history: this.#historyDelta(trainer),
      stats: trainer ? this.#latestStats(trainer) : null,
      gradientNorms: { layerIds, firstUpdate: this.#seriesFirst, norms: this.#series },
      message: trainer?.divergence ?? null,
    };
    this.#series = [];
    this.#seriesFirst = (trainer?.totalSteps ?? 0) + 1;
    for (const listener of this.#listeners.values()) {
      try {
        // Through comlink this returns a promise; a page that went away must not stop training.
        void Promise.resolve(listener(event)).catch(() => undefined);
      } catch {
        /* a listener's own error is not the worker's */
      }
    }
    return event;
  }
}

/** The metrics of the latest completed epoch, from the history (null before the first). */
function latestMetrics(trainer: Trainer) {
  const h = trainer.history;
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

/** The first `batchSize` training rows (the batch to check before any step). */
function firstRows(prepared: PreparedData, batchSize: number): { X: Matrix; Y: Matrix } {
  const n = Math.min(batchSize, prepared.xTrain.rows);
  const rows = Uint32Array.from({ length: n }, (_, i) => i);
  const X = zeros(n, prepared.xTrain.cols);
  const Y = zeros(n, prepared.yTrain.cols);
  gatherRows(prepared.xTrain, rows, X);
  gatherRows(prepared.yTrain, rows, Y);
  return { X, Y };
}
