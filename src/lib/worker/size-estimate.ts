/**
 * Before the worker builds a network: how much memory training it needs and roughly how long an
 * epoch takes, and the refusal, in words, of a network that cannot run here (12 × Dense 4096 would
 * otherwise allocate for half a minute and then fail or freeze the tab).
 */
import type { OptimizerName } from '../engine/settings';
import { layerOutputSize, type LayerSpec } from '../engine/spec';

/**
 * The most memory (bytes) one network may need. A browser gives a worker's JavaScript heap about
 * 2–4 GB on a 64-bit desktop (less on phones), shared with the data and the garbage a step
 * leaves; past ~1 GB of Float64Arrays allocation starts to fail or the machine swaps, so 1 GB
 * leaves room for the page, the data and a second network while an edit is being applied.
 */
export const MEMORY_LIMIT_BYTES = 1024 ** 3;

/** State arrays per weight that each optimizer keeps (optimizers/*.ts: velocities, averages). */
const OPTIMIZER_SLOTS: Record<OptimizerName, number> = {
  sgd: 0,
  momentum: 1,
  nesterov: 1,
  adagrad: 1,
  rmsprop: 1,
  adam: 2,
};

/**
 * Copies of the weights the trainer keeps besides the weights themselves: the gradients, the
 * weights before the last step (update ratios), the best checkpoint, the divergence fallback and
 * the starting weights (trainer.ts, weights-snapshot.ts).
 */
const TRAINER_COPIES = 5;

export interface SizeEstimate {
  /** Weights and biases of all dense layers. */
  parameters: number;
  /** Weights, gradients, checkpoints and optimizer state (bytes, 8 per float64). */
  parameterBytes: number;
  /** Layer outputs and their gradients for a batch, and the outputs for evaluating both splits. */
  activationBytes: number;
  totalBytes: number;
  /** Multiply-adds of one epoch: forward and backward on every training row, then evaluation. */
  multiplyAddsPerEpoch: number;
}

export interface SizeInputs {
  optimizer: OptimizerName;
  batchSize: number;
  trainRows: number;
  testRows: number;
}

export function estimateSize(spec: LayerSpec, inputs: SizeInputs): SizeEstimate {
  let parameters = 0;
  let widths = 0;
  for (const layer of spec.layers) {
    if (layer.type === 'dense') parameters += layer.inputSize * layer.units + layer.units;
    widths += layerOutputSize(layer);
  }
  const copies = 1 + TRAINER_COPIES + OPTIMIZER_SLOTS[inputs.optimizer];
  const parameterBytes = 8 * parameters * copies;
  // A training batch keeps outputs and gradients; evaluation forwards each split whole.
  const batch = Math.min(inputs.batchSize, Math.max(1, inputs.trainRows));
  const activationBytes = 8 * widths * (2 * batch + inputs.trainRows + inputs.testRows);
  // Forward ≈ 1 multiply-add per weight per row, backward ≈ 2; evaluation forwards both splits.
  const multiplyAddsPerEpoch =
    parameters * (3 * inputs.trainRows + inputs.trainRows + inputs.testRows);
  return {
    parameters,
    parameterBytes,
    activationBytes,
    totalBytes: parameterBytes + activationBytes,
    multiplyAddsPerEpoch,
  };
}

/** "1.6 GB", "340 MB", "12 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${Math.round(bytes / 1024 ** 2)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** "about 3 s", "about 4 min", "about 2.5 h". */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.round(seconds)} s`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

/** "12 × Dense 4096": the hidden dense layers, grouped when they share a width. */
export function describeDenseLayers(spec: LayerSpec): string {
  const units = spec.layers.flatMap((l) => (l.type === 'dense' ? [l.units] : []));
  const widest = Math.max(0, ...units);
  const count = units.filter((u) => u === widest).length;
  return count > 1 ? `${count} × Dense ${widest}` : `Dense ${widest}`;
}

/**
 * Why this network cannot be trained here, in words, or null when it fits. `multiplyAddsPerSecond`
 * is this machine's measured speed (measureSpeed), for the time per epoch.
 */
export function sizeRefusal(
  spec: LayerSpec,
  estimate: SizeEstimate,
  multiplyAddsPerSecond: number,
): string | null {
  if (estimate.totalBytes <= MEMORY_LIMIT_BYTES) return null;
  const perEpoch = estimate.multiplyAddsPerEpoch / Math.max(1, multiplyAddsPerSecond);
  return (
    `This network is too large to train here: ${describeDenseLayers(spec)} has ` +
    `${estimate.parameters.toLocaleString('en-US')} weights and needs ~${formatBytes(estimate.parameterBytes)} ` +
    `of weights, gradients and optimizer state plus ~${formatBytes(estimate.activationBytes)} of activations; ` +
    `the limit here is ${formatBytes(MEMORY_LIMIT_BYTES)} (what a browser tab can count on). ` +
    `One epoch would take ${formatDuration(perEpoch)}. Use fewer or narrower Dense layers.`
  );
}

let measured: number | null = null;

/**
 * Multiply-adds per second of a plain loop on this machine, measured once (about a millisecond):
 * a rough speed for the time estimate, measured rather than assumed.
 */
export function measureSpeed(now: () => number = () => performance.now()): number {
  if (measured !== null) return measured;
  const n = 1 << 16;
  const a = new Float64Array(n).fill(1.0001);
  const b = new Float64Array(n).fill(0.9999);
  let sum = 0;
  let rounds = 0;
  const t0 = now();
  let elapsed = 0;
  while (elapsed < 2) {
    for (let i = 0; i < n; i++) sum += a[i] * b[i];
    rounds++;
    elapsed = now() - t0;
  }
  // `sum` is used so the loop cannot be optimised away.
  measured = sum > 0 ? (rounds * n * 1000) / Math.max(elapsed, 1e-3) : 1e9;
  return measured;
}
