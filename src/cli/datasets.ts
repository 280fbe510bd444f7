/**
 * Data for the commands: a built-in dataset name (iris, wine, ..., runge) or a CSV file.
 * - for training, the whole dataset (features, target, classes) as the data pipeline reads it;
 * - for predict / grad / gradcheck, the rows read the way a trained model expects them: its
 *   feature columns by name, in its order, standardized as the file says, and its target column
 *   (when present) encoded with its classes.
 */
import { basename } from 'node:path';
import {
  BUILTIN_DATASET_NAMES,
  applyStandardization,
  builtinDatasetInfo,
  csvToDataset,
  encodeTargets,
  generateSynthetic,
  isBuiltinDatasetName,
  parseCsv,
  parseNumberCell,
  readFeatures,
  type CsvTable,
  type Dataset,
} from '../lib/data/index';
import { classIndexOf } from '../lib/data/encode';
import { loadBuiltinDatasetNode, readDatasetFileNode } from '../lib/data/load-node';
import { rawFeature } from '../lib/engine/feature-rows';
import type { Matrix } from '../lib/engine/matrix';
import type { LossName } from '../lib/engine/spec';
import type { ModelData } from '../lib/model-file/index';
import { CliError } from './errors';
import type { CliIo } from './io';
import { readTextFile } from './model-io';

const BUILTIN_LIST = BUILTIN_DATASET_NAMES.join(', ');

function looksLikeCsvPath(nameOrPath: string): boolean {
  return /[./\\]/.test(nameOrPath);
}

function unknownDataset(nameOrPath: string): CliError {
  return new CliError(
    `"${nameOrPath}" is neither a built-in dataset (${BUILTIN_LIST}) nor a CSV file path (like data/my.csv).`,
  );
}

/** The dataset to train on. `target` picks the column to predict in a CSV (default: the last). */
export async function loadTrainingDataset(
  io: CliIo,
  nameOrPath: string,
  target?: string,
): Promise<Dataset> {
  if (isBuiltinDatasetName(nameOrPath)) {
    const dataset = await loadBuiltinDatasetNode(nameOrPath);
    if (target !== undefined && target !== dataset.target)
      throw new CliError(
        `The built-in dataset ${nameOrPath} predicts "${dataset.target}"; --target only chooses the column of a CSV file.`,
      );
    return dataset;
  }
  if (!looksLikeCsvPath(nameOrPath)) throw unknownDataset(nameOrPath);
  const text = await readTextFile(io, nameOrPath, 'data file');
  const name = basename(nameOrPath);
  return csvToDataset(text, { name, fileName: name, target }).dataset;
}

/** A generated dataset as a table, so built-in sets and CSV files go through the same reader. */
function tableFromDataset(dataset: Dataset): CsvTable {
  const { X, y, features, target, task, classes } = dataset;
  const rows: string[][] = [];
  for (let i = 0; i < X.rows; i++) {
    const row: string[] = [];
    for (let j = 0; j < X.cols; j++) row.push(String(rawFeature(X, i, j)));
    row.push(task === 'classification' ? classes[y[i]] : String(y[i]));
    rows.push(row);
  }
  return {
    name: dataset.name,
    columns: [...features, target],
    rows,
    lineNumbers: rows.map((_, i) => i + 2),
  };
}

/** The rows of a built-in dataset or a CSV file as a table of text cells. */
export async function loadTable(io: CliIo, nameOrPath: string): Promise<CsvTable> {
  if (isBuiltinDatasetName(nameOrPath)) {
    const info = builtinDatasetInfo(nameOrPath);
    if (info.source === 'synthetic') return tableFromDataset(generateSynthetic(info.kind));
    if (info.source === 'idx')
      throw new CliError(
        `${info.label} is a set of ${info.rows.toLocaleString('en')} images, which predict, grad and gradcheck do not read as a table; train and evaluate it with train, or pass a CSV file of some rows.`,
      );
    return parseCsv(await readDatasetFileNode(info.fileName), { name: info.fileName });
  }
  if (!looksLikeCsvPath(nameOrPath)) throw unknownDataset(nameOrPath);
  const text = await readTextFile(io, nameOrPath, 'data file');
  return parseCsv(text, { name: basename(nameOrPath) });
}

export interface ModelRows {
  /** Where the rows came from, for messages. */
  source: string;
  /** Inputs, standardized as the model file says: rows x features. */
  X: Matrix;
  /** Targets encoded for the model's loss, or null when the file has no target column. */
  Y: Matrix | null;
  /** Each row's class index (classification) or value (regression), when the target is present. */
  targets: Float64Array | null;
  /** The line of the file each row came from. */
  lines: number[];
}

function listNames(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/** Read `table` the way the model expects its rows (see the file comment). */
export function rowsForModel(table: CsvTable, data: ModelData, loss: LossName): ModelRows {
  const source = table.name || 'the data';
  const featureIndex = data.features.map((name) => table.columns.indexOf(name));
  const missing = data.features.filter((_, k) => featureIndex[k] === -1);
  if (missing.length > 0)
    throw new CliError(
      `${source} has no column ${listNames(missing)}, which the model reads. The model's features are ${listNames(data.features)}; the file's columns are ${listNames(table.columns)}.`,
    );
  let X = readFeatures(table, featureIndex);
  if (data.standardize) X = applyStandardization(X, data.standardize);

  const targetColumn = table.columns.indexOf(data.target);
  let targets: Float64Array | null = null;
  let Y: Matrix | null = null;
  if (targetColumn !== -1) {
    targets = new Float64Array(table.rows.length);
    table.rows.forEach((row, i) => {
      const cell = row[targetColumn];
      const where = `${source}: line ${table.lineNumbers[i]}, column "${data.target}"`;
      if (data.task === 'classification') {
        const k = classIndexOf(cell, data.classes);
        if (k === -1)
          throw new CliError(
            `${where}: "${cell}" is not one of the model's classes (${data.classes.join(', ')}).`,
          );
        targets![i] = k;
      } else {
        const value = parseNumberCell(cell);
        if (value === undefined) throw new CliError(`${where}: "${cell}" is not a number.`);
        targets![i] = value;
      }
    });
    Y = encodeTargets(targets, data.task, data.classes, loss);
  }
  return { source, X, Y, targets, lines: [...table.lineNumbers] };
}

/** rowsForModel, insisting on the target column (grad and gradcheck need it). */
export function requireTargets(rows: ModelRows, data: ModelData): { X: Matrix; Y: Matrix } {
  if (!rows.Y)
    throw new CliError(
      `${rows.source} has no column "${data.target}" (the target the model predicts), so there is no loss to differentiate.`,
    );
  return { X: rows.X, Y: rows.Y };
}
