import { describe, expect, it } from 'vitest';
import {
  divergenceMessage,
  shortNumber,
  type Divergence,
} from '../../../src/lib/engine/divergence';

describe('divergence in words', () => {
  it('keeps numbers short: 3 significant digits, an exponent past 1e6 or below 1e-4', () => {
    expect(shortNumber(460.123)).toBe('460');
    expect(shortNumber(1.0986)).toBe('1.1');
    expect(shortNumber(0.5234)).toBe('0.523');
    expect(shortNumber(123456)).toBe('123000');
    expect(shortNumber(6e294)).toBe('6e294');
    expect(shortNumber(2.3e147)).toBe('2.3e147');
    expect(shortNumber(-1234567)).toBe('-1.23e6');
    expect(shortNumber(0.00001234)).toBe('1.23e-5');
    expect(shortNumber(0)).toBe('0');
    expect(shortNumber(Infinity)).toBe('Infinity');
    expect(shortNumber(NaN)).toBe('NaN');
  });

  it('says what grew, which epoch came back and what to try', () => {
    const grew: Divergence = {
      epoch: 4,
      cause: 'loss-grew',
      loss: 460.2,
      baseline: 1.0986,
      restoredEpoch: 2,
      restoredLoss: 0.5234,
    };
    expect(divergenceMessage(grew)).toBe(
      'Training diverged at epoch 4: the training loss grew to 460, over 10 × its starting value 1.1. The weights of epoch 2 (the lowest training loss, 0.523) were restored. Try a lower learning rate.',
    );
    expect(
      divergenceMessage({ ...grew, epoch: 1, loss: 6e294, restoredEpoch: 0, restoredLoss: 1.0986 }),
    ).toBe(
      'Training diverged at epoch 1: the training loss grew to 6e294, over 10 × its starting value 1.1. The starting weights (training loss 1.1) were restored. Try a lower learning rate.',
    );
  });

  it('names a loss that is not a number', () => {
    const notFinite: Divergence = {
      epoch: 7,
      cause: 'not-finite',
      loss: NaN,
      baseline: 0.12,
      restoredEpoch: 6,
      restoredLoss: 0.031,
    };
    expect(divergenceMessage(notFinite)).toBe(
      'Training diverged at epoch 7: the loss became NaN (not a number). The weights of epoch 6 (the lowest training loss, 0.031) were restored. Try a lower learning rate.',
    );
    expect(divergenceMessage({ ...notFinite, loss: Infinity })).toMatch(
      /^Training diverged at epoch 7: the loss became Infinity\. /,
    );
  });
});
