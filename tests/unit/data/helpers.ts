/** Helpers shared by the data tests. */
import { expect } from 'vitest';
import { DataError } from '../../../src/lib/data/errors';

/** The DataError `run` throws (fails the test if it throws something else or nothing). */
export function dataErrorOf(run: () => unknown): DataError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError, nothing was thrown');
}

/** Mean and population standard deviation of some numbers. */
export function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  const xs = Array.from(values);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
  return { mean, std };
}
