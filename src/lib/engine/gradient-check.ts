/**
 * Backprop against central finite differences, one dense layer at a time. For every weight and
 * bias θ the numerical derivative is, by default, the fourth-order central difference
 *   ∂C/∂θ ≈ [8 (C(θ+h) - C(θ-h)) - (C(θ+2h) - C(θ-2h))] / 12h      (error O(h⁴))
 * or, with `points: 2`, the classic (C(θ+h) - C(θ-h)) / 2h (error O(h²)). The classic one is
 * limited to about 1e-6 relative error in float64 (truncation h², rounding ε/h); the fourth-order
 * one reaches well below 1e-7, the bar DESIGN.md §6 sets.
 *
 * The relative error of an entry is |analytic - numerical| / max(|analytic|, |numerical|, floor).
 * The floor (default 1e-4) is there because no finite difference resolves an entry that is zero
 * or tiny: below it the comparison becomes absolute (error < 1e-7 x floor).
 *
 * Finite differences are meaningless across a kink (relu-family inputs changing sign, or |W| of
 * l1 crossing 0, between θ - 2h and θ + 2h). Such an entry is retried with h/10 and, if the kink
 * is still inside the stencil, skipped and counted.
 */
import { dataLoss, forward, lossAndGradients, type Network } from './network';
import type { Matrix } from './matrix';
import { NO_REGULARIZATION, penalty, type Regularization } from './regularization';
import type { ActivationName } from './spec';
import { createRng } from './rng';

export interface GradientCheckOptions {
  /** 2: (C(θ+h) - C(θ-h)) / 2h.  4 (default): the fourth-order central difference. */
  points?: 2 | 4;
  /** Step h (default 1e-3 with 4 points, 1e-5 with 2). */
  step?: number;
  /** Denominator floor of the relative error (default 1e-4). */
  floor?: number;
  /**
   * Compare at most this many entries of each W and each b (a seeded random sample), so a large
   * network is checked in seconds. Default: every entry.
   */
  maxEntriesPerParam?: number;
}

/** Indices 0..n-1, or a seeded random sample of `max` of them in ascending order. */
function entriesToCheck(n: number, max: number | undefined): ArrayLike<number> {
  if (max === undefined || n <= max) return Uint32Array.from({ length: n }, (_, i) => i);
  const all = createRng(n).shuffle(Uint32Array.from({ length: n }, (_, i) => i));
  return all.subarray(0, Math.max(0, Math.floor(max))).sort();
}

export interface LayerGradientCheck {
  layerId: string;
  /** Largest relative error over the compared entries of W and b. */
  maxRelativeError: number;
  /** The same over W's entries only, and over b's only. */
  weightRelativeError: number;
  biasRelativeError: number;
  /** Largest |analytic - numerical| over the compared entries. */
  maxAbsoluteError: number;
  /** ‖analytic - numerical‖ / max(‖analytic‖, ‖numerical‖) over the layer's compared entries. */
  normRelativeError: number;
  /** Where the largest relative error is: 'W' with row and column, or 'b' with column (row 0). */
  worst: { param: 'W' | 'b'; row: number; col: number; analytic: number; numerical: number };
  /** How many entries were compared. */
  entries: number;
  /** How many entries W and b have (more than `entries` when sampled). */
  totalEntries: number;
  /** How many entries were skipped because a kink lay within the finite-difference stencil. */
  skippedAtKinks: number;
}

/** Activations whose derivative (or, for elu, second derivative) jumps at 0. */
const KINKED: readonly ActivationName[] = ['relu', 'leaky_relu', 'elu'];

