/**
 * Each optimizer against two steps worked by hand (DESIGN.md §2 formulas, written out below on
 * scalars), on a layer with W = [0.5, -1.5] and b = [0.2], learning rate 0.1, with and without
 * l1 = 0.01 / l2 = 0.1 (the penalty gradient λ2 w + λ1 sign(w) is added to W's gradient only).
 */
import { describe, expect, it } from 'vitest';
import { fromRows } from '../../../src/lib/engine/matrix';
import { createOptimizer, type Optimizer } from '../../../src/lib/engine/optimizers/index';
import { addPenaltyGradient, type Regularization } from '../../../src/lib/engine/regularization';
import type { OptimizerName } from '../../../src/lib/engine/settings';

const LR = 0.1;
const EPS = 1e-8;
/** The data gradient of each of the two steps: [dW0, dW1, db0]. */
const DATA_GRADIENTS = [
  [0.2, -0.4, 0.1],
  [-0.1, 0.3, -0.05],
];
const START = [0.5, -1.5, 0.2];
const NO_REG: Regularization = { l1: 0, l2: 0 };
const REG: Regularization = { l1: 0.01, l2: 0.1 };

/** Runs the engine: two steps, the penalty gradient recomputed from the current W each time. */
function runEngine(optimizer: Optimizer, reg: Regularization): number[][] {
  const params = [
    { id: 'd', W: fromRows([[START[0], START[1]]]), b: new Float64Array([START[2]]) },
  ];
  const after: number[][] = [];
  for (const g of DATA_GRADIENTS) {
    const grads = [{ id: 'd', dW: fromRows([[g[0], g[1]]]), db: new Float64Array([g[2]]) }];
    addPenaltyGradient(params, grads, reg);
    optimizer.step([params[0].W.data, params[0].b], [grads[0].dW.data, grads[0].db]);
    after.push([params[0].W.data[0], params[0].W.data[1], params[0].b[0]]);
  }
  return after;
}

/** The gradient of entry i at value w: data gradient, plus λ2 w + λ1 sign(w) for weights. */
function effectiveGradient(step: number, i: number, w: number, reg: Regularization): number {
  const isWeight = i < 2;
  return DATA_GRADIENTS[step][i] + (isWeight ? reg.l2 * w + reg.l1 * Math.sign(w) : 0);
}

/** Scalar reference updates, state starting at zero. */
type Update = (w: number, g: number, state: Record<string, number>, t: number) => number;
const byHand: Record<OptimizerName, Update> = {
  // w -= lr g
  sgd: (w, g) => w - LR * g,
  // v = μ v + lr g; w -= v
  momentum: (w, g, s) => {
    s.v = 0.9 * (s.v ?? 0) + LR * g;
    return w - s.v;
  },
  // v_new = μ v + lr g; w -= μ v_new + lr g
  nesterov: (w, g, s) => {
    s.v = 0.9 * (s.v ?? 0) + LR * g;
    return w - (0.9 * s.v + LR * g);
  },
  // G += g²; w -= lr g / (sqrt(G) + eps)
  adagrad: (w, g, s) => {
    s.G = (s.G ?? 0) + g * g;
    return w - (LR * g) / (Math.sqrt(s.G) + EPS);
  },
  // s = ρ s + (1-ρ) g²; w -= lr g / (sqrt(s) + eps)
  rmsprop: (w, g, s) => {
    s.s = 0.9 * (s.s ?? 0) + 0.1 * g * g;
    return w - (LR * g) / (Math.sqrt(s.s) + EPS);
  },
  // m = β1 m + (1-β1) g; s = β2 s + (1-β2) g²; m̂ = m/(1-β1^t); ŝ = s/(1-β2^t); w -= lr m̂/(sqrt(ŝ)+eps)
  adam: (w, g, s, t) => {
    s.m = 0.9 * (s.m ?? 0) + 0.1 * g;
    s.s = 0.999 * (s.s ?? 0) + 0.001 * g * g;
    const mHat = s.m / (1 - 0.9 ** t);
    const sHat = s.s / (1 - 0.999 ** t);
    return w - (LR * mHat) / (Math.sqrt(sHat) + EPS);
  },
};

function runByHand(name: OptimizerName, reg: Regularization): number[][] {
  const values = [...START];
  const states = values.map(() => ({}) as Record<string, number>);
  const after: number[][] = [];
  for (let step = 0; step < 2; step++) {
    const gradients = values.map((w, i) => effectiveGradient(step, i, w, reg));
    values.forEach((w, i) => (values[i] = byHand[name](w, gradients[i], states[i], step + 1)));
    after.push([...values]);
  }
  return after;
}

const NAMES: OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'];

