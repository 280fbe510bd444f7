/**
 * The PyTorch peer of the benchmark trains what the engine trains: the same losses step after
 * step (float64 to many digits, float32 to float32's). Skipped where /usr/bin/python3 has no torch.
 */
import { describe, expect, it } from 'vitest';
import { engineRunner } from '../../../bench/engine-runner';
import { BENCH_NETWORKS, benchData } from '../../../bench/networks';
import { torchAvailable, torchRunner } from '../../../bench/torch-runner';
import { referenceKernel } from '../../../src/lib/engine/index';

describe.runIf(torchAvailable())('the PyTorch peer', () => {
  const network = BENCH_NETWORKS[0];
  const data = benchData(network, 4, 7);
  const engine = engineRunner(referenceKernel)(network, data);
  const ours = Array.from({ length: 6 }, () => engine.step().loss);

  it.each([
    ['float64', 10],
    ['float32', 4],
  ] as const)(
    'in %s sees the engine losses, step after step',
    async (dtype, digits) => {
      const torch = await torchRunner(dtype)(network, data);
      try {
        // "One PyTorch thread" holds: no BLAS worker thread beside it.
        expect(torch.threads).toBe(1);
        const theirs = await torch.losses(6);
        theirs.forEach((loss, i) => expect(loss).toBeCloseTo(ours[i], digits));
        const timed = await torch.timed(0.05);
        expect(timed.rate).toBeGreaterThan(0);
        expect(Number.isFinite(timed.loss)).toBe(true);
      } finally {
        torch.dispose();
      }
    },
    60_000,
  );
});
