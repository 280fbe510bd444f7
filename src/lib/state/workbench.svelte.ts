/**
 * Workbench: the page-level state of training — the dataset choice and its loading, following a
 * template's dataset and settings, deciding when the compiled network and the data go to the
 * worker, and model import/export. Components read it and call its verbs; what the training panel
 * shows (status, blockers, messages) is derived from it in workbench-view.svelte.ts.
 *
 * - The chosen dataset sets the compile context (Input size, number of classes), so the graph's
 *   checks against the data are live.
 * - A new dataset loads the network into the worker afresh; an edit of the network on the same
 *   data keeps what it can (the worker's respec: same-shape layers keep their weights, undo brings
 *   an earlier network's training back) and says so, with Undo; moving nodes does not count.
 * - The trained state is saved in IndexedDB and restored on reload (training-persistence.ts);
 *   an uploaded file's data is kept there too. Leaving with unsaved training asks first.
 * - Choosing a template also chooses its dataset and settings.
 *
 * Over 300 lines because it is the one place the page's data, network and worker meet; the parts
 * with their own logic live beside it (dataset-choice, model-transfer, training-persistence).
 */
import { untrack } from 'svelte';
import { DEFAULT_TRAINING } from '../engine/settings';
import type { LayerSpec } from '../engine/spec';
import { emptyHistory, type History, type Metrics } from '../engine/types';
import type { Dataset } from '../data/index';
import type { Template } from '../graph/templates';
import type { ModelHistory } from '../model-file/index';
import type { TrainingWorkerClient } from '../worker/client';
import {
  builtinChoice,
  choiceKey,
  choiceLabel,
  describeDataset,
  type DatasetChoice,
  type WorkerDataset,
} from './dataset-choice';
import { isWorkerDataset, storeChoice, storeTable } from './worker-datasets';
import type { GraphState } from './graph.svelte';
import {
  compileContextFor,
  modelFileName,
  modelFileText,
  modelName,
  planImport,
} from './model-transfer';
import { replacingPatch } from './settings-patch';
import { TrainingState } from './training.svelte';
import { messageOf } from './training-report.svelte';
import { loadTrainingPrefs, pageStorage, saveTrainingPrefs } from './training-prefs';
import { keptWorkNote, type KeptWorkNote } from './kept-work-note';
import { TrainingPersistence } from './training-persistence';
import { indexedDbTrainingStore, savedState, type TrainingStore } from './training-store';

/** A model file just imported: its metrics are shown until training goes on. */
export interface ImportedModel {
  fileName: string;
  metrics: Metrics | null;
}

export type { KeptWorkNote };

export interface WorkbenchOptions {
  /** Where the dataset and settings are kept between reloads (localStorage by default). */
  storage?: Storage | null;
  /**
   * Loads a dataset choice (tests pass one that reads files and gives a whole Dataset, which is
   * then stored in the worker); by default the worker loads it (worker-datasets.ts).
   */
  loadChoice?: (choice: DatasetChoice) => Promise<Dataset | WorkerDataset>;
  /** Makes the worker client (tests pass an in-process one). */
  createClient?: () => TrainingWorkerClient;
  /** Where the trained state is kept between reloads (IndexedDB by default; null: nowhere). */
  trainingStore?: TrainingStore | null;
}

function fullHistory(history: ModelHistory | null): History | null {
  if (!history || history.epoch.length === 0) return null;
  return { ...emptyHistory(), ...history };
}

export class Workbench {
  readonly graph: GraphState;
  readonly training: TrainingState;

