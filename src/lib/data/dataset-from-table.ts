/**
 * A parsed CSV table -> a Dataset: pick the target column, read the features as numbers, decide
 * between classification and regression, and number the classes.
 *
 * Class order (the order of one-hot columns, and which class is t = 1 for binary cross-entropy):
 * - text labels keep the order in which they first appear in the file
 *   (iris: setosa, versicolor, virginica; breast_cancer: malignant, benign);
 * - numeric labels are sorted by value (digits: 0, 1, ..., 9).
 */
import { zeros, type Matrix } from '../engine/matrix';
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

export function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/** The target column's index (default: the last column). */
export function targetIndexOf(
  source: string,
  columns: readonly string[],
  target: string | undefined,
): number {
  if (target === undefined) return columns.length - 1;
  const index = columns.indexOf(target);
  if (index === -1)
    throw new DataError(
      aboutSource(
        source,
        `there is no column "${target}" to predict. The columns are: ${quoteList(columns)}.`,
      ),
      { line: 1, columnName: target },
    );
  return index;
}

/**
 * The target column's cells as text, wherever they came from (a table of strings here, the
 * typed-array pipeline in csv-dataset.ts), with what messages need to point at them.
 */
export interface TargetCells {
  /** File name for messages ("" when unknown). */
  source: string;
  /** Column name and 0-based index in the file. */
  name: string;
  index: number;
  cells: readonly string[];
  /** lines[i] is the line of the file that cells[i] came from. */
  lines: ArrayLike<number>;
}

/** Every target cell as a number, or undefined when at least one is not a number. */
function numericTargets(target: TargetCells): number[] | undefined {
  const values: number[] = [];
  for (const cell of target.cells) {
    const value = parseNumberCell(cell);
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
export function readFeatures(table: CsvTable, featureIndices: readonly number[]): Matrix {
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
  target: TargetCells,
  numeric: number[] | undefined,
): { classes: string[]; y: Float64Array } {
  const n = target.cells.length;
  const y = new Float64Array(n);
  if (numeric !== undefined) {
    const sorted = [...new Set(numeric)].sort((a, b) => a - b);
    const indexOf = new Map(sorted.map((v, k) => [v, k]));
    numeric.forEach((v, i) => (y[i] = indexOf.get(v)!));
    return { classes: sorted.map(String), y };
  }
  const classes: string[] = [];
  const indexOf = new Map<string, number>();
  target.cells.forEach((cell, i) => {
    const label = cell.trim();
    if (label === '') {
      const line = target.lines[i];
      throw new DataError(
        aboutSource(
          target.source,
          `line ${line}, column "${target.name}": the class label is empty.`,
        ),
        { line, column: target.index + 1, columnName: target.name },
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

function readRegressionTarget(target: TargetCells): Float64Array {
  const y = new Float64Array(target.cells.length);
  target.cells.forEach((cell, i) => {
    const value = parseNumberCell(cell);
    if (value === undefined) {
      const line = target.lines[i];
      throw new DataError(
        aboutSource(
          target.source,
          `line ${line}, column "${target.name}": ${showCell(cell)} is not a number, but regression needs a numeric target.`,
        ),
        { line, column: target.index + 1, columnName: target.name },
      );
    }
    y[i] = value;
  });
  return y;
}

/** The task (detected unless forced), the classes and each row's target. */
export function readTarget(
  target: TargetCells,
  forcedTask?: Task,
): { task: Task; classes: string[]; y: Float64Array } {
  const numeric = numericTargets(target);
  const task = forcedTask ?? detectTask(numeric);
  if (task === 'classification') return { task, ...readClasses(target, numeric) };
  return { task, classes: [], y: readRegressionTarget(target) };
}

/** The file must have a feature column besides the target. */
export function checkHasFeatures(source: string, columns: readonly string[]): void {
  if (columns.length < 2)
    throw new DataError(
      aboutSource(
        source,
        `the file has only the column "${columns[0]}": it needs at least one feature column besides the target.`,
      ),
      { line: 1 },
    );
}

/** Turn a parsed table into a Dataset. Throws a DataError naming the line and column at fault. */
export function tableToDataset(table: CsvTable, options: TableToDatasetOptions): Dataset<Matrix> {
  const targetIndex = targetIndexOf(table.name, table.columns, options.target);
  checkHasFeatures(table.name, table.columns);
  const featureIndices = table.columns.map((_, j) => j).filter((j) => j !== targetIndex);
  const X = readFeatures(table, featureIndices);
  const { task, classes, y } = readTarget(
    {
      source: table.name,
      name: table.columns[targetIndex],
      index: targetIndex,
      cells: table.rows.map((row) => row[targetIndex]),
      lines: table.lineNumbers,
    },
    options.task,
  );
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
