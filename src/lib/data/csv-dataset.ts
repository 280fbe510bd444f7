/**
 * CSV text -> Dataset in one pass: numbers go straight into the feature matrix (a Float64Array,
 * row-major), with no table of strings (csv-records.ts reads the cells). The pipeline of uploads,
 * the built-in CSVs and the command line; parseCsv + tableToDataset remain for the table view.
 *
 * Each column other than the target is one of:
 * - "number": one feature; a cell that is not a plain decimal is an error naming line and column;
 * - "category (one-hot)": one feature per distinct value ("color=red"), values in order of first
 *   appearance, blanks being a value of their own;
 * - "ignore": left out.
 * Kinds not given in the options are chosen from the data: a column whose every cell is a number
 * is a number; one where most cells are not numbers is a category; one where most are numbers but
 * some are not is an error at the first bad cell (a typo is likelier than a category). The first
 * data row gives the guess; in the rare file where a column turns out to hold mostly text further
 * down, the text is read a second time with those columns as categories. An automatic category
 * with more than MAX_AUTO_CATEGORIES values is refused (an id or free-text column).
 * The delimiter (comma, semicolon or tab) is detected from the header unless given, and said in
 * the result. Messages and line numbers are those of parseCsv and tableToDataset.
 */
import { checkHeader } from './csv';
import { forEachRecord, type CsvRecord } from './csv-records';
import { checkHasFeatures, quoteList, readTarget, targetIndexOf } from './dataset-from-table';
import { detectDelimiter, type Delimiter } from './delimiter';
import { DataError, aboutSource } from './errors';
import { showCell } from './numbers';
import type { Dataset, Task } from './types';
import type { Matrix } from '../engine/matrix';

export type ColumnKind = 'number' | 'category' | 'ignore';
export const COLUMN_KINDS: readonly ColumnKind[] = ['number', 'category', 'ignore'];
/** An automatically chosen category with more values than this is refused. */
export const MAX_AUTO_CATEGORIES = 50;

export interface CsvToDatasetOptions {
  /** Dataset name (a built-in name or the file name). */
  name: string;
  /** File name, used in messages ("" when unknown). */
  fileName?: string;
  /** Target column; default: the last column. */
  target?: string;
  /** Force the task instead of detecting it from the target column. */
  task?: Task;
  /** Default: detected from the header line. */
  delimiter?: Delimiter;
  /** Kinds of feature columns by name; the others are chosen automatically. */
  kinds?: ReadonlyMap<string, ColumnKind>;
}

export interface CsvColumn {
  name: string;
  role: 'target' | ColumnKind;
  /** True when the kind was chosen from the data, not given. */
  auto: boolean;
  /** For a category: its values, in the order of its one-hot features. */
  categories?: string[];
}

export interface CsvDataset {
  dataset: Dataset<Matrix>;
  delimiter: Delimiter;
  /** Every column of the file, in file order, with what became of it. */
  columns: CsvColumn[];
}

/** Where a column's first cell that is not a number is. */
interface CellAt {
  line: number;
  cell: string;
}

/** A category column being read: each row's value index, and how many cells were numbers. */
interface CategoryColumn {
  labels: string[];
  indexOf: Map<string, number>;
  codes: Int32Array;
  numberCells: number;
  firstText?: CellAt;
}

/** Automatic number columns that met text: how often, and where first. */
interface TextInNumbers {
  count: number;
  first: CellAt;
}

interface Header {
  columns: string[];
  targetIndex: number;
}

/** A growable Float64Array / Int32Array pair of row buffers (rows are seldom more than lines). */
function grown<T extends Float64Array | Int32Array>(array: T, minLength: number): T {
  if (array.length >= minLength) return array;
  const bigger = new (array.constructor as new (n: number) => T)(
    Math.max(minLength, array.length * 2),
  );
  bigger.set(array);
  return bigger;
}

/**
 * The data rows of a file without blank lines: its lines after the header, a final line end not
 * starting another. Exact for most files, so the matrix needs no trimming copy at the end.
 */
function estimateRows(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  if (text.endsWith('\n')) lines--;
  return Math.max(lines - 1, 1);
}

function isBlankRecord(record: CsvRecord): boolean {
  return record.length === 1 && record.text(0).trim() === '';
}

function readHeader(record: CsvRecord, source: string, options: CsvToDatasetOptions): Header {
  const columns: string[] = [];
  for (let j = 0; j < record.length; j++) columns.push(record.text(j).trim());
  checkHeader(columns, source);
  const targetIndex = targetIndexOf(source, columns, options.target);
  checkHasFeatures(source, columns);
  for (const [name, kind] of options.kinds ?? []) {
    if (!columns.includes(name))
      throw new DataError(
        aboutSource(
          source,
          `there is no column "${name}" to read as ${kind}. The columns are: ${quoteList(columns)}.`,
        ),
        { line: 1, columnName: name },
      );
    if (!COLUMN_KINDS.includes(kind))
      throw new DataError(
        `Column "${name}" cannot be read as "${kind}": choose number, category or ignore.`,
      );
  }
  return { columns, targetIndex };
}

