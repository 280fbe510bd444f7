/**
 * The training loop that the worker, the command line and the benchmark all drive: one Trainer
 * owns a network, its optimizer, the batch sampler (batches.ts), the history and checkpoints.
 *
 * One step: take the next mini-batch (batches.ts), compute the loss with its weight penalty and
 * the gradients (network.ts), let the optimizer update the weights. When a step ends an epoch,
 * the test split and a fixed sample of at most 2,000 training rows (evaluation-sample.ts; the
 * whole split when it is smaller) are evaluated, the history grows by one entry (`trainSampleRows`
 * says when its training metrics are a sample, for the chart's label) and the best checkpoint
 * (lowest test loss; the sample's training loss without a test split) is updated. evaluate() and
 * the step that ends the last epoch (fullMetrics) measure the whole training split.
 *
 * With settings.precision 'float32' the step's forward and backward products, and the epoch-end
 * evaluation of the sample, run on the float32 kernel (kernels/step-precision.ts); the rest,
 * evaluate() and fullMetrics included, stays float64.
 *
 * Every random choice — initial weights, then the shuffles — comes from createRng(settings.seed)
 * in that order, so the same seed and data give bit-identical weights.
 *
 * Divergence (DESIGN §2, divergence.ts): a batch loss or an epoch's evaluation that is not finite,
 * or an epoch's training loss over 10 × the training loss before the first update (measured once
 * at the first step after construction or reset()). Both losses are on the evaluation sample:
 * the same rows each time, and a tenfold growth on 2,000 rows is no accident of sampling.
 * The failing step does not count and its epoch is not recorded; the history before it stays.
 * The weights of the recorded epoch with the lowest training loss come back (the starting or last
 * set weights when no epoch was recorded since), the current epoch is rewound to its first batch
 * in the same order, the optimizer state is cleared, and the trainer stays 'diverged' until
 * configure(), setWeights() or reset().
 *
 * Over 300 lines because the public surface every caller uses (getters, introspection for the
 * statistics) is documented here; the parts with their own logic live beside it: batches.ts,
 * training-data.ts, weights-snapshot.ts, divergence.ts.
 */
import { BatchSampler } from './batches';
import { DIVERGENCE_GROWTH, type Divergence, type DivergenceCause } from './divergence';
import { defaultKernel, StepPrecisionKernel, type MatmulKernel } from './matmul';
import { cloneMatrix, type Matrix } from './matrix';
import type { FeatureMatrix } from './feature-rows';
import { evaluateSplit } from './metrics';
import { evaluationSample, type EvaluationSample } from './evaluation-sample';
import {
  createNetwork,
  getWeights as networkWeights,
  initializeNetwork,
  lossAndGradients,
  predict as networkPredict,
  setWeights as setNetworkWeights,
  type Network,
} from './network';
import { createOptimizer, type Optimizer, type OptimizerState } from './optimizers/index';
import { createRng, type Rng } from './rng';
import { checkedSettings, withOptimizerDefaults, type TrainingSettings } from './settings';
import type { LayerSpec } from './spec';
import { checkTrainingData, type TrainingData } from './training-data';
import {
  emptyHistory,
  type DenseGrads,
  type History,
  type Metrics,
  type WeightsJson,
} from './types';
import { WeightsSnapshot } from './weights-snapshot';
import { writeFlatWeights, type FlatWeights } from './flat-weights';

export type { TrainingData } from './training-data';

export interface TrainerOptions {
  spec: LayerSpec;
  data: TrainingData;
  /** Whole settings, checked with checkedSettings (the one validation). */
  settings: TrainingSettings;
  /** Starting weights (e.g. from a model file); otherwise drawn from the seed. */
  initialWeights?: WeightsJson;
  /**
   * The float64 matrix-product kernel of the network (default: the fastest that runs here);
   * precision 'float32' uses the float32 kernel for training steps whatever this is.
   */
  kernel?: MatmulKernel;
  /**
   * Keep a copy of the weights before each step, so lastUpdates can say ‖ΔW‖ (default false).
   * It costs a copy of every parameter per step: the worker's statistics want it, the command
   * line and the benchmark do not.
   */
  trackUpdates?: boolean;
}

