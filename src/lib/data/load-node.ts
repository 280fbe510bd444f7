/**
 * Node-only loader of the built-in datasets, reading static/datasets/ with node:fs. Kept apart from
 * index.ts so the browser bundle never imports node:fs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBuiltinDataset } from './builtin';
import type { SyntheticOptions } from './synthetic';
import type { Dataset } from './types';

/** static/datasets/, found from this file (src/lib/data/), so any working directory works. */
export const STATIC_DATASETS_DIR = fileURLToPath(
  new URL('../../../static/datasets/', import.meta.url),
);

export function readDatasetFileNode(fileName: string): Promise<string> {
  return readFile(join(STATIC_DATASETS_DIR, fileName), 'utf8');
}

export function loadBuiltinDatasetNode(
  name: string,
  synthetic: SyntheticOptions = {},
): Promise<Dataset> {
  return loadBuiltinDataset(name, readDatasetFileNode, synthetic);
}
