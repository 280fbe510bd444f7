/** The status line's addition while stepping: the batch and its loss, only when stopped part-way. */
import { describe, expect, test } from 'vitest';
import { stepStatus } from '../../../src/lib/state/step-status';

const stepped = {
  status: 'paused' as const,
  step: 3,
  batchInEpoch: 3,
  batchesPerEpoch: 8,
  batchLoss: 0.91234,
};

describe('stepStatus', () => {
  test('after a step: the batch and its loss', () => {
    expect(stepStatus(stepped)).toBe('batch 3/8 · batch loss 0.912');
    expect(stepStatus({ ...stepped, status: 'idle', batchLoss: 0.000123 })).toBe(
      'batch 3/8 · batch loss 1.23e-4',
    );
  });

  test("the step that ends an epoch is that epoch's last batch", () => {
    expect(stepStatus({ ...stepped, step: 8, batchInEpoch: 0 })).toBe(
      'batch 8/8 · batch loss 0.912',
    );
  });

  test('nothing while running, when done or diverged, or before the first step', () => {
    expect(stepStatus({ ...stepped, status: 'running' })).toBeNull();
    expect(stepStatus({ ...stepped, status: 'done' })).toBeNull();
    expect(stepStatus({ ...stepped, status: 'diverged' })).toBeNull();
    expect(stepStatus({ ...stepped, step: 0, batchLoss: NaN })).toBeNull();
    expect(stepStatus(null)).toBeNull();
  });
});