export interface StepReport {
  /** Completed epochs, counting the one this step may have completed. */
  epoch: number;
  /** Batches done in the current epoch (at the end of an epoch: all of them). */
  batchInEpoch: number;
  batchesPerEpoch: number;
  /** Loss of this mini-batch, weight penalty included (what the step minimised). */
  batchLoss: number;
  epochEnded: boolean;
  /**
   * Both splits' metrics, when the step ended an epoch: the training ones on the evaluation
   * sample when trainSampleRows is set.
   */
  metrics?: Metrics;
  /** With metrics: the rows of the training sample they were measured on, when not all rows. */
  trainSampleRows?: number;
  /** The whole training split's metrics, when the step ended the last epoch (see the top). */
  fullMetrics?: Metrics;
  /** Set when training diverged (at this step or before: the trainer stays stopped). */
  divergence?: Divergence;
}

export interface Checkpoint {
  epoch: number;
  /** The test loss at that epoch (the training loss when there is no test split). */
  testLoss: number;
  weights: WeightsJson;
}

export interface LayerUpdate {
  id: string;
  /** ‖W_after - W_before‖ of the last step (Frobenius). */
  deltaWNorm: number;
  /** ‖W‖ after the last step. */
  wNorm: number;
}

export type TrainerStatus = 'ready' | 'done' | 'diverged';

const copySettings = (s: TrainingSettings): TrainingSettings => ({
  ...s,
  optimizer: { ...s.optimizer },
});

export class Trainer {
  readonly network: Network;
  /** The network's kernel: float64, or float32 inside a float32 step. */
  readonly #kernel: StepPrecisionKernel;
  readonly #data: TrainingData;
  /** The training rows evaluated at each epoch's end (evaluation-sample.ts). */
  #sample: EvaluationSample;
  #settings: TrainingSettings;
  #rng: Rng;
  #optimizer: Optimizer;
  readonly #sampler: BatchSampler;
  #epoch = 0;
  #totalSteps = 0;
  #history: History = emptyHistory();
  #status: TrainerStatus = 'ready';
  #divergence: Divergence | null = null;
  /** The training loss before the first update; null until the first step measures it. */
  #baseline: number | null = null;
  /** Weights before the last step, for lastUpdates; null unless options.trackUpdates. */
  readonly #before: Float64Array[] | null;
  #hasLastStep = false;
  /** The lowest test loss so far (the training loss without a test split): `best`. */
  readonly #best: WeightsSnapshot;
  /** The recorded epoch with the lowest training loss: what a divergence restores. */
  readonly #lowestTraining: WeightsSnapshot;
  /** The weights at the start (or as last set): restored when no epoch was recorded. */
  readonly #start: WeightsSnapshot;

