/**
 * The fast number readers give exactly what the exact reader gives: cellNumberOrNaN against
 * parseNumberCell on any string, and the CSV scanner's (csv-records.ts) against both.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachRecord } from '../../../src/lib/data/csv-records';
import { cellNumberOrNaN, parseNumberCell } from '../../../src/lib/data/numbers';

const exact = (cell: string) => parseNumberCell(cell) ?? NaN;

/** The scanner's value of `cell` in the middle of a line, with a sign or not. */
function scanned(cell: string, delimiter = ','): number {
  let value = NaN;
  forEachRecord(`x${delimiter}${cell}${delimiter}y\n`, delimiter, (record) => {
    value = record.number(1);
  });
  return value;
}

/** Strings that look like numbers, and near misses. */
const numberish = fc
  .tuple(
    fc.constantFrom('', '+', '-', ' ', '0', '00'),
    fc.stringMatching(/^[0-9]{0,20}$/),
    fc.constantFrom('', '.', '.5', 'e3', 'E-400', 'e309', 'x', 'b1', 'o7', '_1', ' ', ',5'),
    fc.stringMatching(/^[0-9]{0,20}$/),
  )
  .map((parts) => parts.join(''));

describe('cellNumberOrNaN', () => {
  it('agrees with parseNumberCell on chosen cells', () => {
    const cells = [
      '',
      ' ',
      '0',
      '-0',
      '+0',
      '0x10',
      '0X1F',
      '0b1',
      '0o7',
      '00x1',
      '1e5',
      '1.e5',
      '.5',
      '5.',
      '.',
      '-',
      '+',
      'Infinity',
      '-Infinity',
      'NaN',
      '1e400',
      ' 7 ',
      '\t8',
      '1,5',
      '1_000',
      '\u00a09',
      '١',
      '08',
      '0.5',
      '-.5e-3',
    ];
    for (const cell of cells)
      expect(Object.is(cellNumberOrNaN(cell), exact(cell)), cell).toBe(true);
  });

  it('agrees with parseNumberCell on any string and any number-like string', () => {
    for (const arbitrary of [fc.string(), numberish])
      fc.assert(
        fc.property(arbitrary, (cell) => Object.is(cellNumberOrNaN(cell), exact(cell))),
        { numRuns: 3000 },
      );
  });
});

describe('the CSV scanner', () => {
  it('reads a cell inside a line as parseNumberCell reads it alone', () => {
    fc.assert(
      fc.property(
        numberish,
        fc.constantFrom(',', ';', '\t'),
        // A cell holding the delimiter would be two cells.
        (cell, delimiter) =>
          cell.includes(delimiter) || Object.is(scanned(cell, delimiter), exact(cell)),
      ),
      { numRuns: 5000 },
    );
    for (const cell of ['', '-', '+', '.', '-.', '1-2', '+-1', '--1', '1..2', '1.2.3', ' 1', '1 '])
      expect(Object.is(scanned(cell), exact(cell)), cell).toBe(true);
  });

  it('is exact for decimals of up to 15 digits and falls back beyond', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 0, max: 20 }),
        (v, digits) => {
          const cell = v.toFixed(digits);
          return Object.is(scanned(cell), Number(cell));
        },
      ),
      { numRuns: 5000 },
    );
    for (const cell of ['0.1', '0.3', '123456789012345', '1234567890123456', '9007199254740993'])
      expect(scanned(cell)).toBe(Number(cell));
  });
});
