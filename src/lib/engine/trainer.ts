/**
 * The training loop that the worker, the command line and the benchmark all drive.
 *
 * One step: take the next mini-batch of the (shuffled) training rows, compute the loss with its
 * weight penalty and the gradients (network.ts), let the optimizer update the weights. The last
 * batch of an epoch may be shorter. When a step ends an epoch, both splits are evaluated, the
 * history grows by one entry and the best checkpoint (lowest test loss) is updated.
 *
 * Every random choice — initial weights, then the shuffles — comes from createRng(settings.seed)
 * in that order, so the same seed and data give bit-identical weights.
 *
 * Divergence: the mini-batch loss is NaN/Infinity, or the update makes a weight NaN/Infinity, or
 * the weights after an epoch's last step are finite but evaluating them on either split gives a
 * NaN/Infinity loss or metric (outputs that overflow once squared, say). The failing step does not
 * count and its epoch is not recorded (history, best checkpoint). Weights kept: those from before
 * the step when only the update broke them and they evaluate finite; otherwise the last good
 * weights — those of the last recorded epoch (evaluated finite), or the starting or loaded ones
 * when none was recorded since — with the epoch rewound to where they stood, so a lower learning
 * rate replays it in the same order (steps already taken in it stay counted in totalSteps, which
 * only grows between resets). The optimizer state is cleared and the trainer stops with status 'diverged' until a
 * setting changes (e.g. a lower learning rate), weights are set, or it is reset.
 */
import { gatherRows, cloneMatrix, zeros, type Matrix } from './matrix';
import { evaluateSplit, type Task } from './metrics';
import {
  createNetwork,
  getWeights as networkWeights,
  initializeNetwork,
  lossAndGradients,
  predict as networkPredict,
  setWeights as setNetworkWeights,
  type Network,
} from './network';
import { createOptimizer, resolveOptimizerSettings, type Optimizer } from './optimizers/index';
import { createRng, type Rng } from './rng';
import type { TrainingSettings } from './settings';
import { outputSize, type LayerSpec } from './spec';
import {
  emptyHistory,
  type DenseGrads,
  type History,
  type Metrics,
  type WeightsJson,
} from './types';

export interface TrainingData {
  xTrain: Matrix;
  yTrain: Matrix;
  xTest: Matrix;
  yTest: Matrix;
  task: Task;
}

