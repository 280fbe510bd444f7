/**
 * Before the worker builds a network: how much memory training it needs and roughly how long an
 * epoch takes, and the refusal, in words, of a network that cannot run here (12 × Dense 4096 would
 * otherwise allocate for half a minute and then fail or freeze the tab).
 */
import {
  BYTES_PER_NUMBER,
  denseParameters,
  describeDenseWidths,
  formatBytes,
  trainingStateBytes,
  trainingStateWords,
} from '../engine/memory-estimate';
import type { OptimizerName } from '../engine/settings';
import { layerOutputSize, type LayerSpec } from '../engine/spec';

export { formatBytes };

/**
 * The most memory (bytes) one network may need. A browser gives a worker's JavaScript heap about
 * 2–4 GB on a 64-bit desktop (less on phones), shared with the data and the garbage a step
 * leaves; past ~1 GB of Float64Arrays allocation starts to fail or the machine swaps, so 1 GB
 * leaves room for the page, the data and a second network while an edit is being applied.
 */
export const MEMORY_LIMIT_BYTES = 1024 ** 3;

/**
 * Copies of the weights the trainer keeps besides the weights, gradients and optimizer state
 * (memory-estimate.ts): the weights before the last step (update ratios), the best checkpoint,
 * the divergence fallback and the starting weights (trainer.ts, weights-snapshot.ts).
 */
const CHECKPOINT_COPIES = 4;

export interface SizeEstimate {
  /** Weights and biases of all dense layers. */
  parameters: number;
  /** Weights, gradients and optimizer state (bytes, 8 per float64): memory-estimate.ts. */
  trainingStateBytes: number;
  /** trainingStateBytes and the trainer's checkpoint copies. */
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
    if (layer.type === 'dense') parameters += denseParameters(layer.inputSize, layer.units);
    widths += layerOutputSize(layer);
  }
  const stateBytes = trainingStateBytes(parameters, inputs.optimizer);
  const parameterBytes = stateBytes + BYTES_PER_NUMBER * parameters * CHECKPOINT_COPIES;
  // A training batch keeps outputs and gradients; evaluation forwards each split whole.
  const batch = Math.min(inputs.batchSize, Math.max(1, inputs.trainRows));
  const activationBytes =
    BYTES_PER_NUMBER * widths * (2 * batch + inputs.trainRows + inputs.testRows);
  // Forward ≈ 1 multiply-add per weight per row, backward ≈ 2; evaluation forwards both splits.
  const multiplyAddsPerEpoch =
    parameters * (3 * inputs.trainRows + inputs.trainRows + inputs.testRows);
  return {
    parameters,
    trainingStateBytes: stateBytes,
    parameterBytes,
    activationBytes,
    totalBytes: parameterBytes + activationBytes,
    multiplyAddsPerEpoch,
  };
}

/** "about 3 s", "about 4 min", "about 2.5 h". */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return 'under a second';
  if (seconds < 90) return `about ${Math.round(seconds)} s`;
  if (seconds < 5400) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}

/** "12 × Dense 4096": the widest dense layers, counted when there are several. */
export function describeDenseLayers(spec: LayerSpec): string {
  return describeDenseWidths(spec.layers.flatMap((l) => (l.type === 'dense' ? [l.units] : [])));
}

/**
 * Why this network cannot be trained here, in words, or null when it fits. `multiplyAddsPerSecond`
 * is this machine's measured speed (measureSpeed), for the time per epoch.
 */
export function sizeRefusal(
  spec: LayerSpec,
  estimate: SizeEstimate,
  multiplyAddsPerSecond: number,
  optimizer: OptimizerName,
): string | null {
  if (estimate.totalBytes <= MEMORY_LIMIT_BYTES) return null;
  const perEpoch = estimate.multiplyAddsPerEpoch / Math.max(1, multiplyAddsPerSecond);
  const rest = estimate.totalBytes - estimate.trainingStateBytes;
  return (
    `This network is too large to train here: ${describeDenseLayers(spec)} needs ` +
    `~${formatBytes(estimate.trainingStateBytes)} for ${trainingStateWords(optimizer)} of its ` +
    `${estimate.parameters.toLocaleString('en-US')} weights and biases, and ~${formatBytes(rest)} ` +
    `more for checkpoints and activations; the limit here is ${formatBytes(MEMORY_LIMIT_BYTES)} ` +
    `(what a browser tab can count on). One epoch would take ${formatDuration(perEpoch)}. ` +
    `Use fewer or narrower Dense layers.`
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
