import { describe, expect, it } from 'vitest';
import {
  describeEpochSeries,
  formatValue,
  valuesAt,
} from '../../../src/lib/components/charts/summaries';
import { innerSize, leftMarginFor } from '../../../src/lib/components/charts/chart-layout';

describe('formatValue', () => {
  it('shows three significant digits and names missing or diverged values', () => {
    expect(formatValue(0.061234)).toBe('0.0612');
    expect(formatValue(1234.5)).toBe('1.23e+3'); // large (diverging) values go exponential
    expect(formatValue(undefined)).toBe('–');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(Infinity)).toBe('∞');
  });
});

describe('epoch summaries', () => {
  const series = [
    { name: 'Train', values: [0.9, 0.5, 0.0612] },
    { name: 'Test', values: [1, 0.6, 0.072] },
  ];
  it('read the latest values with the epoch range', () => {
    expect(describeEpochSeries('Loss per epoch', [1, 2, 3], series)).toBe(
      'Loss per epoch, 3 epochs (1–3). Latest: Train 0.0612 · Test 0.072.',
    );
    expect(valuesAt(series, 0)).toBe('Train 0.9 · Test 1');
  });
  it('say when there is nothing yet, and handle a single epoch', () => {
    expect(describeEpochSeries('Loss per epoch', [], [])).toBe('Loss per epoch: no epochs yet.');
    expect(describeEpochSeries('Loss', [5], [{ name: 'Train', values: [2] }])).toBe(
      'Loss, epoch 5. Latest: Train 2.',
    );
  });
});

describe('layout', () => {
  it('never gives a negative plot area', () => {
    const margin = { top: 10, right: 10, bottom: 40, left: 60 };
    expect(innerSize(300, 200, margin)).toEqual({ width: 230, height: 150 });
    expect(innerSize(0, 0, margin)).toEqual({ width: 0, height: 0 });
  });
  it('widens the left margin for long labels', () => {
    expect(leftMarginFor(['a'])).toBe(48);
    expect(leftMarginFor(['versicolor'])).toBe(10 * 7 + 32);
  });
});
