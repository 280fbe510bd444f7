/**
 * The worker's logic as a plain class (TrainingService): training-worker.ts exposes one instance
 * with comlink, and unit tests drive it directly in Node. It owns what is trained (build.ts), the
 * commands, the subscribers, and which event goes out when; the run loop (run-loop.ts) and what
 * an event says (events.ts) live beside it.
 *
 * While running, after a chunk an event goes out only if 1000 / maxEventsPerSecond ms have passed
 * since the previous one; the event that ends a run (paused, done, diverged) and the answer to
 * every command always go out. An edit of the network (respec) keeps what it can (respec.ts).
 *
 * Over 300 lines because it is the one implementation of every method of TrainingWorkerApi; each
 * method is a few lines that delegate to build.ts, respec.ts, events.ts and predictions.ts (and
 * backprop-request.ts for the backprop inspector).
 */
import * as Comlink from 'comlink';
import { flatWeightBuffers, flatWeightsOf } from '../engine/flat-weights';
import { packHistory, packedBuffers, unpackHistory } from './packed-history';
import type { LayerSpec } from '../engine/spec';
import { checkedSettings, type TrainingSettings } from '../engine/settings';
import type { Matrix } from '../engine/matrix';
import { featureMatrix } from '../engine/feature-rows';
import type { Dataset } from '../data/types';
import type { History, WeightsJson } from '../engine/types';
import {
  MAX_EVENTS_PER_SECOND,
  type BackpropRequest,
  type BackpropTermsResult,
  type BatchExport,
  type TeachingMistake,
  type ConfusionMatrixData,
  type CurveFitData,
  type DataInfo,
  type DecisionGridData,
  type GradientCheckReport,
  type LoadRequest,
  type LoadResult,
  type ModelState,
  type PackedTrainedState,
  type RespecResult,
  type TrainedState,
  type TrainingEvent,
  type TrainingEventListener,
  type TrainingStatus,
  type TrainingWorkerApi,
} from './api';
import {
  backpropTermsResponse,
  batchExport,
  isTeachingMistake,
  mistakeGradientCheck,
  networkMistake,
  preparedWithScalerOnAllRows,
  withScalerFit,
} from './backprop-request';
import { buildTraining, type Training } from './build';
import { EventRecorder } from './events';
import { gradientCheckReport } from './gradient-check-report';
import { confusionMatrix, curveFit, decisionGrid, type Predict } from './predictions';
import { RunLoop } from './run-loop';
import { packTrainedState } from './trained-state-pack';
import { applyEdit, TrainingShelf } from './respec';

export interface TrainingServiceOptions {
  /** Milliseconds (performance.now by default); tests inject a fake clock. */
  now?: () => number;
  /** Run `task` soon, after pending messages (setTimeout 0 by default). */
  schedule?: (task: () => void) => void;
  /** Longest chunk of steps between yields (ms). */
  chunkMs?: number;
  /** Most steps per chunk (guards against a clock that does not move). */
  maxStepsPerChunk?: number;
  maxEventsPerSecond?: number;
  /** Told what a long build is doing ("Preparing the data: …"), as it happens (progress.ts). */
  progress?: (text: string) => void;
}

const DEFAULT_CHUNK_MS = 12;
const DEFAULT_MAX_STEPS_PER_CHUNK = 5000;

function checkInteger(value: number, lo: number, hi: number, what: string): void {
  if (!(Number.isInteger(value) && value >= lo && value <= hi))
    throw new Error(`${what} must be a whole number from ${lo} to ${hi}.`);
}

export class TrainingService implements TrainingWorkerApi {
  readonly #now: () => number;
  readonly #eventInterval: number;
  readonly #events: EventRecorder;
  readonly #loop: RunLoop;
  readonly #progress: (text: string) => void;
  #training: Training | null = null;
  /** Trainings of earlier specs on the same data, for undo/redo of edits. */
  readonly #shelf = new TrainingShelf();
  #listeners = new Map<number, TrainingEventListener>();
  #nextListener = 1;
  /** The backprop inspector's teaching mistake (never used by training steps). */
  #mistake: TeachingMistake | null = null;