/** What one reading of the text gives, or the automatic number columns that held text. */
interface PassResult {
  header: Header;
  kinds: (ColumnKind | 'target')[];
  rows: number;
  /** rows x numberColumns.length, row-major (maybe longer than needed). */
  numbers: Float64Array;
  /** The file's columns read as numbers, in file order. */
  numberColumns: Int32Array;
  categories: Map<number, CategoryColumn>;
  targetCells: string[];
  lines: Int32Array;
  textInNumbers: Map<number, TextInNumbers>;
}

function readPass(
  text: string,
  delimiter: Delimiter,
  source: string,
  options: CsvToDatasetOptions,
  forcedCategories: ReadonlySet<number>,
): PassResult {
  const kindOf = (name: string) => options.kinds?.get(name);
  let header: Header | undefined;
  let blankFirstLine = false;
  let kinds: (ColumnKind | 'target')[] = [];
  let numberColumns = new Int32Array(0);
  let numbers = new Float64Array(0);
  const categories = new Map<number, CategoryColumn>();
  const targetCells: string[] = [];
  let capacity = estimateRows(text);
  let lines = new Int32Array(capacity);
  let rows = 0;
  const textInNumbers = new Map<number, TextInNumbers>();

  /** Kinds for the first data row: given, forced to category by an earlier pass, or guessed. */
  const chooseKinds = (h: Header, record: CsvRecord) => {
    kinds = h.columns.map((name, j) => {
      if (j === h.targetIndex) return 'target';
      const given = kindOf(name);
      if (given) return given;
      if (forcedCategories.has(j)) return 'category';
      return Number.isNaN(record.number(j)) ? 'category' : 'number';
    });
    numberColumns = Int32Array.from(kinds.flatMap((k, j) => (k === 'number' ? [j] : [])));
    numbers = new Float64Array(capacity * numberColumns.length);
    kinds.forEach((k, j) => {
      if (k === 'category')
        categories.set(j, {
          labels: [],
          indexOf: new Map(),
          codes: new Int32Array(capacity),
          numberCells: 0,
        });
    });
  };

  forEachRecord(text, delimiter, (record, line) => {
    if (!header) {
      if (isBlankRecord(record)) {
        blankFirstLine = true;
        return;
      }
      if (blankFirstLine)
        throw new DataError(
          aboutSource(
            source,
            `line 1 is blank: the first line must be the header row with column names.`,
          ),
          { line: 1 },
        );
      header = readHeader(record, source, options);
      return;
    }
    if (isBlankRecord(record)) return;
    const width = header.columns.length;
    if (record.length !== width)
      throw new DataError(
        aboutSource(
          source,
          `line ${line} has ${record.length} ${record.length === 1 ? 'cell' : 'cells'}, the header has ${width}.`,
        ),
        { line },
      );
    if (rows === 0) chooseKinds(header, record);
    if (rows === capacity) {
      capacity *= 2;
      numbers = grown(numbers, capacity * numberColumns.length);
      lines = grown(lines, capacity);
      for (const c of categories.values()) c.codes = grown(c.codes, capacity);
    }
    const base = rows * numberColumns.length;
    // Number columns in one call (the scanner's tight loop), then the few cells that failed.
    if (record.readNumbers(numberColumns, numbers, base) > 0)
      numberColumns.forEach((j, s) => {
        if (!Number.isNaN(numbers[base + s])) return;
        const at = { line, cell: record.text(j) };
        if (kindOf(header!.columns[j]) === 'number') throw notANumber(source, header!, j, at);
        const seen = textInNumbers.get(j);
        if (seen) seen.count++;
        else textInNumbers.set(j, { count: 1, first: at });
      });
    for (const [j, column] of categories) {
      const label = record.text(j).trim();
      let code = column.indexOf.get(label);
      if (code === undefined) {
        code = column.labels.length;
        column.labels.push(label);
        column.indexOf.set(label, code);
      }
      column.codes[rows] = code;
      if (!Number.isNaN(record.number(j))) column.numberCells++;
      else column.firstText ??= { line, cell: record.text(j) };
    }
    targetCells.push(record.text(header.targetIndex));
    lines[rows] = line;
    rows++;
  });

  if (!header)
    throw new DataError(
      aboutSource(source, `the file is empty: expected a header row with column names.`),
      { line: 1 },
    );
  if (rows === 0)
    throw new DataError(aboutSource(source, `the file has a header row but no data rows.`), {
      line: 2,
    });
  return {
    header,
    kinds,
    rows,
    numbers,
    numberColumns,
    categories,
    targetCells,
    lines,
    textInNumbers,
  };
}

