/**
 * The fixed sample of the training split that the trainer evaluates at every epoch's end: at most
 * EVALUATION_SAMPLE_ROWS rows, chosen once per trainer, so the per-epoch cost stays bounded on
 * large datasets (60,000 rows would otherwise cost a third of an epoch's work again).
 *
 * A split that fits is used whole, in its stored order (small datasets get exactly the numbers
 * a full evaluation gives). A larger one is sampled without replacement from a generator seeded
 * from the settings' seed but separate from the trainer's, so the shuffles and initial weights
 * are the same whether or not a sample is drawn.
 */
import { featureMatrix, gatherFeatureRows, type FeatureMatrix } from './feature-rows';
import { gatherRows, zeros, type Matrix } from './matrix';
import { createRng } from './rng';

/** At most this many training rows are evaluated at each epoch's end. */
export const EVALUATION_SAMPLE_ROWS = 2000;

/** Mixed into the seed so the sample's generator never repeats the trainer's sequence. */
const SAMPLE_SEED_SALT = 0x5a17e5;

export interface EvaluationSample {
  X: Matrix;
  Y: Matrix;
  /** Whether X, Y are a sample (false: the whole split, the same matrices). */
  sampled: boolean;
}

/** The whole split when it has at most `limit` rows, otherwise `limit` rows drawn from `seed`. */
export function evaluationSample(
  X: FeatureMatrix,
  Y: Matrix,
  seed: number,
  limit: number = EVALUATION_SAMPLE_ROWS,
): EvaluationSample {
  // Small byte features are converted once (at most `limit` rows).
  if (X.rows <= limit) return { X: featureMatrix(X), Y, sampled: false };
  const order = new Uint32Array(X.rows);
  for (let i = 0; i < order.length; i++) order[i] = i;
  createRng((seed ^ SAMPLE_SEED_SALT) >>> 0).shuffle(order);
  // Sorted, so the sample reads the split front to back (and prints in a stable order).
  const rows = order.subarray(0, limit).sort();
  return {
    X: gatherFeatureRows(X, rows, zeros(limit, X.cols)),
    Y: gatherRows(Y, rows, zeros(limit, Y.cols)),
    sampled: true,
  };
}
