/**
 * The typed API between the page and the training worker (shared by both sides).
 *
 * The worker exposes a `TrainingWorkerApi` with comlink; the page holds a
 * `Comlink.Remote<TrainingWorkerApi>` (every method returns a Promise there). Everything that
 * crosses is plain structured-cloneable data: numbers, strings, arrays, typed arrays.
 *
 * Data flow:
 *   load(request)   the raw Dataset goes in (its X.data and y buffers are TRANSFERRED, so the
 *                   client sends copies and keeps its own); the worker splits, standardizes and
 *                   encodes it with the seed (prepareData) and answers with the Standardization it
 *                   fitted, so the model file can record it.
 *   subscribe(cb)   cb = Comlink.proxy(fn): receives TrainingEvents, at most MAX_EVENTS_PER_SECOND
 *                   while training runs, plus one event after every command that changes state.
 *                   Each event holds the LATEST update's statistics, every update's ‖dC/dW‖ since
 *                   the previous event (heat strip), and the epochs of history since the previous
 *                   event (the page's event-batch.ts joins them; TrainingState keeps them in a
 *                   HistoryBuffer).
 *   configure(s)    the whole checked settings (the page merged its change with resolveSettings);
 *                   the worker checks them again with checkedSettings before using them.
 *   start/pause     training runs in the worker in short chunks that yield to the message loop,
 *                   so pause(), configure() and ping() are answered between steps.
 *   step/stepEpoch  one mini-batch / the rest of the current epoch; the answer is that step's
 *                   full event (also sent to subscribers).
 *   decisionGrid, curveFit, confusionMatrix, checkGradients: computed in the worker on request.
 *
 * The page never runs the engine; the worker answers numbers and the page writes the words.
 *
 * Over 300 lines because it is the one contract of both sides: every type that crosses, with
 * what each field means; splitting it would scatter the contract.
 *
 * Over 300 lines because it is the one contract both sides compile against: every message type
 * with its meaning, kept in one file so a change to the protocol is one diff.
 */
import type { Metrics, History, WeightsJson } from '../engine/types';
import type { LayerSpec, ActivationName } from '../engine/spec';
import type { TrainingSettings } from '../engine/settings';
import type { Divergence } from '../engine/divergence';
import type { Dataset, Standardization, Task } from '../data/types';
import type { LayerTerms, Mistake, TermDivergence } from '../engine/index';
import type { FlatWeights, FlatLayerWeights } from '../engine/flat-weights';
import type { PackedHistory } from './packed-history';
import type { OptimizerState } from '../engine/optimizers/index';

export type {
  Metrics,
  History,
  WeightsJson,
  LayerSpec,
  TrainingSettings,
  Dataset,
  Standardization,
  FlatWeights,
  FlatLayerWeights,
};

/** At most this many events per second reach a subscriber while training runs. */
export const MAX_EVENTS_PER_SECOND = 30;

/** Per event, the per-update gradient-norm series keeps at most this many (most recent) updates. */
export const MAX_SERIES_PER_EVENT = 200;

/**
 * idle      loaded (or reset), no step taken yet
 * running   training in the worker, events flowing
 * paused    stopped by the user (or after step/stepEpoch) with epochs left
 * done      the configured number of epochs is reached (raise `epochs` to go on)
 * diverged  the loss or a weight became NaN/Infinity; the last good weights were kept.
 *           Any settings change, setWeights or reset clears it.
 */
export type TrainingStatus = 'idle' | 'running' | 'paused' | 'done' | 'diverged';

/** Gradient statistics of one dense layer at one update (all norms are Frobenius). */
export interface DenseLayerStats {
  /** Dense layer id (LayerSpec). */
  id: string;
  /** Rows x columns of W (inputSize x units). */
  inputSize: number;
  units: number;
  /** ‖dC/dW‖ of the mini-batch loss (weight penalty included: what the optimizer used). */
  gradWNorm: number;
  /** ‖dC/db‖. */
  gradBNorm: number;
  /** Mean of |dC/dW| over W's entries. */
  meanAbsGrad: number;
  /** Largest |dC/dW| over W's entries. */
  maxAbsGrad: number;
  /** ‖W‖ after the update. */
  weightNorm: number;
  /** ‖ΔW‖ / ‖W‖ of the update (NaN when ‖W‖ = 0). */
  updateRatio: number;
}

