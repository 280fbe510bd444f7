/**
 * The CSV parsers the data benchmark compares, each behind one shape: call `onRecord` with every
 * record's cells (blank lines included, as one empty cell) in order. Each is used in its
 * streaming form, so no table of strings is kept, and the cells go straight into a Float64Array.
 */
import { dsvFormat } from 'd3-dsv';
import Papa from 'papaparse';
import { initParser, inferSchema } from 'udsv';

export type OnRecord = (cells: string[]) => void;
export type StreamParser = (text: string, delimiter: string, onRecord: OnRecord) => void;

export const STREAM_PARSERS: Record<string, StreamParser> = {
  'd3-dsv': (text, delimiter, onRecord) => {
    dsvFormat(delimiter).parseRows(text, (cells) => {
      onRecord(cells);
      return null; // keep nothing
    });
  },
  papaparse: (text, delimiter, onRecord) => {
    Papa.parse<string[]>(text, {
      delimiter,
      header: false,
      skipEmptyLines: false,
      step: (result) => onRecord(result.data),
    });
  },
  udsv: (text, delimiter, onRecord) => {
    const schema = inferSchema(text, { col: delimiter, header: () => [] }, 1);
    const parser = initParser(schema);
    parser.chunk<string[]>(text, parser.stringArrs, (cells) => {
      onRecord(cells);
    });
    parser.end();
  },
};
