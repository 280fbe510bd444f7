import { describe, expect, it } from 'vitest';
import { initializeDense, resolveInit } from '../../../src/lib/engine/initializers';
import { zeros } from '../../../src/lib/engine/matrix';
import { createRng } from '../../../src/lib/engine/rng';
import type { InitName } from '../../../src/lib/engine/spec';

function layer(inputs: number, units: number, init: InitName, next?: 'relu' | 'tanh', seed = 1) {
  const params = { id: 'd', W: zeros(inputs, units), b: new Float64Array(units).fill(7) };
  initializeDense(params, init, next, createRng(seed));
  return params;
}

function stats(values: Float64Array) {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values) };
}

describe('initializers', () => {
  it('auto is he before the relu family, xavier otherwise', () => {
    expect(resolveInit('auto', 'relu')).toBe('he');
    expect(resolveInit('auto', 'leaky_relu')).toBe('he');
    expect(resolveInit('auto', 'elu')).toBe('he');
    expect(resolveInit('auto', 'sigmoid')).toBe('xavier');
    expect(resolveInit('auto', undefined)).toBe('xavier');
    expect(resolveInit('normal', 'relu')).toBe('normal');
  });

  it('xavier is uniform within ±sqrt(6/(in+out)), biases 0', () => {
    const p = layer(200, 100, 'xavier');
    const limit = Math.sqrt(6 / 300);
    const s = stats(p.W.data);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.max).toBeGreaterThan(0.99 * limit); // it really spans the interval
    expect(s.std).toBeCloseTo(limit / Math.sqrt(3), 2); // std of U(-l, l)
    expect(Array.from(p.b).every((v) => v === 0)).toBe(true);
  });

  it('he draws N(0, 2/in), biases 0', () => {
    const p = layer(200, 100, 'auto', 'relu');
    const s = stats(p.W.data);
    expect(s.mean).toBeCloseTo(0, 2);
    expect(s.std).toBeCloseTo(Math.sqrt(2 / 200), 2);
    expect(Array.from(p.b).every((v) => v === 0)).toBe(true);
  });

  it('normal and uniform draw the biases like the weights', () => {
    const n = layer(100, 100, 'normal');
    expect(stats(n.W.data).std).toBeCloseTo(1, 1);
    expect(new Set(n.b).size).toBe(100);
    const u = layer(100, 100, 'uniform');
    const s = stats(u.W.data);
    expect(s.min).toBeGreaterThanOrEqual(0);
    expect(s.max).toBeLessThan(1);
    expect(s.mean).toBeCloseTo(0.5, 2);
    expect(Array.from(u.b).every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('zeros gives zeros; the same seed gives the same draws', () => {
    const z = layer(3, 4, 'zeros');
    expect(Array.from(z.W.data).every((v) => v === 0)).toBe(true);
    expect(Array.from(z.b).every((v) => v === 0)).toBe(true);
    expect(layer(5, 5, 'xavier', undefined, 3).W.data).toEqual(
      layer(5, 5, 'xavier', undefined, 3).W.data,
    );
  });
});