/** Unit statistics of one activation layer on the last mini-batch. */
export interface ActivationLayerStats {
  id: string;
  fn: ActivationName;
  units: number;
  /**
   * relu-family (relu, leaky_relu, elu): share of units whose input is ≤ 0 for every row of the
   * batch (for relu: output exactly 0 for the whole batch; leaky_relu/elu: on their flat side,
   * where the gradient is small). null for other functions.
   */
  deadFraction: number | null;
  /**
   * sigmoid/tanh: share of units whose output is within SATURATION_MARGIN of a bound (0/1, -1/1)
   * for at least SATURATION_ROW_SHARE of the batch rows. null for other functions.
   */
  saturatedFraction: number | null;
}

/** A unit counts as saturated when its output is this close to a bound ... */
export const SATURATION_MARGIN = 0.01;
/** ... for at least this share of the batch rows. */
export const SATURATION_ROW_SHARE = 0.95;

/**
 * The statistics of ONE update (the latest one when the event was sent).
 * Activation statistics come from a forward pass of that update's mini-batch at the weights
 * after the update (the state the next step starts from).
 */
export interface StepStats {
  /** The update number (1 = first optimizer step since load/reset). */
  update: number;
  /** Dense layers in network order (input side first). */
  dense: DenseLayerStats[];
  /** Activation layers in network order. */
  activations: ActivationLayerStats[];
  /**
   * The gradient flowing back along each wire: ‖dC/d(input)‖ that the wire's consumer (`target`)
   * sends to `source` on the same forward pass as the activation statistics (before fan-out sums
   * it with what other consumers send). Absent from older events.
   */
  wireNorms?: WireNorm[];
}

/** ‖dC/dA‖ along the wire source -> target (node ids; the last one's target is the loss). */
export interface WireNorm {
  source: string;
  target: string;
  norm: number;
}

/**
 * ‖dC/dW‖ per dense layer for EVERY update since the previous event (events are throttled, so
 * one event may cover many updates). At most MAX_SERIES_PER_EVENT most recent updates are kept;
 * `firstUpdate` says which update norms[0] belongs to (updates are consecutive from there).
 * norms[u][l] is layer l (order of `layerIds`) at update firstUpdate + u. Empty after a reset.
 */
export interface GradientNormSeries {
  layerIds: string[];
  firstUpdate: number;
  norms: number[][];
}

export interface TrainingEvent {
  /** Increases by 1 with every event sent since the worker started (never reset). */
  sequence: number;
  status: TrainingStatus;
  /** Completed epochs and the configured total. */
  epoch: number;
  epochs: number;
  /** Optimizer updates since load/reset. */
  step: number;
  /** Batches done in the current epoch, and batches per epoch. */
  batchInEpoch: number;
  batchesPerEpoch: number;
  /** Loss of the latest mini-batch (penalty included); NaN before the first step. */
  batchLoss: number;
  /** Metrics of the latest completed epoch (accuracy for classification, R² for regression); null before the first. */
  metrics: Metrics | null;
  /** Training samples per second over the time since the previous event while running; 0 otherwise. */
  samplesPerSecond: number;
  /**
   * The per-epoch history grows INCREMENTALLY: the epochs completed since the previous event
   * (its arrays hold entries start, start + 1, ... of the full history). start 0 means "replace"
   * (after load, reset or a new split). Sending only what is new keeps each event small however
   * long the run. A subscriber that missed events (start beyond what it holds) calls getHistory().
   */
  history: HistoryDelta;
  /**
   * Statistics of the latest update; null before the first step (and after reset). While running,
   * those of an earlier update between measurements (events.ts: at most every STATS_INTERVAL_MS);
   * `stats.update` says which.
   */
  stats: StepStats | null;
  /** Per-update gradient norms since the previous event, for the heat strip. */
  gradientNorms: GradientNormSeries;
  /** Why training diverged, as numbers (the page words it with divergenceMessage), or null. */
  divergence: Divergence | null;
}

