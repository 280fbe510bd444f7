/**
 * The grid a DecisionBoundary draws, and the mapping from class probabilities to image pixels.
 *
 * Grid format (the worker produces it):
 *   xs: nx ascending, evenly spaced x coordinates of the cell centres (data units)
 *   ys: ny ascending, evenly spaced y coordinates of the cell centres
 *   classCount: K, equal to the number of class names (a sigmoid output gives K = 2: [1-p, p])
 *   probabilities: ny * nx * K numbers, row-major by y, then x, then class:
 *     probability of class k at (xs[i], ys[j]) = probabilities[(j * nx + i) * K + k]
 */
import type { Rgb } from './palette';

export interface DecisionGrid {
  xs: number[];
  ys: number[];
  classCount: number;
  probabilities: Float32Array | number[];
}

/** Why `grid` cannot be drawn with `classCount` class names, or null when it can. */
export function decisionGridProblem(grid: DecisionGrid, classCount: number): string | null {
  const nx = grid.xs.length;
  const ny = grid.ys.length;
  if (nx < 1 || ny < 1) return 'The decision grid is empty (xs and ys need at least one value).';
  if (grid.classCount !== classCount) {
    return `The decision grid has ${grid.classCount} classes but ${classCount} class names were given.`;
  }
  const expected = nx * ny * grid.classCount;
  if (grid.probabilities.length !== expected) {
    return `The decision grid has ${grid.probabilities.length} probabilities; ${nx} × ${ny} × ${grid.classCount} = ${expected} expected.`;
  }
  for (const [name, values] of [
    ['xs', grid.xs],
    ['ys', grid.ys],
  ] as const) {
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) return `Decision grid ${name}[${i}] is ${values[i]}.`;
      if (i > 0 && !(values[i] > values[i - 1])) {
        return `Decision grid ${name} must be strictly ascending (${name}[${i}] = ${values[i]}).`;
      }
    }
  }
  return null;
}

/**
 * Data-space extent covered by cells centred at `centres` (evenly spaced): half a step beyond
 * the first and last centre, so the image and the axes line up exactly. One centre gets ±0.5.
 */
export function cellEdgeDomain(centres: readonly number[]): [number, number] {
  const n = centres.length;
  if (n === 0) return [0, 1];
  if (n === 1) return [centres[0] - 0.5, centres[0] + 0.5];
  const half = (centres[n - 1] - centres[0]) / (n - 1) / 2;
  return [centres[0] - half, centres[n - 1] + half];
}

/**
 * RGBA pixels (nx wide, ny tall) for a canvas. Image row 0 is the top, i.e. the largest y.
 * Each pixel takes the colour of its most probable class, mixed with white by confidence:
 *   strength = maxStrength * (pMax - 1/K) / (1 - 1/K)   (0 where all classes tie, max at pMax = 1)
 *   pixel = white + strength * (classColour - white)
 * so boundaries fade to white and points drawn on top stay readable.
 */
export function decisionGridPixels(
  grid: DecisionGrid,
  colours: readonly Rgb[],
  maxStrength = 0.65,
  out?: Uint8ClampedArray,
): Uint8ClampedArray {
  const nx = grid.xs.length;
  const ny = grid.ys.length;
  const k = grid.classCount;
  const pixels = out && out.length === nx * ny * 4 ? out : new Uint8ClampedArray(nx * ny * 4);
  const uniform = 1 / k;
  for (let j = 0; j < ny; j++) {
    const row = ny - 1 - j; // largest y at the top of the image
    for (let i = 0; i < nx; i++) {
      const base = (j * nx + i) * k;
      let best = 0;
      let pMax = -Infinity;
      for (let c = 0; c < k; c++) {
        const p = grid.probabilities[base + c];
        if (p > pMax) {
          pMax = p;
          best = c;
        }
      }
      const confidence = k > 1 ? (pMax - uniform) / (1 - uniform) : 1;
      const strength = Number.isFinite(confidence)
        ? maxStrength * Math.min(1, Math.max(0, confidence))
        : 0;
      const colour = colours[best % colours.length];
      const p = (row * nx + i) * 4;
      pixels[p] = 255 + strength * (colour[0] - 255);
      pixels[p + 1] = 255 + strength * (colour[1] - 255);
      pixels[p + 2] = 255 + strength * (colour[2] - 255);
      pixels[p + 3] = 255;
    }
  }
  return pixels;
}

/** Probabilities of every class at the grid point nearest to (x, y), or null off the grid. */
export function probabilitiesNear(grid: DecisionGrid, x: number, y: number): number[] | null {
  const i = nearestCentre(grid.xs, x);
  const j = nearestCentre(grid.ys, y);
  if (i < 0 || j < 0) return null;
  const k = grid.classCount;
  const base = (j * grid.xs.length + i) * k;
  return Array.from({ length: k }, (_, c) => Number(grid.probabilities[base + c]));
}

/** Index of the evenly spaced centre whose cell contains v, or -1 outside the cells. */
function nearestCentre(centres: readonly number[], v: number): number {
  const [lo, hi] = cellEdgeDomain(centres);
  if (!(v >= lo && v <= hi)) return -1;
  const n = centres.length;
  return Math.min(n - 1, Math.floor(((v - lo) / (hi - lo)) * n));
}
