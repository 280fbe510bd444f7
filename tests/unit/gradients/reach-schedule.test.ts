import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { showWhenReached } from '../../../src/lib/gradients/reach-schedule';

// Slots of a pass over loss n6 → … → input n1, 400 ms per layer (step pace).
const slots = new Map([
  ['n6', 0],
  ['n5', 1],
  ['n4', 2],
]);

describe('showWhenReached', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  test('without movement (0 ms per layer) the new look shows at once, with no easing', () => {
    const shown: number[] = [];
    const ease = vi.fn();
    const cleanup = showWhenReached(
      { slots, msPerLayer: 0, mode: 'training' },
      'n4',
      1,
      2,
      (l) => shown.push(l),
      ease,
    );
    expect(shown).toEqual([2]);
    expect(cleanup).toBeUndefined();
    expect(ease).not.toHaveBeenCalled();
  });

  test('the first look and a mark outside the pass show at once', () => {
    const shown: number[] = [];
    const pass = { slots, msPerLayer: 400, mode: 'step' as const };
    showWhenReached(pass, 'n4', null, 2, (l) => shown.push(l), vi.fn());
    showWhenReached(pass, 'n9', 1, 3, (l) => shown.push(l), vi.fn());
    expect(shown).toEqual([2, 3]);
  });

  test('while training, the look switches when the pass reaches the slot, without easing', () => {
    const shown: number[] = [];
    const ease = vi.fn();
    showWhenReached(
      { slots, msPerLayer: 100, mode: 'training' },
      'n4',
      1,
      2,
      (l) => shown.push(l),
      ease,
    );
    vi.advanceTimersByTime(199);
    expect(shown).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual([2]);
    expect(ease).not.toHaveBeenCalled();
  });

  test('in step mode it eases from the old look to the new one over one slot', () => {
    const shown: number[] = [];
    const ease = vi.fn(() => undefined);
    showWhenReached(
      { slots, msPerLayer: 400, mode: 'step' },
      'n5',
      1,
      2,
      (l) => shown.push(l),
      ease,
    );
    vi.advanceTimersByTime(400);
    expect(shown).toEqual([2]);
    expect(ease).toHaveBeenCalledWith(1, 2, 400);
  });

  test('the clean-up cancels a look not yet shown (a newer pass replaced it)', () => {
    const shown: number[] = [];
    const cleanup = showWhenReached(
      { slots, msPerLayer: 400, mode: 'step' },
      'n4',
      1,
      2,
      (l) => shown.push(l),
      vi.fn(),
    );
    cleanup?.();
    vi.advanceTimersByTime(2000);
    expect(shown).toEqual([]);
  });
});