export interface HistoryDelta {
  /** Index (0-based, in epochs) of entries.epoch[0] in the full history. */
  start: number;
  entries: History;
}

/** What the page sends to load a network and its data. */
export interface LoadRequest {
  spec: LayerSpec;
  /** The raw dataset; its X.data and y buffers are transferred to the worker. */
  dataset: Dataset;
  settings: TrainingSettings;
  /** Starting weights (an imported model file); otherwise drawn from the seed. */
  weights?: WeightsJson | null;
  /** Starting weights as typed arrays (a restart, a reload): preferred over `weights`. */
  flatWeights?: FlatWeights | null;
  /** The run those weights come from: its epochs, updates and history go on (DESIGN: "Epochs" is the total). */
  previous?: PreviousRun | PackedRun | null;
  /** The class order of those weights (a trained model file's, DESIGN §2): kept, not the data's. */
  classes?: string[] | null;
  /** The input scaling of those weights (a trained model file's): used as given, not refitted. */
  standardization?: Standardization | null;
  /**
   * The optimizer state of that run (with flatWeights): used when it fits the network and the
   * optimizer in the settings, otherwise the optimizer starts afresh.
   */
  optimizerState?: OptimizerState | null;
}

/** A run trained before: epochs completed, optimizer updates, and its per-epoch history. */
export interface PreviousRun {
  /** Completed epochs; equals history.epoch.length. */
  epoch: number;
  totalSteps: number;
  history: History;
}

/** A previous run as it crosses to the page and into storage: its history packed. */
export interface PackedRun {
  epoch: number;
  totalSteps: number;
  history: PackedHistory;
}

/**
 * What training has produced so far, as typed arrays (transferred, never number[][]): what the
 * page keeps for a worker restart and saves in IndexedDB for a reload. With the optimizer's state
 * (moments, velocities and step count per parameter array), a restored run takes the same next
 * steps as one never interrupted.
 */
export interface TrainedState extends PackedRun {
  weights: FlatWeights;
  /** The class order and input scaling the weights belong to (absent in older saved records). */
  classes?: string[];
  standardization?: Standardization | null;
  /** Null in a run saved before optimizer states were kept: it goes on with a fresh one. */
  optimizer: OptimizerState | null;
}

/** A trained state packed for storage, with the counts the page needs without unpacking it. */
export interface PackedTrainedState {
  packed: Blob;
  epoch: number;
  totalSteps: number;
}

/**
 * How an edit of the network was applied (respec):
 *   same         nothing the worker trains changed (e.g. only a node moved or was renamed)
 *   initializer  only initializers changed: the weights, optimizer state and history are kept;
 *                the new initializer is used at the next Reset
 *   restored     this network was trained before in this session (undo/redo): its weights,
 *                optimizer state and history came back
 *   kept         every layer kept its shape: the weights and history are kept (optimizer afresh)
 *   changed      some layers changed shape: only those (`dropped`) start again from the seed;
 *                the history starts again
 */
export type RespecKind = 'same' | 'initializer' | 'restored' | 'kept' | 'changed';

export interface RespecResult {
  kind: RespecKind;
  /** Dense layers that kept their trained weights. */
  kept: string[];
  /** Dense layers whose weights were dropped (new shape, new layer, or removed). */
  dropped: string[];
  event: TrainingEvent;
}

/** Facts about the prepared data (they change when testFraction, standardize or the split seed do). */
export interface DataInfo {
  /** Fitted on the training split; absent when settings.standardize is false. */
  standardization: Standardization | null;
  task: Task;
  classes: string[];
  features: string[];
  target: string;
  dataset: string;
  trainRows: number;
  testRows: number;
}

export interface LoadResult extends DataInfo {
  /** The state right after loading (status 'idle'). */
  event: TrainingEvent;
}

/** The best-so-far checkpoint (lowest test loss; training loss when there is no test split). */
export interface CheckpointData {
  epoch: number;
  testLoss: number;
  weights: WeightsJson;
}

