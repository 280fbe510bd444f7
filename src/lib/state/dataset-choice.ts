/**
 * What the user picked as data: a built-in dataset by name, or an uploaded CSV with its target
 * column. The choice is plain data (it is remembered and restored from model files); the Dataset
 * it stands for is loaded from it.
 */
import {
  BUILTIN_DATASETS,
  fetchDatasetText,
  isBuiltinDatasetName,
  loadBuiltinDataset,
  parseCsv,
  tableToDataset,
  type BuiltinDatasetName,
  type CsvTable,
  type Dataset,
  type Task,
} from '../data/index';

export interface BuiltinChoice {
  source: 'builtin';
  name: BuiltinDatasetName;
}

export interface UploadChoice {
  source: 'upload';
  /** The file's name, shown in the picker and written into model files as the dataset. */
  fileName: string;
  text: string;
  target: string;
  /** Forced task; absent means detected from the target column. */
  task?: Task;
}

export type DatasetChoice = BuiltinChoice | UploadChoice;

/** The picker's value for a choice: the built-in name, or "upload:<file name>". */
export function choiceKey(choice: DatasetChoice): string {
  return choice.source === 'builtin' ? choice.name : `upload:${choice.fileName}`;
}

export function choiceLabel(choice: DatasetChoice): string {
  if (choice.source === 'upload') return choice.fileName;
  return BUILTIN_DATASETS.find((d) => d.name === choice.name)?.label ?? choice.name;
}

/** Where the page's built-in CSV files are served from (static/datasets next to index.html). */
export function datasetBaseUrl(): URL {
  return new URL('datasets/', document.baseURI);
}

/** Parsed table -> Dataset for an upload choice; throws the DataError of parseCsv/tableToDataset. */
export function datasetFromTable(table: CsvTable, choice: UploadChoice): Dataset {
  return tableToDataset(table, {
    name: choice.fileName,
    target: choice.target,
    ...(choice.task ? { task: choice.task } : {}),
  });
}

/** Load the Dataset a choice stands for. Throws a DataError with a message for the user. */
export async function loadChoice(choice: DatasetChoice): Promise<Dataset> {
  if (choice.source === 'builtin')
    return loadBuiltinDataset(choice.name, fetchDatasetText(datasetBaseUrl()));
  return datasetFromTable(parseCsv(choice.text, { name: choice.fileName }), choice);
}

/** A built-in choice for a dataset name from a template or model file, or null if unknown. */
export function builtinChoice(name: string): BuiltinChoice | null {
  return isBuiltinDatasetName(name) ? { source: 'builtin', name } : null;
}

/** One line about a loaded dataset: "150 rows · 4 features · 3 classes". */
export function describeDataset(dataset: Dataset): string {
  const rows = dataset.y.length;
  const features = dataset.features.length;
  const parts = [
    `${rows} ${rows === 1 ? 'row' : 'rows'}`,
    `${features} ${features === 1 ? 'feature' : 'features'}`,
    dataset.task === 'classification'
      ? `${dataset.classes.length} classes`
      : `regression of ${dataset.target}`,
  ];
  return parts.join(' · ');
}