describe('optimizers, two steps by hand', () => {
  it('numbers worked on paper for w = 0.5 (g = 0.2, then -0.1)', () => {
    const first = (name: OptimizerName, reg = NO_REG) =>
      runEngine(createOptimizer({ name, learningRate: LR }), reg).map((s) => s[0]);
    // sgd: 0.5 - 0.02 = 0.48; 0.48 + 0.01 = 0.49
    expect(first('sgd')).toEqual([expect.closeTo(0.48, 15), expect.closeTo(0.49, 15)]);
    // momentum: v = 0.02, w = 0.48; v = 0.018 - 0.01 = 0.008, w = 0.472
    expect(first('momentum')).toEqual([expect.closeTo(0.48, 15), expect.closeTo(0.472, 15)]);
    // nesterov: v = 0.02, w = 0.5 - (0.018 + 0.02) = 0.462; v = 0.008, w = 0.462 - (0.0072 - 0.01) = 0.4648
    expect(first('nesterov')).toEqual([expect.closeTo(0.462, 15), expect.closeTo(0.4648, 15)]);
    // sgd with l2 0.1, l1 0.01: g = 0.2 + 0.05 + 0.01 = 0.26, w = 0.474;
    // g = -0.1 + 0.0474 + 0.01 = -0.0426, w = 0.47826
    expect(first('sgd', REG)).toEqual([expect.closeTo(0.474, 15), expect.closeTo(0.47826, 15)]);
    // adam's first step moves every weight by about lr: m̂ = g, ŝ = g², so lr g/(|g| + eps)
    expect(first('adam')[0]).toBeCloseTo(0.5 - 0.1 * (0.2 / (0.2 + 1e-8)), 15);
  });

  for (const name of NAMES)
    for (const [label, reg] of [
      ['no penalty', NO_REG],
      ['l1 + l2', REG],
    ] as const)
      it(`${name}, ${label}`, () => {
        const engine = runEngine(createOptimizer({ name, learningRate: LR }), reg);
        const expected = runByHand(name, reg);
        engine.forEach((values, step) =>
          values.forEach((v, i) =>
            expect(v, `step ${step + 1}, entry ${i}`).toBeCloseTo(expected[step][i], 14),
          ),
        );
      });
});

describe('optimizer state', () => {
  it('configure changes the learning rate between steps and keeps the velocity', () => {
    const optimizer = createOptimizer({ name: 'momentum', learningRate: 0.1 });
    const w = new Float64Array([1]);
    optimizer.step([w], [new Float64Array([1])]); // v = 0.1, w = 0.9
    optimizer.configure({ ...optimizer.hyperparameters, learningRate: 0.5 });
    optimizer.step([w], [new Float64Array([1])]); // v = 0.09 + 0.5 = 0.59, w = 0.31
    expect(w[0]).toBeCloseTo(0.31, 15);
  });

  it('reset clears the state (adam restarts at t = 1)', () => {
    const optimizer = createOptimizer({ name: 'adam', learningRate: 0.1 });
    const w = new Float64Array([1]);
    optimizer.step([w], [new Float64Array([3])]);
    optimizer.step([w], [new Float64Array([-2])]);
    optimizer.reset();
    const before = w[0];
    optimizer.step([w], [new Float64Array([0.5])]);
    expect(w[0]).toBeCloseTo(before - 0.1 * (0.5 / (0.5 + 1e-8)), 15);
  });

  it('defaults come from settings.ts; each optimizer says its name', () => {
    expect(createOptimizer({ name: 'adam', learningRate: 0.01 }).hyperparameters).toMatchObject({
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
    });
    expect(
      createOptimizer({ name: 'rmsprop', learningRate: 0.01, rho: 0.5 }).hyperparameters,
    ).toMatchObject({
      rho: 0.5,
      epsilon: 1e-8,
    });
    for (const name of NAMES) expect(createOptimizer({ name, learningRate: 0.1 }).name).toBe(name);
  });

  it('refuses gradients that do not match the parameters', () => {
    const optimizer = createOptimizer({ name: 'sgd', learningRate: 0.1 });
    expect(() => optimizer.step([new Float64Array(2)], [new Float64Array(3)])).toThrow(
      /one gradient array of the same length per parameter array/,
    );
  });

  it('state slots restart when the parameter shapes change', () => {
    const optimizer = createOptimizer({ name: 'momentum', learningRate: 0.1 });
    optimizer.step([new Float64Array([1])], [new Float64Array([1])]); // v = 0.1
    const w = new Float64Array([1, 1]);
    optimizer.step([w], [new Float64Array([1, 2])]); // fresh v: v = lr g
    expect(Array.from(w)).toEqual([1 - 0.1, 1 - 0.2]);
  });
});
