/**
 * Node-only loader of the built-in datasets, reading static/datasets/ with node:fs. Kept apart from
 * index.ts so the browser bundle never imports node:fs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzip as zlibGunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { loadBuiltinDataset } from './builtin';
import { DataError, aboutSource } from './errors';
import { isGzip, notGzipError, type Gunzip } from './gunzip';
import type { SyntheticOptions } from './synthetic';
import type { Dataset } from './types';

/** static/datasets/, found from this file (src/lib/data/), so any working directory works. */
export const STATIC_DATASETS_DIR = fileURLToPath(
  new URL('../../../static/datasets/', import.meta.url),
);

export function readDatasetFileNode(fileName: string): Promise<string> {
  return readFile(join(STATIC_DATASETS_DIR, fileName), 'utf8');
}

export async function readDatasetBytesNode(fileName: string): Promise<Uint8Array> {
  const buffer = await readFile(join(STATIC_DATASETS_DIR, fileName));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

const gunzipAsync = promisify(zlibGunzip);

/** gunzip with node:zlib (off the main thread, in libuv's pool). */
export const gunzipNode: Gunzip = async (bytes, name) => {
  if (!isGzip(bytes)) throw notGzipError(name);
  try {
    const out = await gunzipAsync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    throw new DataError(
      aboutSource(
        name,
        `could not be decompressed (${error instanceof Error ? error.message : String(error)}).`,
      ),
    );
  }
};

export function loadBuiltinDatasetNode(
  name: string,
  synthetic: SyntheticOptions = {},
): Promise<Dataset> {
  return loadBuiltinDataset(name, readDatasetFileNode, synthetic, {
    readBytes: readDatasetBytesNode,
    gunzip: gunzipNode,
  });
}