/** Everything the model file needs from the worker (DESIGN §4). */
export interface ModelState {
  spec: LayerSpec;
  settings: TrainingSettings;
  weights: WeightsJson;
  history: History;
  /** Evaluated now on both splits at the current weights. */
  metrics: Metrics;
  standardization: Standardization | null;
  best: CheckpointData | null;
  task: Task;
  classes: string[];
  features: string[];
  target: string;
  dataset: string;
  epoch: number;
  step: number;
}

/**
 * Class probabilities on a regular grid over the two input features, in the dataset's raw units.
 * Structurally identical to DecisionGrid of src/lib/components/charts/decision-grid.ts:
 *   probability of class k at (xs[i], ys[j]) = probabilities[(j * nx + i) * classCount + k].
 * A single sigmoid output gives classCount 2: [1 - p, p].
 */
export interface DecisionGridData {
  xs: number[];
  ys: number[];
  classCount: number;
  probabilities: Float32Array;
}

export interface XYPointData {
  x: number;
  y: number;
}

/** 1-D regression: the data and the model's prediction, in the dataset's raw units. */
export interface CurveFitData {
  /** Training and test rows as (feature, target). */
  points: XYPointData[];
  /** The prediction at evenly spaced x over the data's range (ascending x). */
  curve: XYPointData[];
}

/** Counts on one split: matrix[trueClass][predictedClass]. */
export interface ConfusionMatrixData {
  matrix: number[][];
  classes: string[];
  /** 'test', or 'train' when there is no test split. */
  split: 'test' | 'train';
}

/** Finite-difference check of one dense layer (gradient-check.ts, 4-point central difference). */
export interface LayerGradientCheckData {
  id: string;
  /** Largest relative error over W's entries, and over b's. */
  weightError: number;
  biasError: number;
  /** max(weightError, biasError). */
  maxRelativeError: number;
  /**
   * Entries compared, of totalEntries (W and b); large layers are checked on a seeded random
   * sample of GRADIENT_CHECK_SAMPLE entries of W and of b. skippedAtKinks: sampled entries left out
   * because a relu kink lay inside the stencil.
   */
  entries: number;
  totalEntries: number;
  skippedAtKinks: number;
}

export interface GradientCheckReport {
  layers: LayerGradientCheckData[];
  /** Largest relative error over all layers. */
  maxRelativeError: number;
  /** Rows of the batch checked (the last mini-batch, or the first batchSize training rows). */
  batchRows: number;
}

/**
 * Backprop passes the check when every relative error is below this: DESIGN.md §6's bar in
 * float64, the same as the CLI's `gradcheck` (PASS_RELATIVE_ERROR) and the README.
 */
export const GRADIENT_CHECK_TOLERANCE = 1e-7;
/** At most this many entries of each W and each b are checked (a seeded random sample). */
export const GRADIENT_CHECK_SAMPLE = 300;

/**
 * A mistake of the teaching switch: one the network runs (Mistake), or fitting the scaler on all
 * rows before the split (SCALER_BEFORE_SPLIT.id), which changes the data, not the maths.
 */
export type TeachingMistake = Mistake | 'scaler-before-split';

/** What the Backprop tab asks for: one node's terms, each copied as its top-left block. */
export interface BackpropRequest {
  /** A Dense, Activation or Loss node of the trained network. */
  layerId: string;
  /** The block copied per term (1..256; default 16 × 16). */
  maxRows?: number;
  maxCols?: number;
}

/**
 * The terms of one node for the current mini-batch (the last one trained, or the first batch
 * before any step) at the current weights, from the worker's own pass on a copy of the network.
 * Each term's values buffer is transferred.
 */
export interface BackpropTermsResult {
  /** With a mistake on, the terms of the mistaken variant. */
  layer: LayerTerms;
  mistake: TeachingMistake | null;
  /** With a mistake on: the first term OF THIS NODE whose numbers part from the correct ones. */
  firstDifference: TermDivergence | null;
  /** With a mistake on: the first such term in the whole network (computation order). */
  firstDifferenceInNetwork: TermDivergence | null;
  /** The update the batch belongs to (0: the first batch, before any step). */
  update: number;
  batchRows: number;
}

