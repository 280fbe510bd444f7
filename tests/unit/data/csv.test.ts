import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/lib/data/csv';
import { dataErrorOf } from './helpers';

describe('parseCsv', () => {
  it('reads the header and the rows as strings', () => {
    const table = parseCsv('a,b,label\n1,2,x\n3.5,-4,y\n', { name: 'small.csv' });
    expect(table).toEqual({
      name: 'small.csv',
      columns: ['a', 'b', 'label'],
      rows: [
        ['1', '2', 'x'],
        ['3.5', '-4', 'y'],
      ],
      lineNumbers: [2, 3],
    });
  });

  it('handles quoted cells, CRLF line ends, a byte-order mark and padded header names', () => {
    const table = parseCsv('\uFEFF a ,"b,c"\r\n1,"x, y"\r\n');
    expect(table.columns).toEqual(['a', 'b,c']);
    expect(table.rows).toEqual([['1', 'x, y']]);
  });

  it('skips blank lines but keeps counting them, so line numbers match the file', () => {
    const table = parseCsv('a,b\n1,2\n\n3,4\n\n');
    expect(table.rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(table.lineNumbers).toEqual([2, 4]);
  });

  it('rejects a ragged row, naming its line and both cell counts', () => {
    const text = 'a,b,c,d,e\n' + '1,2,3,4,5\n'.repeat(5) + '1,2,3,4\n';
    const error = dataErrorOf(() => parseCsv(text));
    expect(error.message).toBe('Line 7 has 4 cells, the header has 5.');
    expect(error.line).toBe(7);
  });

  it('puts the file name in front of the message when it is known', () => {
    const error = dataErrorOf(() => parseCsv('a,b\n1,2,3\n', { name: 'mine.csv' }));
    expect(error.message).toBe('mine.csv: line 2 has 3 cells, the header has 2.');
  });

  it('rejects an empty file', () => {
    for (const text of ['', '\n', '\n\n  \n']) {
      const error = dataErrorOf(() => parseCsv(text));
      expect(error.message).toMatch(/^The file is empty: expected a header row/);
      expect(error.line).toBe(1);
    }
  });

  it('rejects a header without rows', () => {
    const error = dataErrorOf(() => parseCsv('a,b,c\n\n'));
    expect(error.message).toBe('The file has a header row but no data rows.');
  });

  it('rejects a duplicate column name, naming both columns', () => {
    const error = dataErrorOf(() => parseCsv('x,y,x\n1,2,3\n'));
    expect(error.message).toBe(
      'Line 1, column 3: the column name "x" is used twice (also column 1).',
    );
    expect(error).toMatchObject({ line: 1, column: 3, columnName: 'x' });
  });

  it('rejects an empty column name', () => {
    const error = dataErrorOf(() => parseCsv('x,,z\n1,2,3\n'));
    expect(error.message).toBe('Line 1, column 2: the column name is empty.');
    expect(error).toMatchObject({ line: 1, column: 2 });
  });

  it('rejects a file that starts with a blank line', () => {
    const error = dataErrorOf(() => parseCsv('\na,b\n1,2\n'));
    expect(error.message).toMatch(/^Line 1 is blank/);
  });
});
