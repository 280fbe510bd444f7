/**
 * CSV text -> a table of strings, checked for shape. Numbers are read later (dataset-from-table.ts)
 * because only then do we know which column is the target.
 *
 * Line numbers: the header is line 1 and every record after it one more, blank lines included.
 * They match the file's lines unless a quoted cell spans several lines.
 */
import { csvParseRows } from 'd3-dsv';
import { DataError, aboutSource } from './errors';

export interface CsvTable {
  /** File name, used in messages ("" when unknown). */
  name: string;
  /** Header cells, trimmed. */
  columns: string[];
  /** Data rows; each has exactly columns.length cells. */
  rows: string[][];
  /** lineNumbers[i] is the line of the file that rows[i] came from. */
  lineNumbers: number[];
}

export interface ParseCsvOptions {
  /** File name for messages, e.g. "iris.csv". */
  name?: string;
}

/** A record that is one empty cell is a blank line: skipped, but it still counts as a line. */
export function isBlank(record: string[]): boolean {
  return record.length === 1 && record[0].trim() === '';
}

/** Header names must be non-empty and distinct; the error names the line-1 column at fault. */
export function checkHeader(columns: readonly string[], source: string): void {
  const firstSeen = new Map<string, number>();
  columns.forEach((name, index) => {
    const column = index + 1;
    if (name === '')
      throw new DataError(
        aboutSource(source, `line 1, column ${column}: the column name is empty.`),
        {
          line: 1,
          column,
        },
      );
    const earlier = firstSeen.get(name);
    if (earlier !== undefined)
      throw new DataError(
        aboutSource(
          source,
          `line 1, column ${column}: the column name "${name}" is used twice (also column ${earlier}).`,
        ),
        { line: 1, column, columnName: name },
      );
    firstSeen.set(name, column);
  });
}

/** Parse CSV text with a header row. Throws a DataError naming the line (and column) at fault. */
export function parseCsv(text: string, options: ParseCsvOptions = {}): CsvTable {
  const name = options.name ?? '';
  // A byte-order mark would otherwise become part of the first column's name.
  const records = csvParseRows(text.replace(/^\uFEFF/, ''));
  const headerIndex = records.findIndex((r) => !isBlank(r));
  if (headerIndex === -1)
    throw new DataError(
      aboutSource(name, `the file is empty: expected a header row with column names.`),
      {
        line: 1,
      },
    );
  if (headerIndex > 0)
    throw new DataError(
      aboutSource(
        name,
        `line 1 is blank: the first line must be the header row with column names.`,
      ),
      { line: 1 },
    );
  const columns = records[0].map((c) => c.trim());
  checkHeader(columns, name);

  const rows: string[][] = [];
  const lineNumbers: number[] = [];
  for (let i = 1; i < records.length; i++) {
    const record = records[i];
    const line = i + 1;
    if (isBlank(record)) continue;
    if (record.length !== columns.length)
      throw new DataError(
        aboutSource(
          name,
          `line ${line} has ${record.length} ${record.length === 1 ? 'cell' : 'cells'}, the header has ${columns.length}.`,
        ),
        { line },
      );
    rows.push(record);
    lineNumbers.push(line);
  }
  if (rows.length === 0)
    throw new DataError(aboutSource(name, `the file has a header row but no data rows.`), {
      line: 2,
    });
  return { name, columns, rows, lineNumbers };
}
