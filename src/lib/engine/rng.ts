/**
 * The one seeded random generator behind every random choice (init, shuffle, split, synthetic
 * data): the same seed gives the same sequence on every machine. mulberry32 for uniforms,
 * Box–Muller for normals.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  let spareNormal: number | null = null;

  function next(): number {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  function normal(): number {
    if (spareNormal !== null) {
      const z = spareNormal;
      spareNormal = null;
      return z;
    }
    // 1 - next() lies in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  function int(n: number): number {
    return Math.floor(next() * n);
  }

  function shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  return { next, normal, int, shuffle };
}
