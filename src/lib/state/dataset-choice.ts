/**
 * What the user picked as data: a built-in dataset by name, or an uploaded CSV file with the
 * options it is read with. The choice is plain data (remembered, restored from model files); the
 * dataset it stands for is loaded and kept by the worker (worker/dataset-store.ts), and the page
 * holds only its facts (WorkerDataset).
 */
import { BUILTIN_DATASETS, isBuiltinDatasetName, type BuiltinDatasetName } from '../data/index';
import type { DatasetFacts, DatasetSource, UploadOptions } from '../worker/dataset-api';

export interface BuiltinChoice {
  source: 'builtin';
  name: BuiltinDatasetName;
}

export interface UploadChoice {
  source: 'upload';
  /** The file's name, shown in the picker and written into model files as the dataset. */
  fileName: string;
  /** The file itself: a handle the worker reads (the page never reads it). */
  file: Blob;
  /** Target, task, delimiter and column kinds as the user chose them. */
  options: UploadOptions;
}

export type DatasetChoice = BuiltinChoice | UploadChoice;

/** A dataset the worker holds: its facts, and how to load it again into a restarted worker. */
export interface WorkerDataset extends DatasetFacts {
  source: DatasetSource;
}

/** The picker's value for a choice: the built-in name, or "upload:<file name>". */
export function choiceKey(choice: DatasetChoice): string {
  return choice.source === 'builtin' ? choice.name : `upload:${choice.fileName}`;
}

export function choiceLabel(choice: DatasetChoice): string {
  if (choice.source === 'upload') return choice.fileName;
  return BUILTIN_DATASETS.find((d) => d.name === choice.name)?.label ?? choice.name;
}

/** Where the page's built-in files are served from (static/datasets next to index.html). */
export function datasetBaseUrl(): URL {
  return new URL('datasets/', document.baseURI);
}

/** What the worker is asked to load for a choice. */
export function sourceOf(
  choice: DatasetChoice,
  baseUrl: () => URL = datasetBaseUrl,
): DatasetSource {
  if (choice.source === 'builtin')
    return { kind: 'builtin', name: choice.name, baseUrl: baseUrl().href };
  return { kind: 'csv', fileName: choice.fileName, file: choice.file, options: choice.options };
}

/** A built-in choice for a dataset name from a template or model file, or null if unknown. */
export function builtinChoice(name: string): BuiltinChoice | null {
  return isBuiltinDatasetName(name) ? { source: 'builtin', name } : null;
}

const count = (n: number) => n.toLocaleString('en-US');

/** A published split in words: "60,000 train / 10,000 test". */
export function describeSplit(split: { train: number; test: number }): string {
  return `${count(split.train)} train / ${count(split.test)} test`;
}

/**
 * One line about a loaded dataset: "150 rows · 4 features · 3 classes", and for a published
 * split "· 60,000 train / 10,000 test (fixed split: the test fraction does not apply)".
 */
export function describeDataset(facts: DatasetFacts): string {
  const { rows } = facts;
  const features = facts.features.length;
  const parts = [
    `${count(rows)} ${rows === 1 ? 'row' : 'rows'}`,
    `${count(features)} ${features === 1 ? 'feature' : 'features'}`,
    facts.task === 'classification'
      ? `${facts.classes.length} classes`
      : `regression of ${facts.target}`,
  ];
  if (facts.fixedSplit)
    parts.push(
      `${describeSplit(facts.fixedSplit)} (the published split: the test fraction does not apply)`,
    );
  return parts.join(' · ');
}
