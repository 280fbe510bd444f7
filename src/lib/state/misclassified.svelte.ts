/**
 * The misclassified-images chart's data: asked of the worker (worker/misclassified.ts) when the
 * charts refresh, the newest answer kept. Only image datasets have it.
 */
import type { MisclassifiedData } from '../worker/dataset-api';
import type { TrainingState } from './training.svelte';
import { misclassified } from './worker-datasets';

/** Images shown. */
export const MISCLASSIFIED_SHOWN = 8;

export class MisclassifiedState {
  readonly #training: TrainingState;
  #request = 0;
  data = $state.raw<MisclassifiedData | null>(null);

  constructor(training: TrainingState) {
    this.#training = training;
  }

  /** Ask the worker again (after the confusion matrix changed); errors leave the last answer. */
  async refresh(): Promise<void> {
    const request = ++this.#request;
    if (!this.#training.loaded || !this.#training.dataset?.image) {
      this.data = null;
      return;
    }
    try {
      const answer = await misclassified(this.#training.ensureWorkerClient(), MISCLASSIFIED_SHOWN);
      if (request === this.#request) this.data = answer;
    } catch {
      /* the worker's own error reaches the page through the training commands */
    }
  }
}