  constructor(options: TrainerOptions) {
    const settings = checkedSettings(options.settings);
    this.#settings = copySettings(settings);
    this.#rng = createRng(settings.seed);
    this.#kernel = new StepPrecisionKernel(options.kernel ?? defaultKernel);
    this.network = createNetwork(options.spec, this.#rng, { kernel: this.#kernel });
    checkTrainingData(options.spec, options.data);
    this.#data = options.data;
    this.#sample = evaluationSample(options.data.xTrain, options.data.yTrain, settings.seed);
    if (options.initialWeights) setNetworkWeights(this.network, options.initialWeights);
    this.#optimizer = createOptimizer(settings.optimizer);
    this.#sampler = new BatchSampler(options.data.xTrain, options.data.yTrain);
    this.#before = options.trackUpdates
      ? this.network.parameterArrays.map((a) => new Float64Array(a.length))
      : null;
    this.#best = new WeightsSnapshot(this.network);
    this.#lowestTraining = new WeightsSnapshot(this.network);
    this.#start = new WeightsSnapshot(this.network);
    this.#restart();
  }

  /** Completed epochs. */
  get epoch(): number {
    return this.#epoch;
  }
  /** Optimizer steps taken since the start (or the last reset). */
  get totalSteps(): number {
    return this.#totalSteps;
  }
  /** The live per-epoch history (one entry per completed epoch); copy it before changing it. */
  get history(): History {
    return this.#history;
  }
  /** 'done' once epoch >= settings.epochs; 'diverged' after a divergence (see the top). */
  get status(): TrainerStatus {
    return this.#status;
  }
  /** What the last divergence was, while the trainer is stopped by it. */
  get divergence(): Divergence | null {
    return this.#divergence === null ? null : { ...this.#divergence };
  }
  /**
   * The rows of the training split each epoch's training metrics (history, report.metrics) are
   * measured on, when that is a sample; null when it is the whole split. Fixed per seed.
   */
  get trainSampleRows(): number | null {
    return this.#sample.sampled ? this.#sample.X.rows : null;
  }
  /** A copy of the settings in use. */
  get settings(): TrainingSettings {
    return copySettings(this.#settings);
  }
  /** The epoch with the lowest test loss so far, with a copy of its weights (null before any). */
  get best(): Checkpoint | null {
    const best = this.#best;
    if (!best.taken) return null;
    return { epoch: best.epoch, testLoss: best.score, weights: best.toJson(this.network) };
  }

  step(): StepReport {
    const batchSize = this.#settings.batchSize;
    if (this.#divergence !== null) return this.#report(NaN, this.#divergence);
    const net = this.network;
    const data = this.#data;
    const sample = this.#sample;
    const precision = this.#settings.precision ?? 'float64';
    const baseline = (this.#baseline ??= evaluateSplit(net, sample.X, sample.Y, data.task).loss);
    const batch = this.#sampler.next(batchSize, this.#settings.shuffle, this.#rng);
    const arrays = net.parameterArrays;
    const before = this.#before;
    if (before) for (let k = 0; k < arrays.length; k++) before[k].set(arrays[k]);
    // Training mode: dropout draws its masks from the same seeded generator as the shuffles.
    const { loss } = this.#kernel.within(precision, () =>
      lossAndGradients(net, batch.X, batch.Y, this.#settings, { training: true, rng: this.#rng }),
    );
    if (!Number.isFinite(loss)) return this.#diverge('not-finite', loss, loss);
    this.#optimizer.step(arrays, net.gradientArrays);
    // The epoch's metrics in the step's precision (its cost is part of training); evaluate()
    // and fullMetrics stay float64.
    const metrics = batch.endsEpoch
      ? this.#kernel.within(precision, () => this.#evaluateOn(sample.X, sample.Y))
      : undefined;
    if (metrics) {
      const broken = firstNonFinite(metrics, data);
      if (broken !== null) return this.#diverge('not-finite', broken, loss);
      if (baseline > 0 && metrics.trainLoss > DIVERGENCE_GROWTH * baseline)
        return this.#diverge('loss-grew', metrics.trainLoss, loss);
    }
    this.#hasLastStep = true;
    this.#totalSteps += 1;
    const report = this.#report(loss);
    if (metrics) {
      this.#endEpoch(metrics);
      report.metrics = metrics;
      if (sample.sampled) report.trainSampleRows = sample.X.rows;
      report.epoch = this.#epoch;
      report.epochEnded = true;
      if (this.#status === 'done') report.fullMetrics = sample.sampled ? this.evaluate() : metrics;
    }
    return report;
  }

  runEpoch(): StepReport {
    let report = this.step();
    while (!report.epochEnded && !report.divergence) report = this.step();
    return report;
  }

  /** Both splits' metrics, each on all of its rows (see the top for the per-epoch sample). */
  evaluate(): Metrics {
    return this.#evaluateOn(this.#data.xTrain, this.#data.yTrain);
  }

  /** Metrics with the training ones measured on rows xTrain, yTrain (the split or its sample). */
  #evaluateOn(xTrain: FeatureMatrix, yTrain: Matrix): Metrics {
    const { xTest, yTest, task } = this.#data;
    const train = evaluateSplit(this.network, xTrain, yTrain, task);
    const test = evaluateSplit(this.network, xTest, yTest, task);
    const metrics: Metrics = { trainLoss: train.loss, testLoss: test.loss };
    if (task === 'classification') {
      metrics.trainAccuracy = train.accuracy;
      metrics.testAccuracy = test.accuracy;
    } else {
      metrics.trainR2 = train.r2;
      metrics.testR2 = test.r2;
    }
    return metrics;
  }

  predict(X: Matrix): Matrix {
    return networkPredict(this.network, X);
  }

  /** A copy of the current weights. */
  getWeights(): WeightsJson {
    return networkWeights(this.network);
  }

  /**
   * Load weights (validated first; bad weights change nothing). Clears optimizer state; they are
   * what a divergence restores until an epoch is recorded; clears a 'diverged' status.
   */
  setWeights(weights: WeightsJson): void {
    setNetworkWeights(this.network, weights);
    this.#optimizer.reset();
    this.#hasLastStep = false;
    this.#start.take(this.network, 0, NaN);
    this.#lowestTraining.clear();
    if (this.#divergence !== null) this.#resume();
  }

  /**
   * Load typed-array weights (checked first; a throw changes nothing), like setWeights. With
   * `partial` only the layers present are written and the others keep theirs (an edit that
   * changed some layers' shapes). Returns the ids written.
   */
  setFlatWeights(weights: FlatWeights, partial = false): string[] {
    const ids = writeFlatWeights(this.network, weights, partial);
    this.#optimizer.reset();
    this.#hasLastStep = false;
    this.#start.take(this.network, 0, NaN);
    this.#lowestTraining.clear();
    if (this.#divergence !== null) this.#resume();
    return ids;
  }

  /**
   * Go on from a run trained before (a reload, a restarted worker, an imported model, an edit
   * that kept every layer): its completed epochs, updates and history count as this trainer's, so
   * the epoch counter, 'done' and the history continue them. Call after loading its weights.
   */
  continueFrom(previous: { epoch: number; totalSteps: number; history: History }): void {
    const n = previous.history.epoch.length;
    if (!Number.isInteger(previous.epoch) || previous.epoch < 0 || previous.epoch !== n)
      throw new Error(
        `The previous run says ${previous.epoch} epochs but its history has ${n}; they must agree.`,
      );
    this.#epoch = previous.epoch;
    this.#totalSteps = Math.max(0, Math.floor(previous.totalSteps));
    this.#history = structuredClone(previous.history);
    this.#resume();
  }

  /**
   * A copy of the optimizer's state (steps taken, moments or velocities per parameter array, in
   * the order of network.parameterArrays): with the weights and continueFrom, what a later trainer
   * needs to take the same next steps as this one.
   */
  exportOptimizerState(): OptimizerState {
    return this.#optimizer.exportState();
  }

  /**
   * Take over an optimizer state exported by a trainer of the same network (after setting its
   * weights: setFlatWeights clears the state). Returns false and keeps a fresh state when it does
   * not fit (another optimizer, other shapes, values that are not finite).
   */
  importOptimizerState(state: OptimizerState): boolean {
    return this.#optimizer.importState(state, this.network.parameterArrays);
  }

  /** Copies of the last mini-batch's gradients (of the loss plus the weight penalty). */
  lastGradients(): DenseGrads[] {
    return this.network.grads.map((g) => ({ id: g.id, dW: cloneMatrix(g.dW), db: g.db.slice() }));
  }

  /**
   * ‖ΔW‖ and ‖W‖ per dense layer for the last step: empty before the first step, and always
   * without options.trackUpdates.
   */
  lastUpdates(): LayerUpdate[] {
    const before = this.#before;
    if (!this.#hasLastStep || before === null) return [];
    return this.network.params.map((p, k) => {
      const w = p.W.data,
        old = before[2 * k];
      let delta = 0,
        norm = 0;
      for (let i = 0; i < w.length; i++) {
        delta += (w[i] - old[i]) ** 2;
        norm += w[i] * w[i];
      }
      return { id: p.id, deltaWNorm: Math.sqrt(delta), wNorm: Math.sqrt(norm) };
    });
  }

  /** A copy of the last mini-batch, or null before the first step. */
  lastBatch(): { X: Matrix; Y: Matrix } | null {
    const last = this.#sampler.last;
    return last === null ? null : { X: cloneMatrix(last.X), Y: cloneMatrix(last.Y) };
  }

  /**
   * Use these whole settings from the next step (checked by checkedSettings; a bad value throws
   * and changes nothing). A new optimizer name starts a fresh optimizer; other optimizer changes
   * (learning rate, momentum, ...) keep its state. A new batch size applies from the next step,
   * `shuffle` from the next epoch, `seed` at the next reset(). testFraction and standardize
   * belong to data preparation and are only stored. Clears a 'diverged' status.
   */
  configure(settings: TrainingSettings): void {
    const next = copySettings(checkedSettings(settings));
    if (next.optimizer.name !== this.#optimizer.name) {
      this.#optimizer.reset(); // gives its state's room in the network's memory back
      this.#optimizer = createOptimizer(next.optimizer);
    } else this.#optimizer.configure(withOptimizerDefaults(next.optimizer));
    this.#settings = next;
    this.#resume();
  }

  /** Redraw the weights from `seed` (default: settings.seed), clear optimizer state and history. */
  reset(seed?: number): void {
    if (seed !== undefined) this.#settings = checkedSettings({ ...this.#settings, seed });
    this.#rng = createRng(this.#settings.seed);
    this.#sample = evaluationSample(this.#data.xTrain, this.#data.yTrain, this.#settings.seed);
    initializeNetwork(this.network, this.#rng);
    this.#optimizer.reset();
    this.#restart();
  }

  #restart(): void {
    this.#sampler.restart();
    this.#epoch = 0;
    this.#totalSteps = 0;
    this.#history = emptyHistory();
    this.#best.clear();
    this.#lowestTraining.clear();
    this.#start.take(this.network, 0, NaN);
    this.#baseline = null;
    this.#hasLastStep = false;
    this.#resume();
  }

  /** Leave a 'diverged' status: ready, or done when the epochs are reached. */
  #resume(): void {
    this.#divergence = null;
    this.#status = this.#epoch >= this.#settings.epochs ? 'done' : 'ready';
  }

  #report(batchLoss: number, divergence?: Divergence): StepReport {
    const report: StepReport = {
      epoch: this.#epoch,
      batchInEpoch: this.#sampler.batchInEpoch,
      batchesPerEpoch: this.#sampler.batchesPerEpoch(this.#settings.batchSize),
      batchLoss,
      epochEnded: false,
    };
    if (divergence) report.divergence = { ...divergence };
    return report;
  }

  /** Stop: restore the lowest-training-loss epoch's weights (see the top) and say so in numbers. */
  #diverge(cause: DivergenceCause, loss: number, batchLoss: number): StepReport {
    const restored = this.#lowestTraining.taken ? this.#lowestTraining : this.#start;
    restored.restore(this.network);
    this.#sampler.rewindEpoch();
    this.#optimizer.reset();
    this.#hasLastStep = false;
    const { X, Y } = this.#sample;
    this.#divergence = {
      epoch: this.#epoch + 1,
      cause,
      loss,
      baseline: this.#baseline ?? NaN,
      restoredEpoch: restored.epoch,
      restoredLoss: evaluateSplit(this.network, X, Y, this.#data.task).loss,
    };
    this.#status = 'diverged';
    return this.#report(batchLoss, this.#divergence);
  }

  /** Record a completed epoch whose evaluation (`metrics`, of the current weights) is finite. */
  #endEpoch(metrics: Metrics): void {
    const epoch = (this.#epoch += 1);
    this.#sampler.startNextEpoch();
    const h = this.#history;
    h.epoch.push(epoch);
    h.trainLoss.push(metrics.trainLoss);
    h.testLoss.push(metrics.testLoss);
    if (this.#data.task === 'classification') {
      h.trainAccuracy.push(metrics.trainAccuracy ?? NaN);
      h.testAccuracy.push(metrics.testAccuracy ?? NaN);
    } else {
      h.trainR2.push(metrics.trainR2 ?? NaN);
      h.testR2.push(metrics.testR2 ?? NaN);
    }
    const score = this.#data.xTest.rows > 0 ? metrics.testLoss : metrics.trainLoss;
    if (!this.#best.taken || score < this.#best.score) this.#best.take(this.network, epoch, score);
    if (!this.#lowestTraining.taken || metrics.trainLoss < this.#lowestTraining.score)
      this.#lowestTraining.take(this.network, epoch, metrics.trainLoss);
    if (epoch >= this.#settings.epochs) this.#status = 'done';
  }
}

/**
 * The first loss or metric of an evaluation that is not a finite number, or null when all are.
 * An empty split's values are NaN by design and say nothing about the weights.
 */
function firstNonFinite(metrics: Metrics, data: TrainingData): number | null {
  const values: (number | undefined)[] = [];
  if (data.xTrain.rows > 0) values.push(metrics.trainLoss, metrics.trainAccuracy, metrics.trainR2);
  if (data.xTest.rows > 0) values.push(metrics.testLoss, metrics.testAccuracy, metrics.testR2);
  for (const v of values) if (v !== undefined && !Number.isFinite(v)) return v;
  return null;
}