export function gradientCheck(
  net: Network,
  X: Matrix,
  Y: Matrix,
  reg: Regularization = NO_REGULARIZATION,
  options: GradientCheckOptions = {},
): LayerGradientCheck[] {
  const fourPoints = (options.points ?? 4) === 4;
  const h = options.step ?? (fourPoints ? 1e-3 : 1e-5);
  const floor = options.floor ?? 1e-4;

  const analytic = lossAndGradients(net, X, Y, reg).grads.map((g) => ({
    dW: g.dW.data.slice(),
    db: g.db.slice(),
  }));

  // Inputs of kinked activation layers: their sign pattern must not change within the stencil.
  const kinkedInputs = net.spec.layers.flatMap((s, i) =>
    s.type === 'activation' && KINKED.includes(s.fn) ? [i] : [],
  );
  const signPattern = (): Uint8Array => {
    const cache = forward(net, X);
    const parts = kinkedInputs.map((i) => cache.layers[i].input.data);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) for (let j = 0; j < p.length; j++) out[o++] = p[j] > 0 ? 1 : 0;
    return out;
  };
  const baseline = signPattern();
  const samePattern = (other: Uint8Array) => other.every((v, j) => v === baseline[j]);

  const objective = (): number => dataLoss(net, forward(net, X), Y) + penalty(net.params, reg);

  return net.params.map((p, k) => {
    const result: LayerGradientCheck = {
      layerId: p.id,
      maxRelativeError: 0,
      weightRelativeError: 0,
      biasRelativeError: 0,
      maxAbsoluteError: 0,
      normRelativeError: 0,
      worst: { param: 'W', row: 0, col: 0, analytic: 0, numerical: 0 },
      entries: 0,
      totalEntries: p.W.data.length + p.b.length,
      skippedAtKinks: 0,
    };
    let diffSquares = 0,
      analyticSquares = 0,
      numericalSquares = 0;
    const compare = (
      values: Float64Array,
      grads: Float64Array,
      param: 'W' | 'b',
      cols: number,
      hasL1Kink: boolean,
    ) => {
      const indices = entriesToCheck(values.length, options.maxEntriesPerParam);
      for (let n = 0; n < indices.length; n++) {
        const i = indices[n];
        const original = values[i];
        let kink = false;
        const at = (offset: number) => {
          values[i] = original + offset;
          const c = objective();
          if (kinkedInputs.length > 0 && !samePattern(signPattern())) kink = true;
          return c;
        };
        const difference = (step: number) => {
          kink = hasL1Kink && Math.abs(original) <= (fourPoints ? 2 * step : step);
          const near = at(step) - at(-step);
          return fourPoints
            ? (8 * near - (at(2 * step) - at(-2 * step))) / (12 * step)
            : near / (2 * step);
        };
        let numerical = difference(h);
        // A kink inside the stencil: try once more with a ten times smaller step.
        if (kink) numerical = difference(h / 10);
        values[i] = original;
        if (kink) {
          result.skippedAtKinks++;
          continue;
        }
        const a = grads[i];
        const absolute = Math.abs(a - numerical);
        const relative = absolute / Math.max(Math.abs(a), Math.abs(numerical), floor);
        result.entries++;
        diffSquares += absolute * absolute;
        analyticSquares += a * a;
        numericalSquares += numerical * numerical;
        if (absolute > result.maxAbsoluteError) result.maxAbsoluteError = absolute;
        if (param === 'W')
          result.weightRelativeError = Math.max(result.weightRelativeError, relative);
        else result.biasRelativeError = Math.max(result.biasRelativeError, relative);
        if (relative > result.maxRelativeError || result.entries === 1) {
          result.maxRelativeError = Math.max(result.maxRelativeError, relative);
          result.worst = {
            param,
            row: Math.floor(i / cols),
            col: i % cols,
            analytic: a,
            numerical,
          };
        }
      }
    };
    compare(p.W.data, analytic[k].dW, 'W', p.W.cols, reg.l1 !== 0);
    compare(p.b, analytic[k].db, 'b', p.b.length, false);
    const scale = Math.sqrt(Math.max(analyticSquares, numericalSquares));
    result.normRelativeError =
      scale === 0 ? Math.sqrt(diffSquares) : Math.sqrt(diffSquares) / scale;
    return result;
  });
}
