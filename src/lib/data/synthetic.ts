/**
 * Seeded toy datasets on the plane (and Runge's function on a line), the classic playground
 * problems. The same kind, n, noise and seed always give the same rows.
 *
 * `noise` is the standard deviation of Gaussian noise, in the units of the data (the points lie
 * roughly in [-1, 1]):
 * - xor, circles, spirals: added to both coordinates after the label is fixed, so noisy points
 *   may cross the boundary;
 * - blobs: the spread of each blob around its centre;
 * - runge: added to y.
 */
import { zeros, type Matrix } from '../engine/matrix';
import { createRng, type Rng } from '../engine/rng';
import type { Dataset } from './types';

export const SYNTHETIC_KINDS = ['xor', 'circles', 'spirals', 'blobs', 'runge'] as const;
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number];

export interface SyntheticOptions {
  /** Number of rows. */
  n?: number;
  /** Standard deviation of the noise (see above). */
  noise?: number;
  seed?: number;
}

export const SYNTHETIC_DEFAULTS: Record<SyntheticKind, { n: number; noise: number }> = {
  xor: { n: 200, noise: 0.05 },
  circles: { n: 200, noise: 0.05 },
  spirals: { n: 300, noise: 0.03 },
  blobs: { n: 300, noise: 0.2 },
  runge: { n: 100, noise: 0 },
};
export const DEFAULT_SYNTHETIC_SEED = 1;

/** Runge's function, the classic example where polynomial interpolation fails at the ends. */
export function runge(x: number): number {
  return 1 / (1 + 25 * x * x);
}

/** Radii of the two circles. */
export const CIRCLE_RADII = { outer: 1, inner: 0.5 } as const;
/** Turns each spiral arm makes from the centre to radius 1. */
export const SPIRAL_TURNS = 1.5;
/** Blob centres: three points on a circle of radius 0.7, at 90°, 210° and 330°. */
export const BLOB_CENTRES: readonly (readonly [number, number])[] = [90, 210, 330].map((deg) => {
  const a = (deg * Math.PI) / 180;
  return [0.7 * Math.cos(a), 0.7 * Math.sin(a)] as const;
});

interface Rows {
  points: [number, number][];
  labels: number[];
}

/** Class of row i when n rows are shared out among the classes as evenly as possible, in order. */
function classOfRow(i: number, n: number, classCount: number): number {
  return Math.floor((i * classCount) / n);
}

function xorRows(n: number, noise: number, rng: Rng): Rows {
  const points: [number, number][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x1 = 2 * rng.next() - 1;
    const x2 = 2 * rng.next() - 1;
    // Class 1 when exactly one coordinate is positive: x1 > 0 XOR x2 > 0.
    labels.push(x1 > 0 !== x2 > 0 ? 1 : 0);
    points.push([x1 + noise * rng.normal(), x2 + noise * rng.normal()]);
  }
  return { points, labels };
}

function circlesRows(n: number, noise: number, rng: Rng): Rows {
  const points: [number, number][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = classOfRow(i, n, 2);
    const r = label === 0 ? CIRCLE_RADII.outer : CIRCLE_RADII.inner;
    const angle = 2 * Math.PI * rng.next();
    labels.push(label);
    points.push([
      r * Math.cos(angle) + noise * rng.normal(),
      r * Math.sin(angle) + noise * rng.normal(),
    ]);
  }
  return { points, labels };
}

function spiralsRows(n: number, noise: number, rng: Rng): Rows {
  const points: [number, number][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = classOfRow(i, n, 2);
    // Position along the arm, r in (0, 1]; the second arm is the first turned by half a circle.
    const r = 0.05 + 0.95 * rng.next();
    const angle = 2 * Math.PI * SPIRAL_TURNS * r + label * Math.PI;
    labels.push(label);
    points.push([
      r * Math.cos(angle) + noise * rng.normal(),
      r * Math.sin(angle) + noise * rng.normal(),
    ]);
  }
  return { points, labels };
}

function blobsRows(n: number, noise: number, rng: Rng): Rows {
  const points: [number, number][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = classOfRow(i, n, BLOB_CENTRES.length);
    const [cx, cy] = BLOB_CENTRES[label];
    labels.push(label);
    points.push([cx + noise * rng.normal(), cy + noise * rng.normal()]);
  }
  return { points, labels };
}

const CLASSES: Record<Exclude<SyntheticKind, 'runge'>, string[]> = {
  xor: ['0', '1'],
  circles: ['outer', 'inner'],
  spirals: ['arm_a', 'arm_b'],
  blobs: ['blob_a', 'blob_b', 'blob_c'],
};

const GENERATORS: Record<
  Exclude<SyntheticKind, 'runge'>,
  (n: number, noise: number, rng: Rng) => Rows
> = {
  xor: xorRows,
  circles: circlesRows,
  spirals: spiralsRows,
  blobs: blobsRows,
};

function rungeDataset(n: number, noise: number, rng: Rng): Dataset<Matrix> {
  const X = zeros(n, 1);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = 2 * rng.next() - 1;
    X.data[i] = x;
    y[i] = runge(x) + noise * rng.normal();
  }
  return { name: 'runge', features: ['x'], target: 'y', task: 'regression', classes: [], X, y };
}

function checkOptions(kind: string, n: number, noise: number): void {
  if (!(SYNTHETIC_KINDS as readonly string[]).includes(kind))
    throw new Error(
      `Unknown synthetic dataset "${kind}". Choose one of: ${SYNTHETIC_KINDS.join(', ')}.`,
    );
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`The number of rows must be a whole number of at least 1, got ${n}.`);
  if (!Number.isFinite(noise) || noise < 0)
    throw new Error(`The noise must be a number of at least 0, got ${noise}.`);
}

/** A seeded synthetic dataset: 2 features (x1, x2) and a class, or for runge x -> y. */
export function generateSynthetic(
  kind: SyntheticKind,
  opts: SyntheticOptions = {},
): Dataset<Matrix> {
  const n = opts.n ?? SYNTHETIC_DEFAULTS[kind]?.n;
  const noise = opts.noise ?? SYNTHETIC_DEFAULTS[kind]?.noise;
  checkOptions(kind, n, noise);
  const rng = createRng(opts.seed ?? DEFAULT_SYNTHETIC_SEED);
  if (kind === 'runge') return rungeDataset(n, noise, rng);
  const { points, labels } = GENERATORS[kind](n, noise, rng);
  const X = zeros(n, 2);
  points.forEach(([a, b], i) => {
    X.data[2 * i] = a;
    X.data[2 * i + 1] = b;
  });
  return {
    name: kind,
    features: ['x1', 'x2'],
    target: 'class',
    task: 'classification',
    classes: [...CLASSES[kind]],
    X,
    y: Float64Array.from(labels),
  };
}