/** Today's message for a cell of a number column that is not a number. */
function notANumber(source: string, header: Header, j: number, at: CellAt): DataError {
  const columnName = header.columns[j];
  return new DataError(
    aboutSource(
      source,
      `line ${at.line}, column "${columnName}": ${showCell(at.cell)} is not a number. Feature columns must hold numbers.`,
    ),
    { line: at.line, column: j + 1, columnName },
  );
}

/**
 * Automatic number columns that met text: those with mostly text become categories (returned),
 * those with mostly numbers are an error at their first text cell.
 */
function columnsToReadAsCategories(pass: PassResult, source: string): Set<number> {
  const flip = new Set<number>();
  for (const [j, seen] of pass.textInNumbers) {
    if (2 * seen.count <= pass.rows) throw notANumber(source, pass.header, j, seen.first);
    flip.add(j);
  }
  return flip;
}

/** Automatic categories: mostly text (else the first text cell is an error), and not too many. */
function checkAutoCategories(pass: PassResult, source: string, options: CsvToDatasetOptions) {
  for (const [j, column] of pass.categories) {
    const name = pass.header.columns[j];
    if (options.kinds?.has(name)) continue;
    if (2 * column.numberCells >= pass.rows && column.firstText)
      throw notANumber(source, pass.header, j, column.firstText);
    if (column.labels.length > MAX_AUTO_CATEGORIES)
      throw new DataError(
        aboutSource(
          source,
          `column "${name}" has ${column.labels.length} different values, too many to use as categories automatically (at most ${MAX_AUTO_CATEGORIES}). Choose "category" or "ignore" for it.`,
        ),
        { line: 1, column: j + 1, columnName: name },
      );
  }
}

/** The feature matrix: number columns as read, each category spread over its one-hot columns. */
function featureMatrix(pass: PassResult): { features: string[]; data: Float64Array } {
  const { header, kinds, rows, numbers, numberColumns, categories } = pass;
  const numberWidth = numberColumns.length;
  if (categories.size === 0) {
    const used = rows * numberWidth;
    return {
      features: Array.from(numberColumns, (j) => header.columns[j]),
      data: numbers.length === used ? numbers : numbers.slice(0, used),
    };
  }
  // Where each column's features start in a row of X.
  const features: string[] = [];
  const offsets = new Int32Array(kinds.length).fill(-1);
  kinds.forEach((kind, j) => {
    if (kind === 'number') {
      offsets[j] = features.length;
      features.push(header.columns[j]);
    } else if (kind === 'category') {
      offsets[j] = features.length;
      for (const label of categories.get(j)!.labels)
        features.push(`${header.columns[j]}=${label === '' ? '(blank)' : label}`);
    }
  });
  const width = features.length;
  const data = new Float64Array(rows * width);
  for (let i = 0; i < rows; i++) {
    const row = i * width;
    numberColumns.forEach((j, s) => (data[row + offsets[j]] = numbers[i * numberWidth + s]));
    for (const [j, column] of categories) data[row + offsets[j] + column.codes[i]] = 1;
  }
  return { features, data };
}

/** Read a CSV text into a Dataset (see the file comment). Throws a DataError for the user. */
export function csvToDataset(text: string, options: CsvToDatasetOptions): CsvDataset {
  const source = options.fileName ?? '';
  // A byte-order mark would otherwise become part of the first column's name.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = options.delimiter ?? detectDelimiter(body);
  let pass = readPass(body, delimiter, source, options, new Set());
  const categories = columnsToReadAsCategories(pass, source);
  if (categories.size > 0) pass = readPass(body, delimiter, source, options, categories);
  checkAutoCategories(pass, source, options);
  const { header, rows } = pass;
  const { features, data } = featureMatrix(pass);
  const target = readTarget(
    {
      source,
      name: header.columns[header.targetIndex],
      index: header.targetIndex,
      cells: pass.targetCells,
      lines: pass.lines.subarray(0, rows),
    },
    options.task,
  );
  const columns: CsvColumn[] = header.columns.map((name, j) => {
    const role = pass.kinds[j];
    const category = pass.categories.get(j);
    return {
      name,
      role,
      auto: role !== 'target' && !options.kinds?.has(name),
      ...(category ? { categories: [...category.labels] } : {}),
    };
  });
  return {
    dataset: {
      name: options.name,
      features,
      target: header.columns[header.targetIndex],
      task: target.task,
      classes: target.classes,
      X: { rows, cols: features.length, data },
      y: target.y,
    },
    delimiter,
    columns,
  };
}
