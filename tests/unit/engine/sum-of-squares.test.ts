/**
 * sumOfSquares (engine/sum-of-squares.ts): in a WebAssembly arena and in plain arrays, every
 * length around the module's eight-number steps, against a one-by-one sum in exact-enough
 * arithmetic (only the order of the additions differs); NaN and Infinity come through.
 */
import { describe, expect, it } from 'vitest';
import { WasmArena } from '../../../src/lib/engine/kernels/wasm-arena';
import { createRng } from '../../../src/lib/engine/rng';
import { sumOfSquares } from '../../../src/lib/engine/sum-of-squares';

/** Σ x² one by one (the order of a plain loop). */
function oneByOne(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v * v;
  return sum;
}

const LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 24, 25, 1001, 32768 + 3];

describe('sumOfSquares', () => {
  const arena = WasmArena.create([LENGTHS.reduce((s, n) => s + n, 0) + 5 * 19 + 64], 0, 0);

  it.each(LENGTHS)('agrees with a one-by-one sum on %i numbers, in an arena and not', (n) => {
    const rng = createRng(n + 1);
    const plain = Float64Array.from({ length: n }, () => rng.normal() * 10);
    const expected = oneByOne(plain);
    if (n === 0) expect(sumOfSquares(plain)).toBe(0);
    else expect(Math.abs(sumOfSquares(plain) - expected)).toBeLessThan(1e-13 * expected);
    if (arena) {
      const inArena = arena.allocate(n);
      inArena.set(plain);
      if (n === 0) expect(sumOfSquares(inArena)).toBe(0);
      else expect(Math.abs(sumOfSquares(inArena) - expected)).toBeLessThan(1e-13 * expected);
      // a hand-checkable case: entry i is i + 1, so the sum is n(n+1)(2n+1)/6 (exact here)
      inArena.forEach((_, i) => (inArena[i] = i + 1));
      expect(sumOfSquares(inArena)).toBe((n * (n + 1) * (2 * n + 1)) / 6);
    }
  });

  it('passes NaN and Infinity on, wherever they sit', () => {
    for (const at of [0, 5, 8, 16, 18]) {
      const values = new Float64Array(19).fill(1);
      values[at] = NaN;
      expect(sumOfSquares(values)).toBeNaN();
      values[at] = -Infinity;
      expect(sumOfSquares(values)).toBe(Infinity);
      if (!arena) continue;
      const inArena = arena.allocate(19);
      inArena.set(values);
      expect(sumOfSquares(inArena)).toBe(Infinity);
      inArena[at] = NaN;
      expect(sumOfSquares(inArena)).toBeNaN();
    }
  });
});
