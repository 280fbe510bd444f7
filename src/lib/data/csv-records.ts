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
}

/** Called with each record and its line; return false to stop reading. */
export type OnRecord = (record: CsvRecord, line: number) => boolean | void;

/** 10^k for k = 0..22, all exact in float64. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Up to 15 digits the mantissa is an exact integer (< 2^53). */
const MAX_FAST_DIGITS = 15;

/**
 * The number in text[start, end): [+-]digits[.digits] with at most 15 digits is read as
 * mantissa / 10^fractionDigits. Both are exact, and IEEE division rounds correctly, so this is
 * the correctly rounded value Number() gives (Clinger's fast path). Anything else (exponents,
 * blanks, long numbers, text) goes through cellNumberOrNaN.
 */
export function spanNumber(text: string, start: number, end: number): number {
  let i = start;
  let c = text.charCodeAt(i);
  const negative = c === 45; // '-'
  if (negative || c === 43) i++; // '+'
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  for (; i < end; i++) {
    c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
    digits++;
  }
  if (i < end && text.charCodeAt(i) === 46) {
    // '.'
    for (i++; i < end; i++) {
      c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      mantissa = mantissa * 10 + c;
      digits++;
      fraction++;
    }
  }
  if (i === end && digits > 0 && digits <= MAX_FAST_DIGITS) {
    const value = fraction === 0 ? mantissa : mantissa / POWERS_OF_TEN[fraction];
    return negative ? -value : value;
  }
  return cellNumberOrNaN(text.slice(start, end));
}

/** A record of the scanner: cell j is text[starts[j], ends[j]). */
class SpanRecord implements CsvRecord {
  length = 0;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  constructor(readonly source: string) {}

  push(start: number, end: number): void {
    if (this.length === this.starts.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    this.starts[this.length] = start;
    this.ends[this.length] = end;
    this.length++;
  }
  number(j: number): number {
    return spanNumber(this.source, this.starts[j], this.ends[j]);
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

function scanRecords(text: string, delimiter: string, onRecord: OnRecord): void {
  const record = new SpanRecord(text);
  const delimiterCode = delimiter.charCodeAt(0);
  let line = 0;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const next = end + 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--; // \r\n
    record.length = 0;
    let cellStart = start;
    for (let i = start; i < end; i++)
      if (text.charCodeAt(i) === delimiterCode) {
        record.push(cellStart, i);
        cellStart = i + 1;
      }
    record.push(cellStart, end);
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
