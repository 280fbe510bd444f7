/**
 * The records of a CSV text, one at a time, each cell readable as a number or as text, without
 * a table of strings. Two readers, chosen by the text:
 * - no quote character and no lone carriage return (the usual numeric file): a hand-written
 *   scanner that finds each cell's span and reads plain decimals straight from the characters;
 *   measured 2-3x faster than the libraries (bench/data.ts) because no string is made per cell;
 * - otherwise papaparse, which handles quoted cells (the fastest library in that benchmark that
 *   keeps blank lines, so line numbers stay right).
 * Records are numbered like d3-dsv's csvParseRows: the header is line 1, each record one more,
 * blank lines included (they are one empty cell).
 */
import Papa from 'papaparse';
import { cellNumberOrNaN } from './numbers';

/** One record: its cells by index, as a number (NaN when not a plain decimal) or as text. */
export interface CsvRecord {
  readonly length: number;
  number(j: number): number;
  text(j: number): string;
  /**
   * number(columns[s]) into out[offset + s] for every s (one call per record instead of one per
   * cell); returns how many were NaN.
   */
  readNumbers(columns: Int32Array, out: Float64Array, offset: number): number;
}

/** Called with each record and its line; return false to stop reading. */
export type OnRecord = (record: CsvRecord, line: number) => boolean | void;

/** 10^k for k = 0..22, all exact in float64. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Up to 15 digits the mantissa is an exact integer (< 2^53). */
const MAX_FAST_DIGITS = 15;

const ZERO = 48;
const NINE = 57;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;
const CR = 13;

/**
 * A record of the scanner: cell j is text[starts[j], ends[j]); values[j] is its value when the
 * scanner could read it as a plain decimal, else NaN and number(j) reads the cell exactly.
 */
class SpanRecord implements CsvRecord {
  length = 0;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  values = new Float64Array(16);
  constructor(readonly source: string) {}

  push(start: number, end: number, value: number): void {
    if (this.length === this.starts.length) this.grow();
    const k = this.length++;
    this.starts[k] = start;
    this.ends[k] = end;
    this.values[k] = value;
  }
  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const values = new Float64Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    values.set(this.values);
    Object.assign(this, { starts, ends, values });
  }
  number(j: number): number {
    const value = this.values[j];
    return value === value ? value : cellNumberOrNaN(this.text(j));
  }
  readNumbers(columns: Int32Array, out: Float64Array, offset: number): number {
    const values = this.values;
    let missing = 0;
    for (let s = 0; s < columns.length; s++) {
      const j = columns[s];
      let value = values[j];
      if (value !== value) {
        value = cellNumberOrNaN(this.text(j));
        if (value !== value) missing++;
      }
      out[offset + s] = value;
    }
    return missing;
  }
  text(j: number): string {
    return this.source.slice(this.starts[j], this.ends[j]);
  }
}

class ArrayRecord implements CsvRecord {
  constructor(readonly cells: string[]) {}
  get length(): number {
    return this.cells.length;
  }
  number(j: number): number {
    return cellNumberOrNaN(this.cells[j]);
  }
  readNumbers(columns: Int32Array, out: Float64Array, offset: number): number {
    let missing = 0;
    for (let s = 0; s < columns.length; s++) {
      const value = cellNumberOrNaN(this.cells[columns[s]]);
      if (value !== value) missing++;
      out[offset + s] = value;
    }
    return missing;
  }
  text(j: number): string {
    return this.cells[j];
  }
}

/** Quote characters need a real CSV parser; so does a carriage return not followed by \n. */
export function needsFullParser(text: string): boolean {
  if (text.includes('"')) return true;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1))
    if (text.charCodeAt(i + 1) !== 10) return true;
  return false;
}

/**
 * The scanner: one pass over the characters finds the cells and reads plain decimals,
 * [+-]digits[.digits] with at most 15 digits, as mantissa / 10^fractionDigits. Both are exact
 * and IEEE division rounds correctly, so that is the correctly rounded value Number() gives
 * (Clinger's fast path). Any other cell (exponents, blanks, long numbers, text) gets NaN and is
 * read by cellNumberOrNaN when asked for.
 */
function scanRecords(text: string, delimiter: string, onRecord: OnRecord): void {
  const record = new SpanRecord(text);
  const delimiterCode = delimiter.charCodeAt(0);
  let line = 0;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const next = end + 1;
    if (end > start && text.charCodeAt(end - 1) === CR) end--; // \r\n
    record.length = 0;
    let cellStart = start;
    let mantissa = 0;
    let digits = 0;
    let fraction = 0; // digits after the dot
    let dot = false;
    let negative = false;
    let plain = true;
    for (let i = start; i <= end; i++) {
      const c = i < end ? text.charCodeAt(i) : delimiterCode; // the line end closes the last cell
      if (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        digits++;
        if (dot) fraction++;
      } else if (c === delimiterCode) {
        let value = NaN; // not read here: number(j) reads it exactly
        if (plain && digits > 0 && digits <= MAX_FAST_DIGITS) {
          const magnitude = fraction === 0 ? mantissa : mantissa / POWERS_OF_TEN[fraction];
          value = negative ? -magnitude : magnitude;
        }
        record.push(cellStart, i, value);
        cellStart = i + 1;
        mantissa = digits = fraction = 0;
        dot = negative = false;
        plain = true;
      } else if (c === DOT && !dot) dot = true;
      else if ((c === MINUS || c === PLUS) && i === cellStart) negative = c === MINUS;
      else plain = false;
    }
    line++;
    if (onRecord(record, line) === false) return;
    start = next;
  }
}

function parseRecords(text: string, delimiter: string, onRecord: OnRecord): void {
  let line = 0;
  // papaparse reports a last empty record after a final line end; d3-dsv (and the scanner) not.
  const trailing = /\r?\n$|\r$/.test(text);
  let pending: string[] | null = null;
  let stopped = false;
  const emit = (cells: string[]) => {
    stopped = onRecord(new ArrayRecord(cells), ++line) === false;
  };
  // Each record is passed on when the next arrives, so the last one can be looked at.
  Papa.parse<string[]>(text, {
    delimiter,
    header: false,
    skipEmptyLines: false,
    step: (result, parser) => {
      if (pending) emit(pending);
      if (stopped) parser.abort();
      pending = result.data;
    },
  });
  const last = pending as string[] | null;
  if (!stopped && last && !(trailing && last.length === 1 && last[0] === '')) emit(last);
}

/** Read every record of `text` (byte-order mark already removed), in order. */
export function forEachRecord(text: string, delimiter: string, onRecord: OnRecord): void {
  if (needsFullParser(text)) parseRecords(text, delimiter, onRecord);
  else scanRecords(text, delimiter, onRecord);
}
