/**
 * Keeping the training across reloads: the worker's trained state is saved to the TrainingStore
 * (IndexedDB) at most every SAVE_INTERVAL_MS while training runs and at once when it stops, and
 * the run saved before a reload is handed back when the same network and data are loaded again.
 * The copy comes from the worker packed into one Blob (trained-state-pack.ts), which IndexedDB
 * stores by reference, so saving costs the main thread a message, not a copy of every number.
 */
import type { TrainingEvent } from '../worker/api';
import type { SavedTraining, TrainingStore } from './training-store';
import type { TrainingState } from './training.svelte';

/** Least time between two saves while training runs (ms). */
export const SAVE_INTERVAL_MS = 5000;

/** What the saved state belongs to: the worker's spec (its JSON) and the dataset's choice key. */
export interface TrainedFor {
  specJson: string;
  datasetKey: string;
}

export class TrainingPersistence {
  readonly #store: TrainingStore;
  readonly #training: TrainingState;
  readonly #trainedFor: () => TrainedFor | null;
  readonly #schedule: (task: () => void, ms: number) => unknown;
  /** The run saved before this page was loaded, until it is restored or overwritten. */
  #previous: Promise<SavedTraining | null>;
  /** What the store holds now: the update count and spec (-1: unknown). */
  #savedStep = -1;
  #savedSpec: string | null = null;
  #timerSet = false;
  #saving: Promise<void> | null = null;
  #again = false;
  #disposed = false;
  /** The last save's failure in words, or null. */
  error: string | null = null;

  constructor(
    store: TrainingStore,
    training: TrainingState,
    trainedFor: () => TrainedFor | null,
    schedule: (task: () => void, ms: number) => unknown = (task, ms) => setTimeout(task, ms),
  ) {
    this.#store = store;
    this.#training = training;
    this.#trainedFor = trainedFor;
    this.#schedule = schedule;
    this.#previous = store.loadTraining();
  }

  /** The saved run for this network and data, handed out once; null when there is none. */
  async restorable(wanted: TrainedFor): Promise<SavedTraining | null> {
    const saved = await this.#previous;
    if (!saved || saved.specJson !== wanted.specJson || saved.datasetKey !== wanted.datasetKey)
      return null;
    this.#previous = Promise.resolve(null);
    this.#savedStep = saved.totalSteps;
    this.#savedSpec = saved.specJson;
    return saved;
  }

  /** Training went on (or was reset, or the network changed) since the last save. */
  get unsaved(): boolean {
    const latest = this.#training.latest;
    if (!latest) return false;
    if (latest.status === 'running') return true;
    const trainedFor = this.#trainedFor();
    if (latest.step === 0) return false;
    return latest.step !== this.#savedStep || trainedFor?.specJson !== this.#savedSpec;
  }

  /** A new event was published: save soon (at once when training is not running). */
  changed(latest: TrainingEvent | null): void {
    if (!latest || this.#disposed || !this.#behind(latest)) return;
    if (latest.status !== 'running') {
      void this.saveNow();
      return;
    }
    if (this.#timerSet) return;
    this.#timerSet = true;
    this.#schedule(() => {
      this.#timerSet = false;
      void this.saveNow();
    }, SAVE_INTERVAL_MS);
  }

  /** Save the worker's trained state now (one save at a time; one more if asked meanwhile). */
  saveNow(): Promise<void> {
    if (this.#saving) {
      this.#again = true;
      return this.#saving;
    }
    this.#saving = this.#save().finally(() => {
      this.#saving = null;
      if (this.#again && !this.#disposed) {
        this.#again = false;
        void this.saveNow();
      }
    });
    return this.#saving;
  }

  dispose(): void {
    this.#disposed = true;
  }

  /**
   * Whether the store is behind: unsaved training, or a run this page saved that was since reset
   * (a run saved before the reload is left alone until this page saves one of its own).
   */
  #behind(latest: TrainingEvent): boolean {
    if (latest.step === 0) return this.#savedStep > 0;
    return this.unsaved;
  }

  async #save(): Promise<void> {
    const trainedFor = this.#trainedFor();
    if (!trainedFor) return;
    // A reload must not find a run that was reset or replaced; the first save ends it anyway.
    const state = await this.#training.packedTrainedState();
    if (!state || this.#disposed) return;
    if (state.totalSteps === 0) {
      await this.#store.clearTraining();
      this.#savedStep = 0;
      this.#savedSpec = trainedFor.specJson;
      this.#previous = Promise.resolve(null);
      return;
    }
    this.error = await this.#store.saveTraining({
      version: 2,
      specJson: trainedFor.specJson,
      datasetKey: trainedFor.datasetKey,
      packed: state.packed,
      epoch: state.epoch,
      totalSteps: state.totalSteps,
      savedAt: Date.now(),
    });
    if (this.error === null) {
      this.#savedStep = state.totalSteps;
      this.#savedSpec = trainedFor.specJson;
      this.#previous = Promise.resolve(null);
    }
  }
}
