/**
 * The upload preview's column window: which columns of a wide table are drawn for a scroll
 * position, and the CSS width of the gaps that stand in for the others (hand-computed cases).
 */
import { describe, expect, it } from 'vitest';
import {
  ALL_COLUMNS_UP_TO,
  columnChars,
  columnWindow,
  columnsWidth,
} from '../../../src/lib/components/training/column-window';

/** 10 px per character and 16 px of padding: a 4-character column is 56 px wide. */
const METRICS = { charPx: 10, paddingPx: 16 };

describe('columnChars', () => {
  it('is the longest of the header and the cells, at least one', () => {
    expect(
      columnChars(
        ['a', 'long name', ''],
        [
          ['12345', 'x', ''],
          ['1', 'y', ''],
        ],
      ),
    ).toEqual([5, 9, 1]);
  });

  it('counts a missing cell (a short row) as empty', () => {
    expect(columnChars(['ab', 'cd'], [['1']])).toEqual([2, 2]);
  });
});

describe('columnWindow', () => {
  const wide = Array.from({ length: 200 }, () => 4); // 200 columns of 56 px

  it('draws every column of a small table, wherever it is scrolled', () => {
    const small = Array.from({ length: ALL_COLUMNS_UP_TO }, () => 4);
    expect(columnWindow(small, { start: 5000, width: 100 }, METRICS)).toEqual({
      first: 0,
      end: ALL_COLUMNS_UP_TO,
    });
  });

  it('draws the columns in view and those within the overscan either side', () => {
    // View [560, 672): columns 10 and 11 (560-616, 616-672); overscan 112 px adds 8, 9, 12, 13.
    expect(columnWindow(wide, { start: 560, width: 112 }, METRICS, 112)).toEqual({
      first: 8,
      end: 14,
    });
  });

  it('counts a column cut by the view edge as in view', () => {
    // View [570, 580): inside column 10 only.
    expect(columnWindow(wide, { start: 570, width: 10 }, METRICS, 0)).toEqual({
      first: 10,
      end: 11,
    });
  });

  it('starts at the first column when scrolled to the left (or before the table)', () => {
    expect(columnWindow(wide, { start: -200, width: 300 }, METRICS, 0)).toEqual({
      first: 0,
      end: 2,
    });
  });

  it('overscans by half a view by default', () => {
    // View [1120, 1344) = columns 20-23; a 112 px overscan adds two columns each side.
    expect(columnWindow(wide, { start: 1120, width: 224 }, METRICS)).toEqual({
      first: 18,
      end: 26,
    });
  });

  it('ends at the last column when scrolled past the end', () => {
    expect(columnWindow(wide, { start: 1e6, width: 300 }, METRICS, 0)).toEqual({
      first: 199,
      end: 200,
    });
  });

  it('follows columns of different widths', () => {
    // 41 columns: column 0 is 100 characters (1016 px), the others 1 character (26 px).
    const chars = [100, ...Array.from({ length: 40 }, () => 1)];
    expect(columnWindow(chars, { start: 1016, width: 52 }, METRICS, 0)).toEqual({
      first: 1,
      end: 3,
    });
    expect(columnWindow(chars, { start: 500, width: 10 }, METRICS, 0)).toEqual({
      first: 0,
      end: 1,
    });
  });
});

describe('columnsWidth', () => {
  it('sums characters in ch and padding in px', () => {
    expect(columnsWidth([3, 5, 7, 11], 1, 3, 16)).toBe('calc(12ch + 32px)');
  });

  it('is nothing for no columns', () => {
    expect(columnsWidth([3, 5], 1, 1, 16)).toBe('0px');
  });
});