export interface TrainerOptions {
  spec: LayerSpec;
  data: TrainingData;
  settings: TrainingSettings;
  /** Starting weights (e.g. from a model file); otherwise drawn from the seed. */
  initialWeights?: WeightsJson;
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
  /** Both splits' metrics, when the step ended an epoch. */
  metrics?: Metrics;
  /** A plain message when training diverged. */
  diverged?: string;
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

export interface Trainer {
  readonly network: Network;
  /** Completed epochs. */
  readonly epoch: number;
  /** Optimizer steps taken since the start (or the last reset). */
  readonly totalSteps: number;
  /** The live per-epoch history (one entry per completed epoch); copy it before changing it. */
  readonly history: History;
  /** 'done' once epoch >= settings.epochs; 'diverged' after NaN/Infinity. */
  readonly status: TrainerStatus;
  readonly divergence: string | null;
  /** A copy of the settings in use. */
  readonly settings: TrainingSettings;
  /** The epoch with the lowest test loss so far, with a copy of its weights (null before any epoch). */
  readonly best: Checkpoint | null;
  step(): StepReport;
  runEpoch(): StepReport;
  evaluate(): Metrics;
  predict(X: Matrix): Matrix;
  /** A copy of the current weights. */
  getWeights(): WeightsJson;
  /** Load weights (validated first; bad weights change nothing). Clears optimizer state. */
  setWeights(weights: WeightsJson): void;
  /** Copies of the last mini-batch's gradients (of the loss plus the weight penalty). */
  lastGradients(): DenseGrads[];
  /** ‖ΔW‖ and ‖W‖ per dense layer for the last step (empty before the first step). */
  lastUpdates(): LayerUpdate[];
  /** A copy of the last mini-batch, or null before the first step. */
  lastBatch(): { X: Matrix; Y: Matrix } | null;
  /**
   * Change settings between steps. A new optimizer name starts a fresh optimizer; other optimizer
   * changes (learning rate, momentum, ...) keep its state. A new batch size applies from the next
   * step, `shuffle` from the next epoch, `seed` at the next reset(). testFraction and standardize
   * belong to data preparation and are only stored. Clears a 'diverged' status.
   */
  updateSettings(partial: Partial<TrainingSettings>): void;
  /** Redraw the weights from `seed` (default: settings.seed), clear optimizer state and history. */
  reset(seed?: number): void;
}

function checkSettings(s: TrainingSettings): void {
  if (!(Number.isInteger(s.batchSize) && s.batchSize > 0))
    throw new Error('The batch size must be a whole number above 0.');
  if (!(Number.isInteger(s.epochs) && s.epochs >= 0))
    throw new Error('The number of epochs must be a whole number, 0 or more.');
  if (!Number.isFinite(s.seed)) throw new Error('The seed must be a number.');
  if (!(Number.isFinite(s.l1) && s.l1 >= 0)) throw new Error('L1 must be a number, 0 or more.');
  if (!(Number.isFinite(s.l2) && s.l2 >= 0)) throw new Error('L2 must be a number, 0 or more.');
  resolveOptimizerSettings(s.optimizer);
}

function checkFinite(m: Matrix, what: string): void {
  const d = m.data;
  for (let i = 0; i < m.rows * m.cols; i++)
    if (!Number.isFinite(d[i]))
      throw new Error(
        `The ${what} has a missing or non-numeric value at row ${Math.floor(i / m.cols) + 1}, column ${(i % m.cols) + 1}.`,
      );
}

function checkData(spec: LayerSpec, data: TrainingData): void {
  const inputs = spec.input.size,
    outputs = outputSize(spec);
  const { xTrain, yTrain, xTest, yTest } = data;
  if (xTrain.rows === 0) throw new Error('The training split has no rows.');
  for (const [X, Y, split] of [
    [xTrain, yTrain, 'training'],
    [xTest, yTest, 'test'],
  ] as const) {
    if (X.cols !== inputs)
      throw new Error(
        `The ${split} data has ${X.cols} feature columns but the network's input takes ${inputs}.`,
      );
    if (Y.cols !== outputs)
      throw new Error(
        `The ${split} targets have ${Y.cols} columns but the network outputs ${outputs}.`,
      );
    if (X.rows !== Y.rows)
      throw new Error(`The ${split} split has ${X.rows} feature rows but ${Y.rows} target rows.`);
    checkFinite(X, `${split} data`);
    checkFinite(Y, `${split} targets`);
  }
}

function copySettings(s: TrainingSettings): TrainingSettings {
  return { ...s, optimizer: { ...s.optimizer } };
}

function allFinite(arrays: readonly Float64Array[]): boolean {
  for (const a of arrays)
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/**
 * Whether an evaluation is a usable one: every loss and metric of a split that has rows is a
 * finite number. An empty split's values are NaN by design and say nothing about the weights.
 */
function evaluationFinite(metrics: Metrics, trainRows: number, testRows: number): boolean {
  const values: (number | undefined)[] = [];
  if (trainRows > 0) values.push(metrics.trainLoss, metrics.trainAccuracy, metrics.trainR2);
  if (testRows > 0) values.push(metrics.testLoss, metrics.testAccuracy, metrics.testR2);
  return values.every((v) => v === undefined || Number.isFinite(v));
}

export function createTrainer(opts: TrainerOptions): Trainer {
  const { spec, data } = opts;
  checkSettings(opts.settings);
  let settings = copySettings(opts.settings);
  let rng: Rng = createRng(settings.seed);
  const net = createNetwork(spec, rng);
  checkData(spec, data);
  if (opts.initialWeights) setNetworkWeights(net, opts.initialWeights);
  let optimizer: Optimizer = createOptimizer(settings.optimizer);
  let reg = { l1: settings.l1, l2: settings.l2 };

  const rowCount = data.xTrain.rows;
  /** The order rows are visited in this epoch (reshuffled at each epoch's start). */
  const order = new Uint32Array(rowCount);
  /** Rows of the current epoch already used; the epoch ends when it reaches rowCount. */
  let position = 0;
  let batchInEpoch = 0;
  let epochShuffled = false;
  let epoch = 0;
  let totalSteps = 0;
  let history = emptyHistory();
  let best: Checkpoint | null = null;
  let status: TrainerStatus = 'ready';
  let divergence: string | null = null;

  /** Weights before the last step: restored on divergence, compared for lastUpdates. */
  const before = net.parameterArrays.map((a) => new Float64Array(a.length));
  let hasLastStep = false;
  /**
   * The last good weights (those of the last recorded epoch, whose evaluation was finite, or the
   * starting or loaded ones) and where in the epoch they stood: what a divergence rolls back to.
   */
  const lastGood = {
    arrays: net.parameterArrays.map((a) => new Float64Array(a.length)),
    position: 0,
    batchInEpoch: 0,
  };
  /** Batch buffers per batch size (the full size and the short last batch). */
  const batches = new Map<number, { X: Matrix; Y: Matrix }>();
  let lastBatchUsed: { X: Matrix; Y: Matrix } | null = null;

  function restart(): void {
    for (let i = 0; i < rowCount; i++) order[i] = i;
    position = 0;
    batchInEpoch = 0;
    epochShuffled = false;
    epoch = 0;
    totalSteps = 0;
    history = emptyHistory();
    best = null;
    divergence = null;
    status = settings.epochs <= 0 ? 'done' : 'ready';
    hasLastStep = false;
    lastBatchUsed = null;
    keepAsLastGood();
  }
  restart();

  function keepAsLastGood(): void {
    const arrays = net.parameterArrays;
    for (let k = 0; k < arrays.length; k++) lastGood.arrays[k].set(arrays[k]);
    lastGood.position = position;
    lastGood.batchInEpoch = batchInEpoch;
  }

  function batchBuffers(size: number): { X: Matrix; Y: Matrix } {
    let b = batches.get(size);
    if (!b) {
      b = { X: zeros(size, data.xTrain.cols), Y: zeros(size, data.yTrain.cols) };
      batches.set(size, b);
    }
    return b;
  }

  function batchesPerEpoch(): number {
    return batchInEpoch + Math.ceil((rowCount - position) / settings.batchSize);
  }

  /**
   * Stop with status 'diverged', keeping weights whose evaluation is finite. The weights from
   * before this step stay when the update itself broke them (`weights`) and they evaluate finite.
   * Otherwise — the batch loss was already NaN/Infinity at those weights (`loss`), the epoch's
   * evaluation overflowed (`evaluation`), or they do not evaluate finite — the last good weights
   * come back and the epoch is rewound to where they stood.
   */
  function diverge(cause: 'loss' | 'weights' | 'evaluation', batchLoss: number): StepReport {
    const arrays = net.parameterArrays;
    for (let k = 0; k < arrays.length; k++) arrays[k].set(before[k]);
    const keepBefore =
      cause === 'weights' && evaluationFinite(evaluate(), rowCount, data.xTest.rows);
    if (!keepBefore) {
      for (let k = 0; k < arrays.length; k++) arrays[k].set(lastGood.arrays[k]);
      position = lastGood.position;
      batchInEpoch = lastGood.batchInEpoch;
    }
    optimizer.reset();
    hasLastStep = false;
    status = 'diverged';
    divergence =
      `Training diverged at epoch ${epoch + 1}: the ${cause === 'weights' ? 'weights' : 'loss'} ` +
      `became NaN or Infinity. The last good weights were kept. Try a lower learning rate.`;
    return {
      epoch,
      batchInEpoch,
      batchesPerEpoch: batchesPerEpoch(),
      batchLoss,
      epochEnded: false,
      diverged: divergence,
    };
  }

  function evaluate(): Metrics {
    const train = evaluateSplit(net, data.xTrain, data.yTrain, data.task);
    const test = evaluateSplit(net, data.xTest, data.yTest, data.task);
    const metrics: Metrics = { trainLoss: train.loss, testLoss: test.loss };
    if (data.task === 'classification') {
      metrics.trainAccuracy = train.accuracy;
      metrics.testAccuracy = test.accuracy;
    } else {
      metrics.trainR2 = train.r2;
      metrics.testR2 = test.r2;
    }
    return metrics;
  }

  /** Record a completed epoch whose evaluation (`metrics`, of the current weights) is finite. */
  function endEpoch(metrics: Metrics): void {
    epoch += 1;
    position = 0;
    batchInEpoch = 0;
    epochShuffled = false;
    history.epoch.push(epoch);
    history.trainLoss.push(metrics.trainLoss);
    history.testLoss.push(metrics.testLoss);
    if (data.task === 'classification') {
      history.trainAccuracy.push(metrics.trainAccuracy ?? NaN);
      history.testAccuracy.push(metrics.testAccuracy ?? NaN);
    } else {
      history.trainR2.push(metrics.trainR2 ?? NaN);
      history.testR2.push(metrics.testR2 ?? NaN);
    }
    const score = data.xTest.rows > 0 ? metrics.testLoss : metrics.trainLoss;
    if (Number.isFinite(score) && (best === null || score < best.testLoss))
      best = { epoch, testLoss: score, weights: networkWeights(net) };
    keepAsLastGood();
    if (epoch >= settings.epochs) status = 'done';
  }

  function step(): StepReport {
    if (status === 'diverged')
      return {
        epoch,
        batchInEpoch,
        batchesPerEpoch: batchesPerEpoch(),
        batchLoss: NaN,
        epochEnded: false,
        diverged: divergence ?? undefined,
      };
    if (!epochShuffled) {
      if (settings.shuffle) rng.shuffle(order);
      epochShuffled = true;
    }
    const size = Math.min(settings.batchSize, rowCount - position);
    const batch = batchBuffers(size);
    const rows = order.subarray(position, position + size);
    gatherRows(data.xTrain, rows, batch.X);
    gatherRows(data.yTrain, rows, batch.Y);
    lastBatchUsed = batch;

    const arrays = net.parameterArrays;
    for (let k = 0; k < arrays.length; k++) before[k].set(arrays[k]);
    const { loss } = lossAndGradients(net, batch.X, batch.Y, reg);
    if (!Number.isFinite(loss)) return diverge('loss', loss);
    optimizer.step(arrays, net.gradientArrays);
    if (!allFinite(arrays)) return diverge('weights', loss);
    const endsEpoch = position + size >= rowCount;
    // Finite weights can still give an infinite loss (outputs that overflow once squared).
    const metrics = endsEpoch ? evaluate() : undefined;
    if (metrics && !evaluationFinite(metrics, rowCount, data.xTest.rows))
      return diverge('evaluation', loss);

    hasLastStep = true;
    totalSteps += 1;
    position += size;
    batchInEpoch += 1;
    const report: StepReport = {
      epoch,
      batchInEpoch,
      batchesPerEpoch: batchesPerEpoch(),
      batchLoss: loss,
      epochEnded: false,
    };
    if (metrics) {
      endEpoch(metrics);
      report.metrics = metrics;
      report.epoch = epoch;
      report.epochEnded = true;
    }
    return report;
  }

  return {
    network: net,
    get epoch() {
      return epoch;
    },
    get totalSteps() {
      return totalSteps;
    },
    get history() {
      return history;
    },
    get status() {
      return status;
    },
    get divergence() {
      return divergence;
    },
    get settings() {
      return copySettings(settings);
    },
    get best() {
      return best === null ? null : structuredClone(best);
    },
    step,
    runEpoch() {
      let report = step();
      while (!report.epochEnded && !report.diverged) report = step();
      return report;
    },
    evaluate,
    predict(X) {
      return networkPredict(net, X);
    },
    getWeights() {
      return networkWeights(net);
    },
    setWeights(weights) {
      setNetworkWeights(net, weights);
      optimizer.reset();
      hasLastStep = false;
      keepAsLastGood();
      if (status === 'diverged') {
        divergence = null;
        status = epoch >= settings.epochs ? 'done' : 'ready';
      }
    },
    lastGradients() {
      return net.grads.map((g) => ({ id: g.id, dW: cloneMatrix(g.dW), db: g.db.slice() }));
    },
    lastUpdates() {
      if (!hasLastStep) return [];
      return net.params.map((p, k) => {
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
    },
    lastBatch() {
      return lastBatchUsed === null
        ? null
        : { X: cloneMatrix(lastBatchUsed.X), Y: cloneMatrix(lastBatchUsed.Y) };
    },
    updateSettings(partial) {
      const next = copySettings({ ...settings, ...partial });
      checkSettings(next);
      const hyperparameters = resolveOptimizerSettings(next.optimizer);
      if (next.optimizer.name !== optimizer.name) optimizer = createOptimizer(next.optimizer);
      else optimizer.configure(hyperparameters);
      settings = next;
      reg = { l1: settings.l1, l2: settings.l2 };
      divergence = null;
      status = epoch >= settings.epochs ? 'done' : 'ready';
    },
    reset(seed) {
      if (seed !== undefined) {
        if (!Number.isFinite(seed)) throw new Error('The seed must be a number.');
        settings = { ...settings, seed };
      }
      rng = createRng(settings.seed);
      initializeNetwork(net, rng);
      optimizer.reset();
      restart();
    },
  };
}
