/**
 * Uploads in the worker: the file is read here in chunks (progress after each, a cancel honoured
 * between chunks), its first rows shown as a preview, and its text kept until the user has chosen
 * the target and the column kinds (prepare, which may run many times with new choices).
 */
import { checkHeader } from '../data/csv';
import { forEachRecord } from '../data/csv-records';
import { detectDelimiter, type Delimiter } from '../data/delimiter';
import { DataError } from '../data/errors';
import {
  PREVIEW_ROWS,
  type PreviewResult,
  type UploadOptions,
  type UploadProblem,
  type UploadProgressListener,
} from './dataset-api';
import { csvUploadToDataset } from './dataset-store';
import type { CsvDataset } from '../data/csv-dataset';

/** The text and the file it came from. */
interface UploadText {
  fileName: string;
  text: string;
  bytes: number;
}

const NOT_HELD = 'This upload is no longer held by the worker; choose the file again.';

/** Thrown (as a message) when the page cancelled a read. */
export const CANCELLED = 'The upload was cancelled.';

/** An error as the upload panel shows it, with the line of the file at fault. */
export function uploadProblem(error: unknown, text: string | null): UploadProblem {
  if (!(error instanceof DataError))
    return { message: error instanceof Error ? error.message : String(error) };
  const lineText = error.line !== undefined && text !== null ? lineOf(text, error.line) : undefined;
  return {
    message: error.message,
    ...(error.line !== undefined ? { line: error.line } : {}),
    ...(error.column !== undefined ? { column: error.column } : {}),
    ...(lineText !== undefined ? { lineText } : {}),
  };
}

/** Line `line` (1-based) of `text`, found without splitting the whole file. */
export function lineOf(text: string, line: number): string | undefined {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const end = text.indexOf('\n', start);
    if (end === -1) return undefined;
    start = end + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
}

/** The header and the first rows (with the detected delimiter); reading stops after them. */
export function previewOf(text: string, fileName: string, chosen?: Delimiter) {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = chosen ?? detectDelimiter(body);
  const records: { cells: string[]; line: number }[] = [];
  forEachRecord(body, delimiter, (record, line) => {
    const cells = Array.from({ length: record.length }, (_, j) => record.text(j));
    if (!(cells.length === 1 && cells[0].trim() === '')) records.push({ cells, line });
    return records.length <= PREVIEW_ROWS;
  });
  const [header, ...rows] = records;
  const columns = (header?.cells ?? []).map((c) => c.trim());
  checkHeader(columns, fileName);
  if (columns.length === 0 || (columns.length === 1 && columns[0] === ''))
    throw new DataError(`${fileName} is empty.`);
  return {
    delimiter,
    columns,
    rows: rows.map((r) => r.cells),
    lineNumbers: rows.map((r) => r.line),
  };
}

export class UploadReader {
  readonly #texts = new Map<string, UploadText>();
  readonly #cancelled = new Set<string>();

  /** Read `file` in chunks; the text is kept under `uploadId` (only the latest upload is kept). */
  async read(
    uploadId: string,
    file: Blob,
    fileName: string,
    onProgress?: UploadProgressListener,
  ): Promise<PreviewResult> {
    this.#texts.clear();
    this.#cancelled.delete(uploadId);
    let text: string;
    try {
      text = await this.#readText(uploadId, file, onProgress);
    } catch (error) {
      return { ok: false, problem: uploadProblem(error, null) };
    }
    if (this.#cancelled.delete(uploadId)) return { ok: false, problem: { message: CANCELLED } };
    this.#texts.set(uploadId, { fileName, text, bytes: file.size });
    try {
      const preview = previewOf(text, fileName);
      return { ok: true, preview: { uploadId, fileName, bytes: file.size, ...preview } };
    } catch (error) {
      return { ok: false, problem: uploadProblem(error, text) };
    }
  }

  /** The preview again, read with `delimiter` (the user chose another one). */
  preview(uploadId: string, delimiter: Delimiter): PreviewResult {
    const upload = this.#texts.get(uploadId);
    if (!upload) return { ok: false, problem: { message: NOT_HELD } };
    try {
      const preview = previewOf(upload.text, upload.fileName, delimiter);
      return {
        ok: true,
        preview: { uploadId, fileName: upload.fileName, bytes: upload.bytes, ...preview },
      };
    } catch (error) {
      return { ok: false, problem: uploadProblem(error, upload.text) };
    }
  }

  cancel(uploadId: string): void {
    this.#cancelled.add(uploadId);
    this.#texts.delete(uploadId);
  }

  /** The upload's text as a Dataset with these options, or the problem that stops it. */
  prepare(
    uploadId: string,
    options: UploadOptions,
  ): { ok: true; fileName: string; csv: CsvDataset } | { ok: false; problem: UploadProblem } {
    const upload = this.#texts.get(uploadId);
    if (!upload)
      return {
        ok: false,
        problem: { message: NOT_HELD },
      };
    try {
      const csv = csvUploadToDataset(upload.text, upload.fileName, options);
      return { ok: true, fileName: upload.fileName, csv };
    } catch (error) {
      return { ok: false, problem: uploadProblem(error, upload.text) };
    }
  }

  async #readText(
    uploadId: string,
    file: Blob,
    onProgress?: UploadProgressListener,
  ): Promise<string> {
    const reader = file.stream().getReader();
    const decoder = new TextDecoder();
    const parts: string[] = [];
    let done = 0;
    for (;;) {
      const chunk = await reader.read();
      if (this.#cancelled.has(uploadId)) {
        await reader.cancel();
        throw new Error(CANCELLED);
      }
      if (chunk.done) break;
      done += chunk.value.byteLength;
      parts.push(decoder.decode(chunk.value, { stream: true }));
      void onProgress?.({ phase: 'reading', done, total: file.size });
    }
    parts.push(decoder.decode());
    return parts.join('');
  }
}