/** The current batch's rows as a CSV in the dataset's own units (for `cli grad`). */
export interface BatchExport {
  csv: string;
  rows: number;
  update: number;
  fileName: string;
}

export type TrainingEventListener = (event: TrainingEvent) => void;

/**
 * The object the worker exposes. Methods may throw an Error with a plain message (bad spec or
 * data, bad weights, nothing loaded); a throw changes nothing. Through comlink each returns a
 * Promise.
 */
export interface TrainingWorkerApi {
  /** Replace the network and data; stops any run. */
  load(request: LoadRequest): LoadResult;
  /**
   * An edit of the network on the same data (Workbench calls this instead of load): keeps what it
   * can (see RespecKind). The network before the edit is kept aside so undo can bring it back.
   * A throw (a network that does not fit the data or is too large) changes nothing.
   */
  respec(spec: LayerSpec): RespecResult;
  /** The weights (transferred typed arrays), epochs, updates and history, for a backup. */
  getTrainedState(): TrainedState;
  /**
   * The same packed into one Blob by the worker (trained-state-pack.ts), for IndexedDB: storing a
   * Blob costs the page no copy of the numbers.
   */
  packTrainedState(): PackedTrainedState;
  /** Run until paused, done or diverged. Resolves at once; progress arrives as events. */
  start(): TrainingEvent;
  /** Stop after the current step. */
  pause(): TrainingEvent;
  /** One mini-batch (pauses a run first). */
  step(): TrainingEvent;
  /** Up to the end of the current epoch (pauses a run first). */
  stepEpoch(): TrainingEvent;
  /** Redraw the weights from the seed (re-splitting the data if the seed changed); clears history. */
  reset(): TrainingEvent;
  /**
   * Use these whole settings from the next step (allowed while running); checked first (a throw
   * lists every problem and changes nothing). A new optimizer name starts a fresh optimizer;
   * learning rate etc. keep its state; batch size applies from the next step; seed at the next
   * reset. A change of testFraction or standardize re-prepares the data and resets.
   */
  configure(settings: TrainingSettings): TrainingEvent;
  getWeights(): WeightsJson;
  /** The whole per-epoch history (for a subscriber that missed events). */
  getHistory(): History;
  /** The prepared data's facts (as in LoadResult), e.g. after a settings change re-split it. */
  getDataInfo(): DataInfo;
  /** Validated first: bad weights throw and change nothing. Pauses a run. */
  setWeights(weights: WeightsJson): TrainingEvent;
  getModelState(): ModelState;
  /** For 2 input features and classification; null otherwise. resolution cells per axis (2..400). */
  decisionGrid(resolution: number): DecisionGridData | null;
  /** For 1 input feature and regression; null otherwise. points: samples of the curve (2..2000). */
  curveFit(points: number): CurveFitData | null;
  /** For classification; null otherwise. */
  confusionMatrix(): ConfusionMatrixData | null;
  /** Finite-difference check on the current mini-batch (of the mistaken variant when one is on). */
  checkGradients(): GradientCheckReport;
  /** The backprop inspector's terms of one node (see BackpropTermsResult). */
  backpropTerms(request: BackpropRequest): BackpropTermsResult;
  /**
   * The teaching switch "Common mistakes": the inspector and Check gradients run this variant
   * until it is set back to null (training steps keep the correct maths). The scaler mistake
   * re-prepares the data with the scaler fitted on all rows and starts training over (an event
   * goes out); turning it off does the same the right way. Returns the mistake.
   */
  setMistake(mistake: TeachingMistake | null): TeachingMistake | null;
  /** The current batch's rows as CSV (for running `cli grad` on the same rows). */
  exportBatch(): BatchExport;
  /** Returns an id; events go to every subscriber until unsubscribe(id). */
  subscribe(listener: TrainingEventListener): number;
  unsubscribe(id: number): void;
  /** Heartbeat: answers `token` as soon as the worker's message loop is free. */
  ping(token: number): number;
}
