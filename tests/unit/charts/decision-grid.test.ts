import { describe, expect, it } from 'vitest';
import {
  cellEdgeDomain,
  decisionGridPixels,
  decisionGridProblem,
  probabilitiesNear,
  type DecisionGrid,
} from '../../../src/lib/components/charts/decision-grid';
import type { Rgb } from '../../../src/lib/components/charts/palette';

const RED: Rgb = [255, 0, 0];
const BLUE: Rgb = [0, 0, 255];

/** 2 x 2 grid, 2 classes; probabilities listed row-major by y, then x, then class. */
function smallGrid(): DecisionGrid {
  return {
    xs: [0, 1],
    ys: [10, 20],
    classCount: 2,
    probabilities: [
      // y = 10: x = 0 sure of class 0, x = 1 undecided
      1, 0, 0.5, 0.5,
      // y = 20: x = 0 75% class 1, x = 1 sure of class 1
      0.25, 0.75, 0, 1,
    ],
  };
}

describe('decisionGridPixels', () => {
  const strength = 0.5;
  const pixels = decisionGridPixels(smallGrid(), [RED, BLUE], strength);
  const at = (col: number, row: number) =>
    Array.from(pixels.slice((row * 2 + col) * 4, (row * 2 + col) * 4 + 4));

  it('puts the largest y in the top image row', () => {
    // top-right pixel is (x = 1, y = 20): sure of class 1 -> blue at full strength.
    // white + 0.5 * (blue - white) = (127.5, 127.5, 255) -> clamped array rounds 127.5 to 128.
    expect(at(1, 0)).toEqual([128, 128, 255, 255]);
    // bottom-left pixel is (x = 0, y = 10): sure of class 0 -> red.
    expect(at(0, 1)).toEqual([255, 128, 128, 255]);
  });
  it('fades a tie to white and scales partial confidence linearly', () => {
    expect(at(1, 1)).toEqual([255, 255, 255, 255]); // 50/50
    // pMax 0.75 with K = 2: confidence (0.75 - 0.5) / 0.5 = 0.5, strength 0.25:
    // 255 + 0.25 * (0 - 255) = 191.25 -> 191
    expect(at(0, 0)).toEqual([191, 191, 255, 255]);
  });
  it('reuses a buffer of the right size', () => {
    const buffer = new Uint8ClampedArray(16);
    expect(decisionGridPixels(smallGrid(), [RED, BLUE], strength, buffer)).toBe(buffer);
  });
  it('draws NaN probabilities as white instead of failing', () => {
    const grid = { ...smallGrid(), probabilities: [NaN, NaN, 1, 0, 1, 0, 1, 0] };
    const out = decisionGridPixels(grid, [RED, BLUE], strength);
    expect(Array.from(out.slice(8, 12))).toEqual([255, 255, 255, 255]); // (x 0, y 10) is row 1
  });
});

describe('cellEdgeDomain', () => {
  it('extends half a step beyond the outer centres', () => {
    expect(cellEdgeDomain([0, 1, 2])).toEqual([-0.5, 2.5]);
    expect(cellEdgeDomain([-3, 3])).toEqual([-6, 6]);
    expect(cellEdgeDomain([4])).toEqual([3.5, 4.5]);
  });
});

describe('probabilitiesNear', () => {
  it('reads the cell under a point, row-major by y then x then class', () => {
    expect(probabilitiesNear(smallGrid(), 0.9, 19)).toEqual([0, 1]);
    expect(probabilitiesNear(smallGrid(), 0.2, 19)).toEqual([0.25, 0.75]);
    expect(probabilitiesNear(smallGrid(), 1.4, 6)).toEqual([0.5, 0.5]);
  });
  it('is null outside the grid', () => {
    expect(probabilitiesNear(smallGrid(), 2, 10)).toBeNull();
    expect(probabilitiesNear(smallGrid(), 0, 26)).toBeNull();
  });
});

describe('decisionGridProblem', () => {
  it('accepts a consistent grid', () => {
    expect(decisionGridProblem(smallGrid(), 2)).toBeNull();
  });
  it('explains each inconsistency', () => {
    expect(decisionGridProblem(smallGrid(), 3)).toMatch(/2 classes but 3 class names/);
    expect(decisionGridProblem({ ...smallGrid(), probabilities: [1, 0] }, 2)).toMatch(
      /2 × 2 × 2 = 8 expected/,
    );
    expect(decisionGridProblem({ ...smallGrid(), xs: [1, 0] }, 2)).toMatch(
      /xs must be strictly ascending/,
    );
    expect(decisionGridProblem({ ...smallGrid(), ys: [NaN, 1] }, 2)).toMatch(/ys\[0\] is NaN/);
    expect(decisionGridProblem({ ...smallGrid(), xs: [] }, 2)).toMatch(/empty/);
  });
});
