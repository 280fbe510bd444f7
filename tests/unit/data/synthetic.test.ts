import { describe, expect, it } from 'vitest';
import {
  BLOB_CENTRES,
  CIRCLE_RADII,
  SPIRAL_TURNS,
  SYNTHETIC_DEFAULTS,
  SYNTHETIC_KINDS,
  generateSynthetic,
} from '../../../src/lib/data/synthetic';
import { meanAndStd } from './helpers';

function point(d: ReturnType<typeof generateSynthetic>, i: number): [number, number] {
  return [d.X.data[2 * i], d.X.data[2 * i + 1]];
}

describe('generateSynthetic', () => {
  it('is deterministic by seed for every kind', () => {
    for (const kind of SYNTHETIC_KINDS) {
      const a = generateSynthetic(kind, { seed: 7, noise: 0.1 });
      const b = generateSynthetic(kind, { seed: 7, noise: 0.1 });
      const c = generateSynthetic(kind, { seed: 8, noise: 0.1 });
      expect(a.X.data, kind).toEqual(b.X.data);
      expect(a.y, kind).toEqual(b.y);
      expect(a.X.data, kind).not.toEqual(c.X.data);
    }
  });

  it('has the documented shapes, defaults and balanced classes', () => {
    for (const kind of SYNTHETIC_KINDS) {
      const d = generateSynthetic(kind);
      expect(d.X.rows, kind).toBe(SYNTHETIC_DEFAULTS[kind].n);
      expect(d.y.length, kind).toBe(d.X.rows);
      expect(d.name).toBe(kind);
      expect(d.X.data.every(Number.isFinite)).toBe(true);
    }
    const blobs = generateSynthetic('blobs', { n: 301 });
    expect(blobs.X.cols).toBe(2);
    expect(blobs.classes).toHaveLength(3);
    const counts = [0, 0, 0];
    for (const c of blobs.y) counts[c]++;
    expect(counts).toEqual([101, 100, 100]);
  });

  it('xor: points in the square, class 1 exactly when the signs differ', () => {
    const d = generateSynthetic('xor', { n: 500, noise: 0, seed: 2 });
    expect(d.classes).toEqual(['0', '1']);
    for (let i = 0; i < d.X.rows; i++) {
      const [x1, x2] = point(d, i);
      expect(Math.abs(x1)).toBeLessThanOrEqual(1);
      expect(Math.abs(x2)).toBeLessThanOrEqual(1);
      expect(d.y[i]).toBe(x1 * x2 < 0 ? 1 : 0);
    }
    const ones = Array.from(d.y).filter((c) => c === 1).length;
    expect(ones).toBeGreaterThan(200);
    expect(ones).toBeLessThan(300);
  });

  it('circles: without noise every point lies on its circle', () => {
    const d = generateSynthetic('circles', { n: 200, noise: 0, seed: 4 });
    expect(d.classes).toEqual(['outer', 'inner']);
    for (let i = 0; i < d.X.rows; i++) {
      const r = Math.hypot(...point(d, i));
      expect(r).toBeCloseTo(d.y[i] === 0 ? CIRCLE_RADII.outer : CIRCLE_RADII.inner, 12);
    }
  });

  it('circles: the noise level sets the spread around the circle', () => {
    const noise = 0.05;
    const d = generateSynthetic('circles', { n: 4000, noise, seed: 5 });
    const residuals = Array.from({ length: d.X.rows }, (_, i) => {
      const r = Math.hypot(...point(d, i));
      return r - (d.y[i] === 0 ? CIRCLE_RADII.outer : CIRCLE_RADII.inner);
    });
    // Radial part of isotropic 2-D noise of std sigma has std ~ sigma when sigma << r.
    expect(meanAndStd(residuals).std).toBeGreaterThan(0.9 * noise);
    expect(meanAndStd(residuals).std).toBeLessThan(1.1 * noise);
  });

  it('spirals: without noise each point is on its arm, the arms half a turn apart', () => {
    const d = generateSynthetic('spirals', { n: 300, noise: 0, seed: 6 });
    for (let i = 0; i < d.X.rows; i++) {
      const [x1, x2] = point(d, i);
      const r = Math.hypot(x1, x2);
      expect(r).toBeLessThanOrEqual(1);
      const expected = 2 * Math.PI * SPIRAL_TURNS * r + d.y[i] * Math.PI;
      expect(x1).toBeCloseTo(r * Math.cos(expected), 10);
      expect(x2).toBeCloseTo(r * Math.sin(expected), 10);
    }
  });

  it('blobs: the noise is the spread around each centre', () => {
    const noise = 0.2;
    const d = generateSynthetic('blobs', { n: 6000, noise, seed: 9 });
    for (let k = 0; k < 3; k++) {
      const rows = Array.from({ length: d.X.rows }, (_, i) => i).filter((i) => d.y[i] === k);
      for (const axis of [0, 1]) {
        const { mean, std } = meanAndStd(rows.map((i) => point(d, i)[axis]));
        expect(Math.abs(mean - BLOB_CENTRES[k][axis])).toBeLessThan(0.02);
        expect(Math.abs(std - noise)).toBeLessThan(0.02);
      }
    }
    const exact = generateSynthetic('blobs', { n: 3, noise: 0 });
    expect([point(exact, 0), point(exact, 1), point(exact, 2)]).toEqual(
      BLOB_CENTRES.map(([x, y]) => [x, y]),
    );
  });

  it('runge: y = 1 / (1 + 25 x^2) for x in [-1, 1], one feature, regression', () => {
    const d = generateSynthetic('runge', { n: 200, noise: 0, seed: 3 });
    expect(d.task).toBe('regression');
    expect(d.features).toEqual(['x']);
    expect(d.classes).toEqual([]);
    expect(d.X.cols).toBe(1);
    for (let i = 0; i < d.X.rows; i++) {
      const x = d.X.data[i];
      expect(x).toBeGreaterThanOrEqual(-1);
      expect(x).toBeLessThanOrEqual(1);
      expect(d.y[i]).toBe(1 / (1 + 25 * x * x));
    }
    const xs = Array.from(d.X.data);
    expect(Math.min(...xs)).toBeLessThan(-0.9);
    expect(Math.max(...xs)).toBeGreaterThan(0.9);
  });

  it('runge: noise on y has the requested standard deviation', () => {
    const noise = 0.1;
    const d = generateSynthetic('runge', { n: 5000, noise, seed: 11 });
    const residuals = Array.from(d.y, (y, i) => y - 1 / (1 + 25 * d.X.data[i] ** 2));
    const { mean, std } = meanAndStd(residuals);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(std - noise)).toBeLessThan(0.005);
  });

  it('rejects bad options with a clear message', () => {
    expect(() => generateSynthetic('xor', { n: 0 })).toThrow(/number of rows/);
    expect(() => generateSynthetic('xor', { noise: -1 })).toThrow(/noise must be/);
    expect(() => generateSynthetic('moons' as 'xor')).toThrow(/Unknown synthetic dataset "moons"/);
  });
});
