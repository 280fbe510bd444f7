/**
 * Σ x² over an array, quickly: the gradient and weight norms the worker's statistics read after
 * every update (‖dC/dW‖ per layer for the heat strip). Arrays in a network's WebAssembly arena
 * (kernels/wasm-arena.ts) are summed there in place, eight lanes at a time; others by a loop with
 * four running sums. Why not one running sum: each add would wait for the one before it, and on
 * a 200,000-weight layer that wait was ~5% of a float64 training step in the worker.
 *
 * The partial sums are added in another order than a one-by-one loop, so the last bits may
 * differ from it: for statistics only, never in training (whose numbers stay as they are).
 */
import { arenaOf } from './kernels/wasm-arena';

export function sumOfSquares(values: Float64Array): number {
  const n = values.length;
  const arena = arenaOf(values);
  // The module takes whole quads; what is left over is added here.
  const done = arena ? n - (n & 3) : 0;
  let sum = done > 0 ? arena!.kernels.sumSquares(values.byteOffset, done >> 2) : 0;
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    i = done;
  for (const end = n - ((n - done) & 3); i < end; i += 4) {
    const a = values[i],
      b = values[i + 1],
      c = values[i + 2],
      d = values[i + 3];
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  for (; i < n; i++) s0 += values[i] * values[i];
  sum += s0 + s1 + (s2 + s3);
  return sum;
}
