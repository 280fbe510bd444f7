/**
 * TrainingState: training as the page sees it. It owns the training settings (one verb,
 * configure, merges and checks a change with resolveSettings, then sends the whole settings to
 * the worker) and the verbs that forward to the worker (through WorkerConnection, which owns the
 * worker and its health); what the worker reported is kept by TrainingReport, which it extends.
 * The engine never runs here: every number comes from the worker. A restart loads the same spec,
 * data, settings and the last trained state received (weights, epochs, history) into a new worker.
 *
 * Over 300 lines because every verb the page sends to the worker is here, each a few lines with
 * its own error handling; what comes back is kept by TrainingReport and the worker's health by
 * WorkerConnection.
 */
import type { WeightsJson } from '../engine/types';
import type { LayerSpec } from '../engine/spec';
import {
  OPTIMIZER_PARAMETERS,
  checkedSettings,
  resolveSettings,
  type SettingsErrors,
  type SettingsField,
  type SettingsPatch,
  type TrainingSettings,
} from '../engine/settings';
import type { Dataset, Standardization } from '../data/types';
import type { WorkerDataset } from './dataset-choice';
import { keyIn } from './worker-datasets';
import type { FlatWeights } from '../engine/flat-weights';
import type { OptimizerState } from '../engine/optimizers/index';
import { unpackTrainedState } from '../worker/trained-state-pack';
import { checkedTrainedState } from './training-store';
import type {
  GradientCheckReport,
  ModelState,
  PackedRun,
  PreviousRun,
  RespecResult,
  PackedTrainedState,
  TrainedState,
  TrainingEvent,
} from '../worker/api';
import type { TrainingWorkerClient } from '../worker/client';
import type { GradientHistory, TrainingProgress } from './event-batch';
import { TrainingReport, messageOf } from './training-report.svelte';
import { WorkerConnection, type WorkerHealth } from './worker-connection.svelte';

export type { GradientHistory, TrainingProgress, WorkerHealth };

export interface TrainingStateOptions {
  /** The settings to start from (a template's, the last page's, or the defaults). */
  settings: TrainingSettings;
  /** Makes the worker client (tests pass an in-process one). */
  createClient?: () => TrainingWorkerClient;
  now?: () => number;
}

type Api = TrainingWorkerClient['api'];

export interface LoadOptions {
  /** An imported model file's settings (kept only if the worker accepts). */
  settings?: TrainingSettings;
  /** An imported model file's weights. */
  weights?: WeightsJson | null;
  /** Weights as typed arrays (a restart, a reload); preferred over `weights`. */
  flatWeights?: FlatWeights | null;
  /** The run the weights come from: its epochs, updates and history go on. */
  previous?: PreviousRun | PackedRun | null;
  /** An imported trained file's class order and input scaling: kept, not taken from the data. */
  classes?: string[] | null;
  standardization?: Standardization | null;
  /** That run's optimizer state (with flatWeights), when it was kept. */
  optimizerState?: OptimizerState | null;
}
/** The fields a patch touches (optimizer keys by their own names). */
function touchedFields(patch: SettingsPatch): SettingsField[] {
  const { optimizer, ...rest } = patch;
  const fields = Object.keys(rest) as SettingsField[];
  for (const key of Object.keys(optimizer ?? {}))
    fields.push(key === 'name' ? 'optimizer' : (key as SettingsField));
  return fields;
}

export class TrainingState extends TrainingReport {
  #settings = $state.raw<TrainingSettings>() as TrainingSettings;
  #settingsErrors = $state.raw<SettingsErrors>({});

  readonly #worker: WorkerConnection;

