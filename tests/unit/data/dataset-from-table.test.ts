import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/lib/data/csv';
import { detectTask, tableToDataset } from '../../../src/lib/data/dataset-from-table';
import { toRows } from '../../../src/lib/engine/matrix';
import { dataErrorOf } from './helpers';

function datasetOf(text: string, options: Partial<Parameters<typeof tableToDataset>[1]> = {}) {
  return tableToDataset(parseCsv(text, { name: 'test.csv' }), { name: 'test', ...options });
}

describe('tableToDataset', () => {
  it('uses the last column as target and the others as numeric features', () => {
    const d = datasetOf('a,b,kind\n1,2.5,cat\n-3,4e2,dog\n0.5,.25,cat\n');
    expect(d.features).toEqual(['a', 'b']);
    expect(d.target).toBe('kind');
    expect(d.task).toBe('classification');
    expect(d.classes).toEqual(['cat', 'dog']);
    expect(toRows(d.X)).toEqual([
      [1, 2.5],
      [-3, 400],
      [0.5, 0.25],
    ]);
    expect(Array.from(d.y)).toEqual([0, 1, 0]);
  });

  it('orders text classes by first appearance', () => {
    const d = datasetOf('x,c\n1,zebra\n2,ant\n3,zebra\n4,moth\n');
    expect(d.classes).toEqual(['zebra', 'ant', 'moth']);
    expect(Array.from(d.y)).toEqual([0, 1, 0, 2]);
  });

  it('picks another target column and keeps the rest as features in file order', () => {
    const d = datasetOf('y,a,b\n1.5,1,2\n2.5,3,4\n', { target: 'y' });
    expect(d.features).toEqual(['a', 'b']);
    expect(d.task).toBe('regression');
    expect(Array.from(d.y)).toEqual([1.5, 2.5]);
    expect(d.classes).toEqual([]);
  });

  it('names the columns when the target column does not exist', () => {
    const error = dataErrorOf(() => datasetOf('a,b,c\n1,2,3\n', { target: 'label' }));
    expect(error.message).toBe(
      'test.csv: there is no column "label" to predict. The columns are: "a", "b", "c".',
    );
  });

  it('names line, column and value of a non-numeric feature cell', () => {
    const error = dataErrorOf(() => datasetOf('width,height,c\n1,2,a\n3,abc,b\n'));
    expect(error.message).toBe(
      'test.csv: line 3, column "height": "abc" is not a number. Feature columns must hold numbers.',
    );
    expect(error).toMatchObject({ line: 3, column: 2, columnName: 'height' });
  });

  it('calls out an empty feature cell instead of reading it as 0', () => {
    const error = dataErrorOf(() => datasetOf('w,h,c\n1,,a\n'));
    expect(error.message).toContain('line 2, column "h": an empty cell is not a number');
  });

  it('does not accept hexadecimal, Infinity or decimal commas as numbers', () => {
    for (const cell of ['0x10', 'Infinity', 'NaN', '"1,5"']) {
      const error = dataErrorOf(() => datasetOf(`w,c\n${cell},a\n`));
      expect(error.line).toBe(2);
    }
  });

  it('gives the line of a bad cell as in the file, blank lines included', () => {
    const error = dataErrorOf(() => datasetOf('w,c\n1,a\n\n\nx,b\n'));
    expect(error.line).toBe(5);
  });

  it('sorts numeric class labels by value', () => {
    const rows = [3, 1, 2, 1, 3, 2, 1, 10].map((c, i) => `${i},${c}`).join('\n');
    const d = datasetOf(`x,digit\n${rows}\n`, { task: 'classification' });
    expect(d.classes).toEqual(['1', '2', '3', '10']);
    expect(Array.from(d.y)).toEqual([2, 0, 1, 0, 2, 1, 0, 3]);
  });

  it('refuses regression on a text target, naming the cell', () => {
    const error = dataErrorOf(() => datasetOf('x,y\n1,2\n2,high\n', { task: 'regression' }));
    expect(error.message).toBe(
      'test.csv: line 3, column "y": "high" is not a number, but regression needs a numeric target.',
    );
  });

  it('refuses an empty class label', () => {
    const error = dataErrorOf(() => datasetOf('x,c\n1,a\n2, \n'));
    expect(error.message).toBe('test.csv: line 3, column "c": the class label is empty.');
  });

  it('needs at least one feature column', () => {
    const error = dataErrorOf(() => datasetOf('c\na\nb\n'));
    expect(error.message).toMatch(/needs at least one feature column/);
  });
});

describe('detectTask', () => {
  const repeat = (values: number[], times: number) =>
    Array.from({ length: times }, () => values).flat();

  it('is classification for a text target', () => {
    expect(detectTask(undefined)).toBe('classification');
  });
  it('is classification for a few repeated integers', () => {
    expect(detectTask(repeat([0, 1], 10))).toBe('classification');
    expect(detectTask(repeat([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3))).toBe('classification');
  });
  it('is regression for non-integers', () => {
    expect(detectTask(repeat([0, 1.5], 10))).toBe('regression');
  });
  it('is regression for more than 10 distinct integers', () => {
    expect(detectTask(repeat([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3))).toBe('regression');
  });
  it('is regression when the distinct integers are not fewer than half the rows', () => {
    expect(detectTask([1, 2, 3, 4, 1, 2, 3, 4])).toBe('regression');
    expect(detectTask([1, 2, 3, 4, 1, 2, 3, 4, 1])).toBe('classification');
  });
});