  #choice = $state.raw<DatasetChoice>({ source: 'builtin', name: 'iris' });
  /** A choice being loaded (shown in the picker meanwhile); null when none is. */
  #pendingChoice = $state.raw<DatasetChoice | null>(null);
  #dataset = $state.raw<WorkerDataset | null>(null);
  #datasetError = $state.raw<string | null>(null);
  #imported = $state.raw<ImportedModel | null>(null);
  #importError = $state.raw<string | null>(null);
  #importNote = $state.raw<string | null>(null);
  #exportError = $state.raw<string | null>(null);
  #importing = $state.raw(false);
  #keptWork = $state.raw<KeptWorkNote | null>(null);
  /** Why the worker refused the network on the canvas (too large, ...), or null. */
  #networkProblem = $state.raw<string | null>(null);
  /** Networks go to the worker one after another (an edit waits for the load before it). */
  #networkQueue: Promise<void> = Promise.resolve();
  readonly #store: TrainingStore | null;
  readonly #persistence: TrainingPersistence | null;
  readonly #onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!this.#persistence?.unsaved) return;
    void this.#persistence.saveNow();
    event.preventDefault();
    // Older browsers show the prompt only when returnValue is set.
    event.returnValue = '';
  };

  /** The newest dataset request: an older one that finishes later is dropped. */
  #datasetRequest = 0;
  /** What the worker was last asked to load (the spec's JSON and the dataset's identity). */
  #loadedSpecJson: string | null = null;
  #loadedDataset: WorkerDataset | null = null;
  #seenTemplate: Template | null;
  readonly #storage: Storage | null;
  readonly #loadChoice: ((choice: DatasetChoice) => Promise<Dataset | WorkerDataset>) | null;
  readonly #stopFollowing: () => void;

  readonly datasetSummary: string = $derived.by(() => {
    if (this.#pendingChoice) return `Loading ${choiceLabel(this.#pendingChoice)}…`;
    if (this.#datasetError) return this.#datasetError;
    return this.#dataset ? describeDataset(this.#dataset) : 'No dataset loaded.';
  });

  constructor(graph: GraphState, options: WorkbenchOptions = {}) {
    this.graph = graph;
    this.#storage = options.storage !== undefined ? options.storage : pageStorage();
    this.#loadChoice = options.loadChoice ?? null;
    const template = untrack(() => graph.template);
    this.#seenTemplate = template;
    // What the panel had before the page was reloaded (a template just chosen wins).
    const saved = template ? null : loadTrainingPrefs(this.#storage);
    const name = template?.dataset ?? saved?.dataset ?? 'iris';
    this.#choice = builtinChoice(name) ?? { source: 'builtin', name: 'iris' };
    this.training = new TrainingState({
      settings: template?.training ?? saved?.settings ?? DEFAULT_TRAINING,
      createClient: options.createClient,
    });
    this.#store =
      options.trainingStore !== undefined ? options.trainingStore : indexedDbTrainingStore();
    this.#persistence = this.#store
      ? new TrainingPersistence(this.#store, this.training, () => this.#trainedFor())
      : null;
    void this.chooseDataset(this.#choice);
    // An uploaded file in use before the reload comes back (unless a template was just chosen).
    if (this.#store && !template) void this.#restoreUpload(this.#store);
    if (this.#persistence && typeof window !== 'undefined')
      window.addEventListener('beforeunload', this.#onBeforeUnload);
    // The workbench follows the graph (its template, its compiled network) and keeps the
    // choices for the next reload; the effects live as long as the workbench.
    this.#stopFollowing = $effect.root(() => {
      // In a task of its own: the panel's update (settings, dataset) then lands in a later frame
      // than the canvas drawing the new graph, each frame under 50 ms (a newer template wins).
      $effect(() => {
        const template = this.graph.template;
        const timer = setTimeout(() => this.#followTemplate(template));
        return () => clearTimeout(timer);
      });
      $effect(() => this.#sendNetwork(this.graph.compiled.spec, this.#dataset));
      $effect(() => this.#savePrefs(this.#choice, this.training.settings));
      // The size message on the canvas names the memory for the optimizer chosen.
      $effect(() => {
        const optimizer = this.training.settings.optimizer.name;
        untrack(() => {
          if (this.graph.context.optimizer !== optimizer) this.graph.setContext({ optimizer });
        });
      });
      $effect(() => this.#persistence?.changed(this.training.latest));
    });
  }

  /**
   * What the workbench's own effects do when what they read changes: follow a new template,
   * send a changed network or dataset to the worker, keep the choices. Each step does nothing
   * when nothing changed. Unit tests in Node (where effects do not run) call it directly.
   */
  follow(): void {
    this.#followTemplate(this.graph.template);
    this.#sendNetwork(this.graph.compiled.spec, this.#dataset);
    this.#savePrefs(this.#choice, this.training.settings);
    this.#persistence?.changed(this.training.latest);
  }

  /** The dataset in use (or the one being loaded, for the picker). */
  get choice(): DatasetChoice {
    return this.#pendingChoice ?? this.#choice;
  }
  get pendingChoice(): DatasetChoice | null {
    return this.#pendingChoice;
  }
  /** The facts of the dataset in use (the worker holds its numbers). */
  get dataset(): WorkerDataset | null {
    return this.#dataset;
  }
  get datasetError(): string | null {
    return this.#datasetError;
  }
  get imported(): ImportedModel | null {
    return this.#imported;
  }
  get importError(): string | null {
    return this.#importError;
  }
  get importNote(): string | null {
    return this.#importNote;
  }
  get exportError(): string | null {
    return this.#exportError;
  }
  get importing(): boolean {
    return this.#importing;
  }
  /** What happened to the trained work at the last edit or reload, or null. */
  get keptWork(): KeptWorkNote | null {
    return this.#keptWork;
  }
  /** Why the worker refused the network on the canvas, or null. */
  get networkProblem(): string | null {
    return this.#networkProblem;
  }
  /** Training that a reload would lose (not yet saved). */
  get unsavedTraining(): boolean {
    return this.#persistence?.unsaved ?? false;
  }
  /** The network and data went to the worker and it answered (for tests and the persistence). */
  settled(): Promise<void> {
    return this.#networkQueue;
  }
  /** Save the trained state now (tests; the page saves by itself). */
  saveTraining(): Promise<void> {
    return this.#persistence?.saveNow() ?? Promise.resolve();
  }
  dismissKeptWork(): void {
    this.#keptWork = null;
  }

  /** Make `next` the dataset in use once it has loaded; a failure keeps the one in use. */
  async chooseDataset(next: DatasetChoice, loaded?: WorkerDataset): Promise<void> {
    const request = ++this.#datasetRequest;
    this.#pendingChoice = next;
    this.#datasetError = null;
    try {
      const result = loaded ?? (await this.#load(next));
      if (request !== this.#datasetRequest) return;
      this.#useDataset(next, result);
      this.#imported = null;
    } catch (error) {
      if (request === this.#datasetRequest)
        this.#datasetError = `Could not load ${choiceLabel(next)}: ${messageOf(error)}`;
    } finally {
      if (request === this.#datasetRequest) this.#pendingChoice = null;
    }
  }

  /** Train from the start again (an imported model's history is left behind). */
  reset(): void {
    this.#imported = null;
    void this.training.reset();
  }

  /** Read a model file and, when it fits, make the page follow it; otherwise change nothing. */
  async importModel(fileName: string, text: string): Promise<void> {
    this.#importError = null;
    this.#importNote = null;
    this.#importing = true;
    try {
      const dataset = this.#dataset;
      const current = dataset ? { choice: this.#choice, dataset } : null;
      const result = await planImport(text, current, (choice) => this.#load(choice));
      if (!result.ok) {
        this.#importError = `${fileName} was not imported: ${result.reason}`;
        return;
      }
      const plan = result.plan;
      const { spec, weights } = plan;
      // "Epochs" is the total: the file's epochs count, and Train goes on when Epochs is raised.
      const history = weights ? fullHistory(plan.history) : null;
      const epochsDone = history?.epoch.length ?? 0;
      const settings = { ...plan.settings, epochs: Math.max(plan.settings.epochs, epochsDone) };
      const previous = history ? { epoch: epochsDone, totalSteps: 0, history } : null;
      await this.#networkQueue;
      const kept = { classes: plan.classes, standardization: plan.standardization };
      if (
        !(await this.training.load(spec, plan.dataset, { settings, weights, previous, ...kept }))
      ) {
        this.#importError = `${fileName} was not imported: ${this.training.error ?? 'the worker refused it.'}`;
        this.training.dismissError();
        return;
      }
      // Checked and loaded: now the page follows the file.
      this.#datasetRequest++;
      this.#pendingChoice = null;
      this.#useDataset(plan.choice, plan.dataset);
      this.graph.loadDocument(plan.model.graph);
      this.#rememberLoaded(
        untrack(() => this.graph.compiled.spec),
        plan.dataset,
      );
      this.#imported = { fileName, metrics: weights ? plan.metrics : null };
      this.#keptWork = null;
      this.#networkProblem = null;
      this.#importNote =
        `Imported ${fileName}: network, dataset (${choiceLabel(plan.choice)}), settings` +
        (weights
          ? ` and trained weights${epochsDone > 0 ? ` (${epochsDone} epochs, shown in the charts)` : ''}. To train on, raise Epochs above ${settings.epochs}.`
          : '.');
      // Show the metrics of these weights on this split, measured by the worker.
      if (weights) {
        const state = await this.training.exportModel();
        const imported = this.#imported;
        if (state && imported?.fileName === fileName)
          this.#imported = { ...imported, metrics: state.metrics };
      }
    } finally {
      this.#importing = false;
    }
  }

  /** The model file of the graph and the worker's state; null (and a message) if there is none. */
  async exportModel(): Promise<{ fileName: string; text: string } | null> {
    this.#exportError = null;
    const state = await this.training.exportModel();
    if (!state) {
      this.#exportError = this.training.error ?? 'The worker did not answer.';
      return null;
    }
    try {
      return {
        fileName: modelFileName(modelName(state.dataset)),
        text: modelFileText(this.graph.document, state),
      };
    } catch (error) {
      this.#exportError = messageOf(error);
      return null;
    }
  }

  dismissImportError(): void {
    this.#importError = null;
  }
  dismissImportNote(): void {
    this.#importNote = null;
  }
  dismissExportError(): void {
    this.#exportError = null;
  }

  /** Stop following the graph and stop the worker (the page is going away). */
  dispose(): void {
    this.#stopFollowing();
    this.#persistence?.dispose();
    if (typeof window !== 'undefined')
      window.removeEventListener('beforeunload', this.#onBeforeUnload);
    this.training.dispose();
  }

  /** The worker loads and keeps what `choice` names; the page gets its facts. */
  async #load(choice: DatasetChoice): Promise<WorkerDataset> {
    const client = this.training.ensureWorkerClient();
    if (!this.#loadChoice) return storeChoice(client, choice);
    const data = await this.#loadChoice(choice);
    return isWorkerDataset(data) ? data : storeTable(client, data);
  }

  /** The data in use; it decides the Input size and what the output must look like. */
  #useDataset(choice: DatasetChoice, dataset: WorkerDataset): void {
    this.#choice = choice;
    this.#dataset = dataset;
    this.#datasetError = null;
    this.graph.setContext(compileContextFor(dataset, choice));
    // An uploaded file is kept for the next reload (the file and its options); a built-in one needs nothing.
    void this.#store?.saveUpload(choice.source === 'upload' ? choice : null);
  }

  async #restoreUpload(store: TrainingStore): Promise<void> {
    const upload = await store.loadUpload();
    const untouched = this.#datasetRequest <= 1 && this.#choice.source === 'builtin';
    if (upload && untouched) await this.chooseDataset(upload);
  }

  /** What the worker's trained state belongs to, for the persistence. */
  #trainedFor(): { specJson: string; datasetKey: string } | null {
    const spec = this.training.spec;
    if (!spec || !this.training.loaded || this.training.dataset !== this.#dataset) return null;
    return { specJson: JSON.stringify(spec), datasetKey: choiceKey(this.#choice) };
  }

  /** A template newly loaded brings its dataset and settings. */
  #followTemplate(template: Template | null): void {
    if (!template || template === this.#seenTemplate) return;
    this.#seenTemplate = template;
    untrack(() => {
      void this.training.configure(replacingPatch(template.training));
      const next = builtinChoice(template.dataset);
      if (next && choiceKey(next) !== choiceKey(this.#choice)) void this.chooseDataset(next);
    });
  }

  /** Load the network into the worker when it or the data really changed. */
  #sendNetwork(spec: LayerSpec | null, dataset: WorkerDataset | null): void {
    if (!spec || !dataset) {
      // A refusal was about a network no longer on the canvas.
      if (this.#networkProblem !== null) untrack(() => (this.#networkProblem = null));
      return;
    }
    // The compiled spec is a new object after every compile; its JSON says whether it changed.
    const json = JSON.stringify(spec);
    if (json === this.#loadedSpecJson && dataset === this.#loadedDataset) return;
    const edit = dataset === this.#loadedDataset && this.#loadedSpecJson !== null;
    this.#rememberLoaded(spec, dataset);
    untrack(() => {
      this.#imported = null;
      const choice = this.#choice;
      this.#networkQueue = this.#networkQueue.then(() =>
        edit && this.training.loaded
          ? this.#applyEdit(spec)
          : this.#loadNetwork(spec, dataset, json, choiceKey(choice)),
      );
    });
  }

  /** A new network or dataset: the run saved before a reload when it is theirs, else afresh. */
  async #loadNetwork(
    spec: LayerSpec,
    dataset: WorkerDataset,
    specJson: string,
    datasetKey: string,
  ): Promise<void> {
    const saved = await this.#persistence?.restorable({ specJson, datasetKey });
    const state = saved ? await savedState(saved) : null;
    if (state) {
      const { weights, epoch, totalSteps, history, classes, standardization, optimizer } = state;
      // The classes and scaling the weights belong to (an imported model's may not be the data's).
      const ok = await this.training.load(spec, dataset, {
        flatWeights: weights,
        previous: { epoch, totalSteps, history },
        classes,
        standardization,
        optimizerState: optimizer,
      });
      if (ok) {
        this.#networkProblem = null;
        this.#keptWork = {
          title: 'Training restored.',
          text: `Restored your training: epoch ${epoch} of ${this.training.settings.epochs}, with its weights, optimizer state and history.`,
          undo: false,
        };
        return;
      }
      this.training.dismissError();
    }
    const ok = await this.training.load(spec, dataset);
    this.#noteRefusal(ok);
  }

  /** An edit on the same data: the worker keeps what it can; say what happened. */
  async #applyEdit(spec: LayerSpec): Promise<void> {
    const trained = (this.training.latest?.step ?? 0) > 0;
    const result = await this.training.respec(spec);
    this.#noteRefusal(result !== null);
    if (result) this.#keptWork = keptWorkNote(result, trained) ?? this.#keptWork;
  }

  /** A refused network (too large, ...) blocks training with the worker's words. */
  #noteRefusal(ok: boolean): void {
    if (ok) {
      this.#networkProblem = null;
      return;
    }
    this.#networkProblem = this.training.error;
    this.training.dismissError();
  }

  #rememberLoaded(spec: LayerSpec | null, dataset: WorkerDataset | null): void {
    this.#loadedSpecJson = spec ? JSON.stringify(spec) : null;
    this.#loadedDataset = dataset;
  }

  /** Kept for the next reload (built-in datasets only: an uploaded file is not stored). */
  #savePrefs(choice: DatasetChoice, settings: TrainingState['settings']): void {
    if (choice.source === 'builtin')
      saveTrainingPrefs(this.#storage, { dataset: choice.name, settings });
  }
}