  constructor(options: TrainingStateOptions) {
    let worker: WorkerConnection | null = null;
    super(options.now ?? (() => Date.now()), () => worker?.client ?? null);
    this.#settings = checkedSettings(options.settings);
    this.#worker = worker = new WorkerConnection(
      {
        onEvent: (event) => this.receive(event),
        onFailure: (failure) => {
          this.error = failure.message;
          if (this.status === 'running') this.status = 'paused';
        },
      },
      options.createClient,
    );
  }

  /** The settings in use: always whole and checked (the form shows them, the worker has them). */
  get settings(): TrainingSettings {
    return this.#settings;
  }

  /** Why the last change of a field was refused, per field (shown under the field). */
  get settingsErrors(): SettingsErrors {
    return this.#settingsErrors;
  }

  get health(): WorkerHealth {
    return this.#worker.health;
  }

  /** What the worker says it is doing while a long build keeps it busy, or null. */
  get workerProgress(): string | null {
    return this.#worker.progress;
  }

  /** The worker client when loaded and up (for state that asks the worker itself), else null. */
  get workerClient(): TrainingWorkerClient | null {
    return this.loaded && !this.#worker.down ? this.#worker.client : null;
  }

  /**
   * Change settings: merged with the current ones and checked in one place (resolveSettings). On
   * success the whole settings are kept and, when loaded, sent to the worker (applied between
   * steps); otherwise the field errors are shown and nothing is sent.
   */
  async configure(patch: SettingsPatch): Promise<boolean> {
    const result = resolveSettings(this.#settings, patch);
    const errors: SettingsErrors = { ...this.#settingsErrors };
    for (const field of touchedFields(patch)) delete errors[field];
    if (!result.ok) {
      this.#settingsErrors = { ...errors, ...result.errors };
      return false;
    }
    const before = this.#settings;
    const settings = result.settings;
    // A field the new optimizer does not show cannot keep a complaint nobody can see.
    for (const key of ['momentum', 'rho', 'beta1', 'beta2', 'epsilon'] as const)
      if (!OPTIMIZER_PARAMETERS[settings.optimizer.name].includes(key)) delete errors[key];
    this.#settingsErrors = errors;
    this.#settings = settings;
    if (!this.loaded) return true;
    const ok = await this.#command((api) => api.configure(settings));
    if (
      ok &&
      (settings.testFraction !== before.testFraction || settings.standardize !== before.standardize)
    )
      await this.#refreshDataInfo();
    return ok;
  }

  /**
   * The worker's client, started if needed: for the dataset store and uploads (worker-datasets.ts),
   * which need the worker before anything is loaded (workerClient is null until then).
   */
  ensureWorkerClient(): TrainingWorkerClient {
    return this.#worker.ensure();
  }

  /**
   * Send a network and its data to the worker (replacing what it had), with the settings in use
   * or, for an imported model, the file's settings and weights (kept only if the worker accepts).
   * The data is a dataset the worker holds (named by its key; loaded again into a restarted
   * worker) or a whole Dataset, which is stored in the worker first.
   */
  async load(
    spec: LayerSpec,
    dataset: Dataset | WorkerDataset,
    options: LoadOptions = {},
  ): Promise<boolean> {
    const settings = options.settings ?? this.#settings;
    const weights = options.weights ?? null;
    const flatWeights = options.flatWeights ?? null;
    const previous = options.previous ?? null;
    const optimizerState = options.optimizerState ?? null;
    const client = this.#worker.ensure();
    this.busy = true;
    try {
      const { key, handle } = await keyIn(client, dataset);
      // Preparing a large dataset can take a while: the heartbeat waits longer meanwhile.
      const result = await client.slow(
        client.api.loadStored({
          spec,
          datasetKey: key,
          settings,
          weights,
          flatWeights,
          previous,
          classes: options.classes ?? null,
          standardization: options.standardization ?? null,
          optimizerState,
        }),
      );
      this.spec = spec;
      this.dataset = handle;
      if (options.settings) {
        this.#settings = checkedSettings(options.settings);
        this.#settingsErrors = {};
      }
      const { event, ...info } = result;
      this.dataInfo = info;
      this.loaded = true;
      this.#worker.answered(true);
      this.error = null;
      this.gradientCheck = null;
      this.trainedBackup = null;
      this.startOver(event);
      await this.refreshExtras(true);
      // Settings changed while the worker was loading go to it now.
      if (this.#settings !== settings) await this.#command((api) => api.configure(this.#settings));
      return true;
    } catch (e) {
      this.error = messageOf(e);
      this.#worker.answered(false);
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
      this.trainedBackup = null;
    }
    return ok;
  }

  /**
   * An edit of the network on the same data: the worker keeps what it can (RespecKind). Returns
   * how it was applied, or null when refused (`error` says why; the worker keeps the old network).
   */
  async respec(spec: LayerSpec): Promise<RespecResult | null> {
    const client = this.#readyClient();
    if (!client) return null;
    this.busy = true;
    try {
      // Building a large network takes a while: the heartbeat waits longer meanwhile.
      const result = await client.slow(client.api.respec(spec));
      if (client !== this.#worker.client) return null;
      this.spec = spec;
      this.error = null;
      if (result.kind === 'same' || result.kind === 'initializer') this.receive(result.event);
      else {
        this.gradientCheck = null;
        this.trainedBackup = null;
        this.startOver(result.event);
        await this.refreshExtras(true);
      }
      return result;
    } catch (e) {
      this.error = messageOf(e);
      return null;
    } finally {
      this.busy = false;
    }
  }

  /**
   * The worker's trained state packed into a Blob for storage (trained-state-pack.ts), also kept
   * for a restart; null if none.
   */
  async packedTrainedState(): Promise<PackedTrainedState | null> {
    const client = this.#worker.client;
    if (!client || !this.loaded || this.#worker.down) return null;
    try {
      const packed = await client.api.packTrainedState();
      if (client !== this.#worker.client) return null;
      // Also the freshest backup for a restart.
      this.trainedBackup = packed;
      return packed;
    } catch {
      return null;
    }
  }

  /** The worker's trained state now (typed arrays); null if none. */
  async trainedState(): Promise<TrainedState | null> {
    const client = this.#worker.client;
    if (!client || !this.loaded || this.#worker.down) return null;
    try {
      const state = await client.api.getTrainedState();
      return client === this.#worker.client ? state : null;
    } catch {
      return null;
    }
  }

  /** The worker's part of the model file (weights, settings, history, metrics, standardization). */
  async exportModel(): Promise<ModelState | null> {
    const client = this.#readyClient();
    if (!client) return null;
    try {
      return await client.api.getModelState();
    } catch (e) {
      this.error = messageOf(e);
      return null;
    }
  }

  /** Load weights (validated by the worker: bad weights change nothing and set `error`). */
  async importWeights(weights: WeightsJson): Promise<boolean> {
    return this.#command((api) => api.setWeights(weights));
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

  dismissError(): void {
    this.error = null;
  }

  /**
   * A new worker with the same spec, data, settings and the last trained state received: the
   * weights, the optimizer state, the epoch count and the history go on where the backup was taken.
   */
  async restartWorker(): Promise<boolean> {
    const packed = this.trainedBackup;
    this.#disposeWorker();
    if (!this.spec || !this.dataset) return true;
    const backup = packed
      ? checkedTrainedState(unpackTrainedState(await packed.packed.arrayBuffer()))
      : null;
    if (!backup) return this.load(this.spec, this.dataset);
    const { weights, epoch, totalSteps, history, classes, standardization, optimizer } = backup;
    return this.load(this.spec, this.dataset, {
      flatWeights: weights,
      previous: { epoch, totalSteps, history },
      classes,
      standardization,
      optimizerState: optimizer,
    });
  }

  /** Stop the worker (e.g. when the page goes away). */
  dispose(): void {
    this.#disposeWorker();
    this.loaded = false;
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
    const client = this.#worker.client;
    if (!client || !this.loaded) {
      this.error = 'Load a network and a dataset first.';
      return null;
    }
    return this.#worker.down ? null : client;
  }

  #disposeWorker(): void {
    this.forgetEvents();
    this.#worker.dispose();
  }

  async #command(call: (api: Api) => Promise<TrainingEvent>, slow = false): Promise<boolean> {
    const client = this.#readyClient();
    if (!client) return false;
    try {
      const event = await (slow ? client.slow(call(client.api)) : call(client.api));
      this.error = null;
      if (client === this.#worker.client) this.receive(event);
      return true;
    } catch (e) {
      this.error = messageOf(e);
      return false;
    }
  }
}
