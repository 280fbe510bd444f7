/**
 * A parsed CSV table -> a Dataset: pick the target column, read the features as numbers, decide
 * between classification and regression, and number the classes.
 *
 * Class order (the order of one-hot columns, and which class is t = 1 for binary cross-entropy):
 * - text labels keep the order in which they first appear in the file
 *   (iris: setosa, versicolor, virginica; breast_cancer: malignant, benign);
 * - numeric labels are sorted by value (digits: 0, 1, ..., 9).
 */
import { zeros } from '../engine/matrix';
import type { CsvTable } from './csv';
import { DataError, aboutSource } from './errors';
import { parseNumberCell, showCell } from './numbers';
import type { Dataset, Task } from './types';

/** A numeric target is read as class labels when it has at most this many distinct integers ... */
export const MAX_INTEGER_CLASSES = 10;
/** ... and fewer distinct values than this fraction of the rows (so a count column stays numeric). */
export const MAX_CLASS_FRACTION = 0.5;

export interface TableToDatasetOptions {
  /** Dataset name (a built-in name or the file name). */
  name: string;
  /** Target column; default: the last column. */
  target?: string;
  /** Force the task instead of detecting it from the target column. */
  task?: Task;
}

function quoteList(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

function targetIndexOf(table: CsvTable, target: string | undefined): number {
  if (target === undefined) return table.columns.length - 1;
  const index = table.columns.indexOf(target);
  if (index === -1)
    throw new DataError(
      aboutSource(
        table.name,
        `there is no column "${target}" to predict. The columns are: ${quoteList(table.columns)}.`,
      ),
      { line: 1, columnName: target },
    );
  return index;
}

/** Every target cell as a number, or undefined when at least one is not a number. */
function numericTargets(table: CsvTable, targetIndex: number): number[] | undefined {
  const values: number[] = [];
  for (const row of table.rows) {
    const value = parseNumberCell(row[targetIndex]);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

/** Classification when the target is text, or a handful of integers that repeat. */
export function detectTask(numericTarget: number[] | undefined): Task {
  if (numericTarget === undefined) return 'classification';
  if (!numericTarget.every(Number.isInteger)) return 'regression';
  const distinct = new Set(numericTarget).size;
  return distinct <= MAX_INTEGER_CLASSES && distinct < MAX_CLASS_FRACTION * numericTarget.length
    ? 'classification'
    : 'regression';
}

/** The cells of columns `featureIndices` as numbers (row i, column j: featureIndices[j]). */
export function readFeatures(table: CsvTable, featureIndices: readonly number[]): Dataset['X'] {
  const X = zeros(table.rows.length, featureIndices.length);
  table.rows.forEach((row, i) => {
    featureIndices.forEach((columnIndex, j) => {
      const cell = row[columnIndex];
      const value = parseNumberCell(cell);
      if (value === undefined) {
        const line = table.lineNumbers[i];
        const columnName = table.columns[columnIndex];
        throw new DataError(
          aboutSource(
            table.name,
            `line ${line}, column "${columnName}": ${showCell(cell)} is not a number. Feature columns must hold numbers.`,
          ),
          { line, column: columnIndex + 1, columnName },
        );
      }
      X.data[i * featureIndices.length + j] = value;
    });
  });
  return X;
}

/** Class labels (see the order above) and each row's class index. */
function readClasses(
  table: CsvTable,
  targetIndex: number,
  numeric: number[] | undefined,
): { classes: string[]; y: Float64Array } {
  const n = table.rows.length;
  const y = new Float64Array(n);
  if (numeric !== undefined) {
    const sorted = [...new Set(numeric)].sort((a, b) => a - b);
    const indexOf = new Map(sorted.map((v, k) => [v, k]));
    numeric.forEach((v, i) => (y[i] = indexOf.get(v)!));
    return { classes: sorted.map(String), y };
  }
  const classes: string[] = [];
  const indexOf = new Map<string, number>();
  table.rows.forEach((row, i) => {
    const label = row[targetIndex].trim();
    if (label === '') {
      const line = table.lineNumbers[i];
      const columnName = table.columns[targetIndex];
      throw new DataError(
        aboutSource(table.name, `line ${line}, column "${columnName}": the class label is empty.`),
        { line, column: targetIndex + 1, columnName },
      );
    }
    let k = indexOf.get(label);
    if (k === undefined) {
      k = classes.length;
      classes.push(label);
      indexOf.set(label, k);
    }
    y[i] = k;
  });
  return { classes, y };
}

function readRegressionTarget(table: CsvTable, targetIndex: number): Float64Array {
  const y = new Float64Array(table.rows.length);
  table.rows.forEach((row, i) => {
    const value = parseNumberCell(row[targetIndex]);
    if (value === undefined) {
      const line = table.lineNumbers[i];
      const columnName = table.columns[targetIndex];
      throw new DataError(
        aboutSource(
          table.name,
          `line ${line}, column "${columnName}": ${showCell(row[targetIndex])} is not a number, but regression needs a numeric target.`,
        ),
        { line, column: targetIndex + 1, columnName },
      );
    }
    y[i] = value;
  });
  return y;
}

/** Turn a parsed table into a Dataset. Throws a DataError naming the line and column at fault. */
export function tableToDataset(table: CsvTable, options: TableToDatasetOptions): Dataset {
  const targetIndex = targetIndexOf(table, options.target);
  if (table.columns.length < 2)
    throw new DataError(
      aboutSource(
        table.name,
        `the file has only the column "${table.columns[0]}": it needs at least one feature column besides the target.`,
      ),
      { line: 1 },
    );
  const featureIndices = table.columns.map((_, j) => j).filter((j) => j !== targetIndex);
  const X = readFeatures(table, featureIndices);
  const numeric = numericTargets(table, targetIndex);
  const task = options.task ?? detectTask(numeric);
  const { classes, y } =
    task === 'classification'
      ? readClasses(table, targetIndex, numeric)
      : { classes: [], y: readRegressionTarget(table, targetIndex) };
  return {
    name: options.name,
    features: featureIndices.map((j) => table.columns[j]),
    target: table.columns[targetIndex],
    task,
    classes,
    X,
    y,
  };
}
