/**
 * "Check gradients" in the worker: backprop against finite differences on the trainer's last
 * mini-batch (or the first batchSize training rows before any step), as numbers only; the page
 * writes the verdict (components/gradients/gradient-check-verdict.ts).
 */
import { gradientCheck } from '../engine/gradient-check';
import { gatherRows, zeros, type Matrix } from '../engine/matrix';
import { gatherFeatureRows } from '../engine/feature-rows';
import type { PreparedData } from '../data/types';
import type { Network } from '../engine/network';
import { GRADIENT_CHECK_SAMPLE, type GradientCheckReport } from './api';
import type { Training } from './build';

export function gradientCheckReport(training: Training): GradientCheckReport {
  const { trainer } = training;
  const settings = trainer.settings;
  const batch = currentBatch(training);
  const net = trainer.network;
  // The check recomputes gradients into the network's buffers; keep the last step's.
  const saved = net.gradientArrays.map((a) => a.slice());
  try {
    return checkReport(net, batch, settings);
  } finally {
    net.gradientArrays.forEach((a, k) => a.set(saved[k]));
  }
}

/** Backprop of `net` against finite differences on `batch`, as the report's numbers. */
export function checkReport(
  net: Network,
  batch: { X: Matrix; Y: Matrix },
  settings: { l1: number; l2: number },
): GradientCheckReport {
  const checks = gradientCheck(
    net,
    batch.X,
    batch.Y,
    { l1: settings.l1, l2: settings.l2 },
    { maxEntriesPerParam: GRADIENT_CHECK_SAMPLE },
  );
  const layers = checks.map((c) => ({
    id: c.layerId,
    weightError: c.weightRelativeError,
    biasError: c.biasRelativeError,
    maxRelativeError: c.maxRelativeError,
    entries: c.entries,
    totalEntries: c.totalEntries,
    skippedAtKinks: c.skippedAtKinks,
  }));
  // NaN counts as the largest error.
  const maxRelativeError = layers.reduce<number | null>(
    (w, l) => (w === null || !(l.maxRelativeError <= w) ? l.maxRelativeError : w),
    null,
  );
  return { layers, maxRelativeError: maxRelativeError ?? 0, batchRows: batch.X.rows };
}

/** The trainer's last mini-batch, or the first batchSize training rows before any step. */
export function currentBatch({ prepared, trainer }: Training): { X: Matrix; Y: Matrix } {
  return trainer.lastBatch() ?? firstRows(prepared, trainer.settings.batchSize);
}

/** The first `batchSize` training rows (the batch to check before any step). */
function firstRows(prepared: PreparedData, batchSize: number): { X: Matrix; Y: Matrix } {
  const n = Math.min(batchSize, prepared.xTrain.rows);
  const rows = Uint32Array.from({ length: n }, (_, i) => i);
  const X = zeros(n, prepared.xTrain.cols);
  const Y = zeros(n, prepared.yTrain.cols);
  gatherFeatureRows(prepared.xTrain, rows, X);
  gatherRows(prepared.yTrain, rows, Y);
  return { X, Y };
}
