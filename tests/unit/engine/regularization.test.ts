import { describe, expect, it } from 'vitest';
import { fromRows } from '../../../src/lib/engine/matrix';
import { addPenaltyGradient, penalty } from '../../../src/lib/engine/regularization';

describe('regularization', () => {
  const params = [
    {
      id: 'a',
      W: fromRows([
        [1, -2],
        [0, 3],
      ]),
      b: new Float64Array([5, -5]),
    },
  ];
  it('l2 adds (λ/2) Σ W² and l1 adds λ Σ |W|, biases excluded', () => {
    expect(penalty(params, { l1: 0, l2: 0.1 })).toBeCloseTo(0.05 * (1 + 4 + 0 + 9), 15);
    expect(penalty(params, { l1: 0.5, l2: 0 })).toBe(0.5 * (1 + 2 + 0 + 3));
    expect(penalty(params, { l1: 0, l2: 0 })).toBe(0);
  });
  it('gradient λ2 W + λ1 sign(W), sign(0) = 0, biases untouched', () => {
    const grads = [
      {
        id: 'a',
        dW: fromRows([
          [0, 0],
          [0, 0],
        ]),
        db: new Float64Array([1, 1]),
      },
    ];
    addPenaltyGradient(params, grads, { l1: 0.5, l2: 0.1 });
    expect(Array.from(grads[0].dW.data)).toEqual(
      [0.1 * 1 + 0.5, 0.1 * -2 - 0.5, 0, 0.1 * 3 + 0.5].map((v) => expect.closeTo(v, 15)),
    );
    expect(Array.from(grads[0].db)).toEqual([1, 1]);
  });
});
