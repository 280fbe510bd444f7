/**
 * BackpropInspector: the state of the inspector's "Backprop" tab. It asks the worker for the
 * chain-rule terms of one node for the current mini-batch, keeps the teaching switch "Common
 * mistakes" (sent to the worker, where the terms and Check gradients then run the variant, or
 * the data is re-prepared with the scaler fitted on all rows), the
 * hovered cell with its arithmetic (explainCell, from the engine: the page holds no maths), and
 * exports the batch's rows so `cli grad` can be run on them.
 */
import {
  MISTAKES,
  SCALER_BEFORE_SPLIT,
  explainCell,
  type CellExplanation,
  type TermName,
} from '../engine/index';
import type { BackpropTermsResult, BatchExport, TeachingMistake } from '../worker/api';
import type { TrainingWorkerClient } from '../worker/client';
import { messageOf } from './training-report.svelte';
import type { TrainingState } from './training.svelte';

/** The switch's four choices: the three the network runs, then the one in data preparation. */
export const TEACHING_MISTAKES: readonly {
  id: TeachingMistake;
  label: string;
  description: string;
}[] = [...MISTAKES, SCALER_BEFORE_SPLIT];

export interface HoveredCell {
  term: TermName;
  row: number;
  col: number;
}

/** The block of each term asked for: larger terms show their top-left corner and "…". */
export const SHOWN_ROWS = 12;
export const SHOWN_COLS = 10;

export class BackpropInspector {
  readonly training: TrainingState;
  #result = $state.raw<BackpropTermsResult | null>(null);
  #error = $state.raw<string | null>(null);
  #loading = $state.raw(false);
  #mistake = $state.raw<TeachingMistake | null>(null);
  #hovered = $state.raw<HoveredCell | null>(null);
  /** The newest request: an older answer that arrives later is dropped. */
  #request = 0;
  /** The client the mistake was last sent to, and what was sent (a new worker starts without). */
  #syncedClient: TrainingWorkerClient | null = null;
  #syncedMistake: TeachingMistake | null = null;

  /** The arithmetic of the hovered cell, and what it highlights; null when none is hovered. */
  readonly explanation: CellExplanation | null = $derived.by(() => {
    const cell = this.#hovered,
      result = this.#result;
    if (!cell || !result) return null;
    return explainCell(result.layer, cell.term, cell.row, cell.col);
  });

  constructor(training: TrainingState) {
    this.training = training;
  }

  get result(): BackpropTermsResult | null {
    return this.#result;
  }
  get error(): string | null {
    return this.#error;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get mistake(): TeachingMistake | null {
    return this.#mistake;
  }
  get mistakeInfo(): (typeof TEACHING_MISTAKES)[number] | null {
    return TEACHING_MISTAKES.find((m) => m.id === this.#mistake) ?? null;
  }
  get hovered(): HoveredCell | null {
    return this.#hovered;
  }

  /** Ask the worker for the terms of node `layerId` for the current batch. */
  async show(layerId: string): Promise<void> {
    const request = ++this.#request;
    const client = this.training.workerClient;
    if (!client) {
      this.#error = 'Load a network and a dataset first: the terms come from the training worker.';
      this.#result = null;
      return;
    }
    this.#loading = true;
    try {
      await this.#syncMistake(client);
      const result = await client.api.backpropTerms({
        layerId,
        maxRows: SHOWN_ROWS,
        maxCols: SHOWN_COLS,
      });
      if (request !== this.#request) return;
      this.#result = result;
      this.#error = null;
      if (this.#hovered && !result.layer.terms.some((t) => t.name === this.#hovered?.term))
        this.#hovered = null;
    } catch (e) {
      if (request !== this.#request) return;
      this.#result = null;
      this.#error = messageOf(e);
    } finally {
      if (request === this.#request) this.#loading = false;
    }
  }

  /** Forget the terms (no node to show); a pending answer is dropped. */
  clear(): void {
    this.#request++;
    this.#result = null;
    this.#error = null;
    this.#loading = false;
    this.#hovered = null;
  }

  /**
   * Turn a teaching mistake on (or off with null). The worker's terms and Check gradients run it
   * from now on; an earlier gradient-check verdict no longer describes the maths, so it goes.
   */
  async setMistake(mistake: TeachingMistake | null): Promise<void> {
    const refit =
      (mistake === SCALER_BEFORE_SPLIT.id) !== (this.#mistake === SCALER_BEFORE_SPLIT.id);
    this.#mistake = mistake;
    this.training.gradientCheck = null;
    const client = this.training.workerClient;
    if (!client) return;
    try {
      await this.#syncMistake(client);
      // The worker re-prepared the data (and said so in an event): its scaler is another now.
      if (refit) this.training.dataInfo = await client.api.getDataInfo();
    } catch (e) {
      this.#error = messageOf(e);
    }
  }

  /** Send the mistake again if the worker was replaced (restart) since it was last sent. */
  async sync(): Promise<void> {
    const client = this.training.workerClient;
    if (client) await this.#syncMistake(client).catch((e) => (this.#error = messageOf(e)));
  }

  /** The current batch's rows as CSV, or null (and a message) when the worker cannot answer. */
  async exportBatch(): Promise<BatchExport | null> {
    const client = this.training.workerClient;
    if (!client) {
      this.#error = 'Load a network and a dataset first.';
      return null;
    }
    try {
      return await client.api.exportBatch();
    } catch (e) {
      this.#error = messageOf(e);
      return null;
    }
  }

  hover(cell: HoveredCell | null): void {
    this.#hovered = cell;
  }

  async #syncMistake(client: TrainingWorkerClient): Promise<void> {
    if (client === this.#syncedClient && this.#mistake === this.#syncedMistake) return;
    const wanted = this.#mistake;
    await client.api.setMistake(wanted);
    this.#syncedClient = client;
    this.#syncedMistake = wanted;
  }
}
