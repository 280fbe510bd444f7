/**
 * One CSV upload as the upload panel shows it: the file is read in the worker (progress, Cancel),
 * its first rows previewed with the detected delimiter, and every change of target, task,
 * delimiter or a column's kind prepared again in the worker, which answers the dataset's facts or
 * the problem (with its line). The page never parses the file.
 */
import type { ColumnKind, CsvColumn, Delimiter, Task } from '../data/index';
import type { UploadPreview, UploadProblem, UploadProgress } from '../worker/dataset-api';
import type { TrainingWorkerClient } from '../worker/client';
import type { UploadChoice, WorkerDataset } from './dataset-choice';
import { cancelUpload, prepareUpload, previewUpload, readUpload } from './worker-datasets';

export type UploadPhase = 'empty' | 'reading' | 'preparing' | 'ready' | 'failed';

let uploads = 0;

export class UploadSession {
  readonly #client: () => TrainingWorkerClient;
  #file: Blob | null = null;
  #uploadId = '';
  /** The newest request; answers to older ones are dropped (a Cancel counts as one). */
  #request = 0;

  phase = $state<UploadPhase>('empty');
  progress = $state.raw<UploadProgress | null>(null);
  preview = $state.raw<UploadPreview | null>(null);
  problem = $state.raw<UploadProblem | null>(null);
  target = $state('');
  task = $state<'auto' | Task>('auto');
  delimiter = $state<Delimiter>(',');
  /** Kinds the user chose, by column (the others are chosen automatically by the worker). */
  kinds = $state.raw<readonly (readonly [string, ColumnKind])[]>([]);
  /** What the last clean preparation made of each column. */
  columns = $state.raw<CsvColumn[]>([]);
  /** The prepared dataset (in the worker) and the choice it came from. */
  prepared = $state.raw<{ choice: UploadChoice; dataset: WorkerDataset } | null>(null);

  constructor(client: () => TrainingWorkerClient) {
    this.#client = client;
  }

  get fileName(): string {
    return this.preview?.fileName ?? '';
  }

  /** Read a new file in the worker, then prepare it with the last column as target. */
  async open(file: File): Promise<void> {
    const request = ++this.#request;
    this.#reset();
    this.#file = file;
    this.#uploadId = `upload-${++uploads}`;
    this.phase = 'reading';
    this.progress = { phase: 'reading', done: 0, total: file.size };
    const result = await readUpload(this.#client(), this.#uploadId, file, file.name, (p) => {
      if (request === this.#request) this.progress = p;
    });
    if (request !== this.#request) return;
    if (!result.ok) return this.#fail(result.problem);
    this.preview = result.preview;
    this.delimiter = result.preview.delimiter;
    this.target = result.preview.columns[result.preview.columns.length - 1] ?? '';
    await this.#prepare(request);
  }

  /** Stop reading or preparing; the data in use stays. */
  cancel(): void {
    this.#request++;
    if (this.#uploadId) void cancelUpload(this.#client(), this.#uploadId);
    this.#reset();
  }

  clear(): void {
    this.cancel();
  }

  setTarget(target: string): Promise<void> {
    this.target = target;
    return this.#prepare(++this.#request);
  }

  setTask(task: 'auto' | Task): Promise<void> {
    this.task = task;
    return this.#prepare(++this.#request);
  }

  setKind(column: string, kind: ColumnKind): Promise<void> {
    this.kinds = [...this.kinds.filter(([name]) => name !== column), [column, kind]];
    return this.#prepare(++this.#request);
  }

  /** Read the file again with another delimiter: new columns, so kinds start over. */
  async setDelimiter(delimiter: Delimiter): Promise<void> {
    const request = ++this.#request;
    this.delimiter = delimiter;
    this.kinds = [];
    const result = await previewUpload(this.#client(), this.#uploadId, delimiter);
    if (request !== this.#request) return;
    if (!result.ok) return this.#fail(result.problem);
    this.preview = result.preview;
    if (!result.preview.columns.includes(this.target))
      this.target = result.preview.columns[result.preview.columns.length - 1] ?? '';
    await this.#prepare(request);
  }

  /** The kind shown for a column: the user's, else what the worker chose. */
  kindOf(column: string): ColumnKind {
    const chosen = this.kinds.find(([name]) => name === column)?.[1];
    if (chosen) return chosen;
    const role = this.columns.find((c) => c.name === column)?.role;
    return role && role !== 'target' ? role : 'number';
  }

  async #prepare(request: number): Promise<void> {
    const file = this.#file;
    if (!file || !this.target) return;
    this.phase = 'preparing';
    this.progress = { phase: 'parsing', done: 0, total: 0 };
    const options = {
      target: this.target,
      delimiter: this.delimiter,
      ...(this.task === 'auto' ? {} : { task: this.task }),
      ...(this.kinds.length > 0
        ? {
            kinds: this.kinds
              .filter(([name]) => name !== this.target)
              .map(([name, kind]): [string, ColumnKind] => [name, kind]),
          }
        : {}),
    };
    const { result, handle } = await prepareUpload(this.#client(), this.#uploadId, file, options);
    if (request !== this.#request) {
      if (handle) void this.#client().api.forgetDataset(handle.key);
      return;
    }
    this.progress = null;
    if (!result.ok || !handle)
      return this.#fail(result.ok ? { message: 'Not prepared.' } : result.problem);
    const previous = this.prepared;
    if (previous) void this.#client().api.forgetDataset(previous.dataset.key);
    this.problem = null;
    this.columns = result.columns;
    this.prepared = {
      choice: { source: 'upload', fileName: handle.name, file, options },
      dataset: handle,
    };
    this.phase = 'ready';
  }

  #fail(problem: UploadProblem): void {
    this.problem = problem;
    this.prepared = null;
    this.progress = null;
    this.phase = 'failed';
  }

  #reset(): void {
    this.phase = 'empty';
    this.progress = null;
    this.preview = null;
    this.problem = null;
    this.prepared = null;
    this.columns = [];
    this.kinds = [];
    this.task = 'auto';
    this.target = '';
  }
}
