/**
 * The heatmaps' colour scale and labels: diverging and centred at 0 (white there, red above,
 * blue below, equal strength at ±the largest |entry|), and the shape written beside a term.
 */
import { describe, expect, it } from 'vitest';
import {
  divergingColour,
  isCut,
  shapeText,
  valueText,
} from '../../../src/lib/components/backprop/term-colour';

/** The channels of d3's "rgb(r, g, b)" colour strings. */
const channels = (c: string) => {
  const m = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(c);
  if (!m) throw new Error(`not an rgb() colour: ${c}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};

describe('divergingColour', () => {
  it('is white-ish at 0, red for positive, blue for negative, symmetric in strength', () => {
    const colour = divergingColour([-0.5, 0.1, 2]);
    const [r0, g0, b0] = channels(colour(0));
    expect(Math.min(r0, g0, b0)).toBeGreaterThan(235);
    const [rp, , bp] = channels(colour(2));
    const [rn, , bn] = channels(colour(-2));
    expect(rp).toBeGreaterThan(bp);
    expect(bn).toBeGreaterThan(rn);
    // ±2 (the largest |entry|) are the two ends: mirror images of each other's strength.
    expect(channels(colour(2))).toEqual(channels(divergingColour([2, -2])(2)));
    // A value half-way is paler than the end.
    const [rh, gh] = channels(colour(1));
    expect(gh).toBeGreaterThan(channels(colour(2))[1]);
    expect(rh).toBeGreaterThan(0);
  });

  it('stays defined for an all-zero term and marks a non-finite value', () => {
    expect(channels(divergingColour([0, 0])(0)).every((c) => c > 235)).toBe(true);
    expect(divergingColour([1])(NaN)).toBe('#000000');
  });
});

describe('labels', () => {
  it('writes shapes and values', () => {
    expect(shapeText({ shape: 'matrix', rows: 8, cols: 5 })).toBe('8 × 5');
    expect(shapeText({ shape: 'vector', rows: 1, cols: 5 })).toBe('(5)');
    expect(shapeText({ shape: 'scalar', rows: 1, cols: 1 })).toBe('scalar');
    expect(valueText(0.123456)).toBe('0.1235');
    // d3-format writes the typographic minus sign.
    expect(valueText(-1e-9)).toBe('−1e-9');
    expect(isCut({ rows: 64, cols: 784, shownRows: 12, shownCols: 10 })).toBe(true);
    expect(isCut({ rows: 8, cols: 5, shownRows: 8, shownCols: 5 })).toBe(false);
  });
});
