/**
 * "Check gradients" in the worker: backprop against finite differences on the trainer's last
 * mini-batch (or the first batchSize training rows before any step), as numbers only; the page
 * writes the verdict (components/gradients/gradient-check-verdict.ts).
 */
import { gradientCheck } from '../engine/gradient-check';
import { gatherRows, zeros, type Matrix } from '../engine/matrix';
import type { PreparedData } from '../data/types';
import { GRADIENT_CHECK_SAMPLE, type GradientCheckReport } from './api';
import type { Training } from './build';

export function gradientCheckReport({ prepared, trainer }: Training): GradientCheckReport {
  const settings = trainer.settings;
  const batch = trainer.lastBatch() ?? firstRows(prepared, settings.batchSize);
  const net = trainer.network;
  // The check recomputes gradients into the network's buffers; keep the last step's.
  const saved = net.gradientArrays.map((a) => a.slice());
  let checks;
  try {
    checks = gradientCheck(
      net,
      batch.X,
      batch.Y,
      { l1: settings.l1, l2: settings.l2 },
      { maxEntriesPerParam: GRADIENT_CHECK_SAMPLE },
    );
  } finally {
    net.gradientArrays.forEach((a, k) => a.set(saved[k]));
  }
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

/** The first `batchSize` training rows (the batch to check before any step). */
function firstRows(prepared: PreparedData, batchSize: number): { X: Matrix; Y: Matrix } {
  const n = Math.min(batchSize, prepared.xTrain.rows);
  const rows = Uint32Array.from({ length: n }, (_, i) => i);
  const X = zeros(n, prepared.xTrain.cols);
  const Y = zeros(n, prepared.yTrain.cols);
  gatherRows(prepared.xTrain, rows, X);
  gatherRows(prepared.yTrain, rows, Y);
  return { X, Y };
}
