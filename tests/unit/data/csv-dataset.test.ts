/**
 * The typed-array CSV pipeline (csvToDataset) against the string-table one it replaces
 * (parseCsv + tableToDataset): the same numbers on every built-in CSV and the same messages for
 * bad files; then what only it does: delimiters, column kinds, quoted files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/lib/data/csv';
import { csvToDataset, MAX_AUTO_CATEGORIES } from '../../../src/lib/data/csv-dataset';
import { tableToDataset } from '../../../src/lib/data/dataset-from-table';
import { STATIC_DATASETS_DIR } from '../../../src/lib/data/load-node';
import type { Dataset } from '../../../src/lib/data/types';
import { toRows, type Matrix } from '../../../src/lib/engine/matrix';
import { dataErrorOf } from './helpers';

function oldPipeline(text: string, name: string, target?: string): Dataset<Matrix> {
  return tableToDataset(parseCsv(text, { name }), { name, target });
}

function newPipeline(text: string, name: string, target?: string): Dataset<Matrix> {
  return csvToDataset(text, { name, fileName: name, target }).dataset;
}

function expectSameDataset(a: Dataset<Matrix>, b: Dataset<Matrix>): void {
  expect(b.features).toEqual(a.features);
  expect([b.target, b.task, b.classes, b.name]).toEqual([a.target, a.task, a.classes, a.name]);
  expect([b.X.rows, b.X.cols]).toEqual([a.X.rows, a.X.cols]);
  expect(b.X.data.length).toBe(a.X.data.length);
  // Bit for bit: Object.is tells -0 from 0.
  const differing = a.X.data.findIndex((v, i) => !Object.is(v, b.X.data[i]));
  expect(differing).toBe(-1);
  expect(Array.from(b.y)).toEqual(Array.from(a.y));
}

describe('csvToDataset reads what parseCsv + tableToDataset read', () => {
  for (const file of ['iris.csv', 'wine.csv', 'breast_cancer.csv', 'digits.csv'])
    it(`${file}: the same features, targets and classes, bit for bit`, () => {
      const text = readFileSync(join(STATIC_DATASETS_DIR, file), 'utf8');
      expectSameDataset(oldPipeline(text, file), newPipeline(text, file));
    });

  it('wine.csv predicting hue: the same regression numbers (class aside)', () => {
    const text = readFileSync(join(STATIC_DATASETS_DIR, 'wine.csv'), 'utf8');
    const withoutClass = parseCsv(text);
    const columns = withoutClass.columns.filter((c) => c !== 'class');
    const old = tableToDataset(
      {
        ...withoutClass,
        columns,
        rows: withoutClass.rows.map((r) => r.slice(0, -1)),
      },
      { name: 'w', target: 'hue' },
    );
    const read = newPipeline(text, 'w', 'hue');
    expect(read.features.slice(0, 12)).toEqual(old.features);
    for (let i = 0; i < old.X.rows; i++)
      expect(Array.from(read.X.data.subarray(i * 15, i * 15 + 12))).toEqual(
        Array.from(old.X.data.subarray(i * 12, (i + 1) * 12)),
      );
    expect(Array.from(read.y)).toEqual(Array.from(old.y));
  });

  it('messages for bad files are the same, word for word, with the same line and column', () => {
    const bad: [string, string, string?][] = [
      ['', 'empty.csv'],
      ['\n\n  \n', 'blank.csv'],
      ['\na,b\n1,2\n', 'late-header.csv'],
      ['a,b,c\n\n', 'no-rows.csv'],
      ['x,y,x\n1,2,3\n', 'twice.csv'],
      ['x,,z\n1,2,3\n', 'unnamed.csv'],
      ['a,b,c,d,e\n' + '1,2,3,4,5\n'.repeat(5) + '1,2,3,4\n', 'ragged.csv'],
      ['a,b\n1,2,3\n', 'wide.csv'],
      ['only\n1\n2\n', 'one-column.csv'],
      ['a,b\n1,x\n2,y\n', 'no-target.csv', 'c'],
      ['a,b,c\n1,2,x\n3,4,\n', 'empty-label.csv'],
      // A numeric column with one bad cell (blank lines before it count).
      ['a,b,c\n1,2,x\n\n3,abc,y\n4,5,x\n6,7,y\n', 'typo.csv'],
      ['a,b,c\n1,2,x\n3,,y\n4,5,x\n', 'blank-cell.csv'],
      ['a,b,c\n1,0x10,x\n3,4,y\n5,6,x\n', 'hex.csv'],
      ['a,b,c\n1,Infinity,x\n3,4,y\n5,6,x\n', 'infinity.csv'],
      ['a,b,c\n1,"1,5",x\n3,4,y\n5,6,x\n', 'decimal-comma.csv'],
    ];
    for (const [text, name, target] of bad) {
      const old = dataErrorOf(() => oldPipeline(text, name, target));
      const read = dataErrorOf(() => newPipeline(text, name, target));
      expect(read.message).toBe(old.message);
      expect([read.line, read.column, read.columnName]).toEqual([
        old.line,
        old.column,
        old.columnName,
      ]);
    }
  });

  it('files with quotes (papaparse) read like d3-dsv: quoted delimiters, CRLF, blank lines, BOM', () => {
    const texts = [
      '\uFEFF a ,"b,c",t\r\n1,"2",x\r\n\r\n"3", 4 ,"y ""z"""\r\n',
      'a,b,t\n1,2,"multi\nline"\n3,4,x\n',
      'a,"b",t\n1,2,x\n3,4,y',
      'a,b,t\n1,2,x\n3,4,"y"\n\n\n',
    ];
    for (const text of texts) expectSameDataset(oldPipeline(text, 'q'), newPipeline(text, 'q'));
  });

  it('a lone carriage return ends a line, as in d3-dsv', () => {
    const text = 'a,b,t\r1,2,x\r3,4,y\r';
    expectSameDataset(oldPipeline(text, 'cr'), newPipeline(text, 'cr'));
  });
});

describe('delimiters', () => {
  const comma = 'a,b,kind\n1.5,2,x\n3,-4,y\n5,6,x\n';
  it('detects semicolon and tab files, says which, and reads them as the comma file', () => {
    const reference = csvToDataset(comma, { name: 'd' });
    expect(reference.delimiter).toBe(',');
    for (const delimiter of [';', '\t'] as const) {
      const read = csvToDataset(comma.replaceAll(',', delimiter), { name: 'd' });
      expect(read.delimiter).toBe(delimiter);
      expectSameDataset(reference.dataset, read.dataset);
    }
  });

  it('counts only delimiters outside quotes in the header, and can be told the delimiter', () => {
    const text = '"x;y;z",b\n1,2\n3,4\n';
    expect(csvToDataset(text, { name: 'd' }).delimiter).toBe(',');
    const forced = csvToDataset('a;b;c,t\n1,3\n2,4\n', { name: 'd', delimiter: ',' });
    expect(forced.dataset.features).toEqual(['a;b;c']);
  });

  it('a semicolon file read as comma no longer fails with "the header has 1" (issue 10)', () => {
    const read = csvToDataset('a;b;c\n1;2;x\n3;4;y\n', { name: 's.csv' });
    expect(read.dataset.features).toEqual(['a', 'b']);
    expect(read.dataset.classes).toEqual(['x', 'y']);
  });
});

describe('column kinds', () => {
  it('wine.csv with target "hue" is a regression, "class" one-hot (issue 10)', () => {
    const text = readFileSync(join(STATIC_DATASETS_DIR, 'wine.csv'), 'utf8');
    const read = csvToDataset(text, { name: 'wine.csv', target: 'hue' });
    const { dataset } = read;
    expect(dataset.task).toBe('regression');
    expect(dataset.target).toBe('hue');
    expect(dataset.features.slice(-3)).toEqual(['class=class_0', 'class=class_1', 'class=class_2']);
    expect(dataset.features).toHaveLength(12 + 3);
    const rows = toRows(dataset.X);
    // Row 1 of the file is class_0 and the last is class_2; each row has exactly one 1.
    expect(rows[0].slice(-3)).toEqual([1, 0, 0]);
    expect(rows[177].slice(-3)).toEqual([0, 0, 1]);
    for (const row of rows) expect(row.slice(-3).reduce((a, b) => a + b)).toBe(1);
    expect(read.columns.find((c) => c.name === 'class')).toEqual({
      name: 'class',
      role: 'category',
      auto: true,
      categories: ['class_0', 'class_1', 'class_2'],
    });
    expect(read.columns.find((c) => c.name === 'hue')).toMatchObject({ role: 'target' });
    expect(read.columns.find((c) => c.name === 'alcohol')).toMatchObject({
      role: 'number',
      auto: true,
    });
  });

  it('one-hot columns stand where their column stood, values in order of first appearance', () => {
    const text = 'size,colour,w,t\n1,red,0.5,a\n2,blue,1.5,b\n3,red,2.5,a\n4,,3.5,b\n';
    const { dataset } = csvToDataset(text, { name: 'k' });
    expect(dataset.features).toEqual(['size', 'colour=red', 'colour=blue', 'colour=(blank)', 'w']);
    expect(toRows(dataset.X)).toEqual([
      [1, 1, 0, 0, 0.5],
      [2, 0, 1, 0, 1.5],
      [3, 1, 0, 0, 2.5],
      [4, 0, 0, 1, 3.5],
    ]);
  });

  it('kinds can be given: ignore a column, read numbers as categories', () => {
    const text = 'a,b,c,t\n1,10,x,p\n2,20,y,q\n3,10,x,p\n';
    const kinds = new Map([
      ['b', 'category'],
      ['c', 'ignore'],
    ] as const);
    const read = csvToDataset(text, { name: 'k', kinds });
    expect(read.dataset.features).toEqual(['a', 'b=10', 'b=20']);
    expect(toRows(read.dataset.X)).toEqual([
      [1, 1, 0],
      [2, 0, 1],
      [3, 1, 0],
    ]);
    expect(read.columns.map((c) => [c.name, c.role, c.auto])).toEqual([
      ['a', 'number', true],
      ['b', 'category', false],
      ['c', 'ignore', false],
      ['t', 'target', false],
    ]);
  });

  it('a column given as "number" refuses text with the usual message', () => {
    const error = dataErrorOf(() =>
      csvToDataset('a,b,t\n1,x,p\n2,y,q\n', {
        name: 'k',
        fileName: 'k.csv',
        kinds: new Map([['b', 'number']]),
      }),
    );
    expect(error.message).toBe(
      'k.csv: line 2, column "b": "x" is not a number. Feature columns must hold numbers.',
    );
    expect(error).toMatchObject({ line: 2, column: 2, columnName: 'b' });
  });

  it('names the columns when a kind is given for a column that does not exist', () => {
    const error = dataErrorOf(() =>
      csvToDataset('a,b\n1,x\n', { name: 'k', kinds: new Map([['z', 'ignore']]) }),
    );
    expect(error.message).toBe(
      'There is no column "z" to read as ignore. The columns are: "a", "b".',
    );
  });

  it('text first seen below the first row makes a mostly-text column a category', () => {
    const text = 'a,b,t\n1,5,p\n2,x,q\n3,y,p\n4,x,q\n';
    const read = csvToDataset(text, { name: 'late' });
    expect(read.dataset.features).toEqual(['a', 'b=5', 'b=x', 'b=y']);
    expect(toRows(read.dataset.X)[0]).toEqual([1, 1, 0, 0]);
  });

  it(`refuses an automatic category of more than ${MAX_AUTO_CATEGORIES} values (an id column)`, () => {
    const lines = ['id,v,t'];
    for (let i = 0; i < 60; i++) lines.push(`user${i},${i},${i % 2 ? 'a' : 'b'}`);
    const error = dataErrorOf(() =>
      csvToDataset(lines.join('\n'), { name: 'ids', fileName: 'ids.csv' }),
    );
    expect(error.message).toBe(
      `ids.csv: column "id" has 60 different values, too many to use as categories automatically (at most ${MAX_AUTO_CATEGORIES}). Choose "category" or "ignore" for it.`,
    );
    const ignored = csvToDataset(lines.join('\n'), {
      name: 'ids',
      kinds: new Map([['id', 'ignore']]),
    });
    expect(ignored.dataset.features).toEqual(['v']);
  });
});