  constructor(options: TrainingServiceOptions = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#progress = options.progress ?? (() => undefined);
    this.#eventInterval = 1000 / (options.maxEventsPerSecond ?? MAX_EVENTS_PER_SECOND);
    this.#events = new EventRecorder(this.#now);
    this.#loop = new RunLoop(
      {
        now: this.#now,
        schedule: options.schedule ?? ((task) => setTimeout(task, 0)),
        chunkMs: options.chunkMs ?? DEFAULT_CHUNK_MS,
        maxStepsPerChunk: options.maxStepsPerChunk ?? DEFAULT_MAX_STEPS_PER_CHUNK,
      },
      {
        canStep: () => this.#training?.trainer.status === 'ready',
        step: () => this.#trainStep(this.#require()),
        chunkDone: () => {
          if (this.#now() - this.#events.lastEventAt >= this.#eventInterval) this.#emit();
        },
        ended: () => void this.#emit(),
      },
    );
  }

  load(request: LoadRequest): LoadResult {
    // Built first: a throw here leaves the previous network and data in place.
    const training = buildTraining(request.spec, request.dataset, request.settings, {
      weights: request.flatWeights ? null : request.weights,
      flatWeights: request.flatWeights,
      previous: request.previous
        ? { ...request.previous, history: unpackHistory(request.previous.history) }
        : null,
      classes: request.classes,
      standardization: request.standardization,
      optimizerState: request.optimizerState,
      prepared: this.#mistakePrepared(request.spec, request.dataset, request.settings),
      progress: this.#progress,
    });
    this.#loop.stop();
    this.#training = training;
    this.#shelf.clear();
    this.#events.clear();
    return { ...this.getDataInfo(), event: this.#emit() };
  }

  respec(spec: LayerSpec): RespecResult {
    const current = this.#require();
    const outcome = applyEdit(current, spec, this.#shelf, (next, kept, continueRun) =>
      buildTraining(next, current.dataset, current.trainer.settings, {
        flatWeights: kept.weights,
        partial: true,
        prepared: current.prepared,
        progress: this.#progress,
        previous: continueRun
          ? {
              epoch: current.trainer.epoch,
              totalSteps: current.trainer.totalSteps,
              history: current.trainer.history,
            }
          : null,
      }),
    );
    const { training, kind, kept, dropped } = outcome;
    if (training !== current) {
      this.#loop.stop();
      this.#training = training;
      this.#events.clear();
    }
    return { kind, kept, dropped, event: this.#emit() };
  }

  packTrainedState(): PackedTrainedState {
    const state = this.#trainedState();
    return { packed: packTrainedState(state), epoch: state.epoch, totalSteps: state.totalSteps };
  }

  getTrainedState(): TrainedState {
    const state = this.#trainedState();
    const optimizerBuffers = (state.optimizer?.slots ?? []).flatMap((s) =>
      s.arrays.map((a) => a.buffer as ArrayBuffer),
    );
    // The copies are transferred, not cloned, to the page (no-op when called directly in Node).
    return Comlink.transfer(state, [
      ...flatWeightBuffers(state.weights),
      ...packedBuffers(state.history),
      ...optimizerBuffers,
    ]);
  }

  /** Copies of what training has produced: weights, counts, history, classes, scaling, optimizer. */
  #trainedState(): TrainedState {
    const { trainer, prepared } = this.#require();
    return {
      weights: flatWeightsOf(trainer.network),
      epoch: trainer.epoch,
      totalSteps: trainer.totalSteps,
      history: packHistory(trainer.history),
      classes: [...prepared.classes],
      standardization: prepared.standardize ?? null,
      optimizer: trainer.exportOptimizerState(),
    };
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
    if (this.#loop.running || trainer.status !== 'ready') return this.#emit();
    this.#events.startRate();
    this.#loop.start();
    return this.#emit();
  }

  pause(): TrainingEvent {
    this.#require();
    this.#loop.stop();
    return this.#emit();
  }

  step(): TrainingEvent {
    const training = this.#require();
    this.#loop.stop();
    if (training.trainer.status === 'ready') this.#trainStep(training);
    return this.#emit();
  }

  stepEpoch(): TrainingEvent {
    const training = this.#require();
    this.#loop.stop();
    while (training.trainer.status === 'ready') {
      if (this.#trainStep(training).epochEnded) break;
    }
    return this.#emit();
  }

  reset(): TrainingEvent {
    const training = this.#require();
    this.#loop.stop();
    const { settings } = training.trainer;
    // A new seed draws a new split as well as new weights; a new initializer a new network.
    if (settings.seed !== training.splitSeed || training.rebuildAtReset)
      this.#rebuild(training, settings, settings.seed === training.splitSeed);
    else training.trainer.reset();
    this.#events.clear();
    return this.#emit();
  }

  configure(wanted: TrainingSettings): TrainingEvent {
    const training = this.#require();
    const settings = checkedSettings(wanted);
    const current = training.trainer.settings;
    if (
      settings.testFraction !== current.testFraction ||
      settings.standardize !== current.standardize
    ) {
      // A new split or scaling makes the old weights and history meaningless: start over.
      this.#loop.stop();
      this.#rebuild(training, settings, false);
      this.#events.clear();
    } else {
      training.trainer.configure(settings);
    }
    return this.#emit();
  }

  getWeights(): WeightsJson {
    return this.#require().trainer.getWeights();
  }

  setWeights(weights: WeightsJson): TrainingEvent {
    const { trainer } = this.#require();
    this.#loop.stop();
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
      predictor(trainer),
      featureMatrix(dataset.X),
      prepared.standardize ?? null,
      resolution,
    );
  }

  curveFit(points: number): CurveFitData | null {
    const { spec, dataset, prepared, trainer } = this.#require();
    checkInteger(points, 2, 2000, 'The number of curve points');
    if (spec.input.size !== 1 || prepared.task !== 'regression') return null;
    return curveFit(
      predictor(trainer),
      featureMatrix(dataset.X),
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
    return confusionMatrix(predictor(trainer), split, prepared.classes);
  }

  checkGradients(): GradientCheckReport {
    const training = this.#require();
    this.#loop.stop();
    const mistake = networkMistake(this.#mistake);
    return mistake ? mistakeGradientCheck(training, mistake) : gradientCheckReport(training);
  }

  backpropTerms(request: BackpropRequest): BackpropTermsResult {
    const training = this.#require();
    const { result, transfer } = backpropTermsResponse(
      training,
      networkMistake(this.#mistake),
      request,
    );
    result.mistake = this.#mistake;
    return Comlink.transfer(result, transfer);
  }

  setMistake(mistake: TeachingMistake | null): TeachingMistake | null {
    if (mistake !== null && !isTeachingMistake(mistake))
      throw new Error(`"${String(mistake)}" is not one of the common mistakes.`);
    const scaler = (m: TeachingMistake | null) => m === 'scaler-before-split';
    const refit = scaler(mistake) !== scaler(this.#mistake);
    this.#mistake = mistake;
    if (refit && this.#training) {
      this.#loop.stop();
      this.#training = withScalerFit(this.#training, scaler(mistake));
      // Trainings kept for undo were on the other scaling.
      this.#shelf.clear();
      this.#events.clear();
      this.#emit();
    }
    return mistake;
  }

  exportBatch(): BatchExport {
    return batchExport(this.#require());
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

  /** What is being trained, or null (the dataset service reads it for the image chart). */
  get current(): Training | null {
    return this.#training;
  }

  /** The status the page shows (the trainer knows done/diverged; the run loop knows running). */
  get status(): TrainingStatus {
    const trainer = this.#training?.trainer;
    if (!trainer) return 'idle';
    if (trainer.status === 'diverged') return 'diverged';
    if (trainer.status === 'done') return 'done';
    if (this.#loop.running) return 'running';
    return trainer.totalSteps === 0 && trainer.epoch === 0 ? 'idle' : 'paused';
  }

  #require(): Training {
    if (!this.#training) throw new Error('Load a network and a dataset first.');
    return this.#training;
  }

  /** The same network and raw data, prepared and trained afresh with `settings`. */
  #rebuild(training: Training, settings: TrainingSettings, sameSplit: boolean): void {
    this.#training = buildTraining(training.spec, training.dataset, settings, {
      prepared: sameSplit
        ? training.prepared
        : this.#mistakePrepared(training.spec, training.dataset, settings),
    });
    // Trainings kept for undo were on the old split: they cannot come back on the new one.
    if (!sameSplit) this.#shelf.clear();
  }

  /** With the scaler mistake on, the data prepared with the scaler fitted on all rows. */
  #mistakePrepared(spec: LayerSpec, dataset: Dataset, settings: TrainingSettings) {
    return this.#mistake === 'scaler-before-split'
      ? preparedWithScalerOnAllRows(dataset, settings, spec.loss.type)
      : undefined;
  }

  /** One optimizer step, recording what the events need. */
  #trainStep(training: Training) {
    const report = training.trainer.step();
    this.#events.recordStep(training, report);
    return report;
  }

  #emit(): TrainingEvent {
    const event = this.#events.build(this.status, this.#training);
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

function predictor(trainer: Training['trainer']): Predict {
  return (X: Matrix) => trainer.predict(X);
}
