import { describe, expect, it } from 'vitest';
import { runBenchmark } from '../../../bench/benchmark';
import { engineRunner } from '../../../bench/engine-runner';
import { formatReport } from '../../../bench/format';
import { BENCH_NETWORKS, benchData, flopsPerSample } from '../../../bench/networks';
import { tfjsRunner } from '../../../bench/tfjs-runner';
import { referenceKernel } from '../../../src/lib/engine/index';

// No timing is asserted here: only that every implementation trains the same network on the
// same data, and that the report is wired together correctly.

describe('benchmark implementations train the same thing', () => {
  const network = BENCH_NETWORKS[0];
  const data = benchData(network, 4, 7);

  it('our engine and tfjs (cpu and wasm) see the same losses step after step', async () => {
    const engine = engineRunner(referenceKernel)(network, data);
    engine.activate();
    const ours = Array.from({ length: 6 }, () => engine.step().loss);
    for (const backend of ['cpu', 'wasm'] as const) {
      const tf = await tfjsRunner(backend)(network, data);
      await tf.activate();
      const theirs = Array.from({ length: 6 }, () => tf.step().loss);
      tf.dispose();
      // float32 (tfjs) against float64 (ours): equal to about 6 significant digits.
      theirs.forEach((loss, i) => expect(loss).toBeCloseTo(ours[i], 4));
    }
    // The losses are real: cross-entropy of 10 classes starts near log 10 and moves.
    expect(ours[0]).toBeGreaterThan(1);
    expect(new Set(ours).size).toBe(ours.length);
  }, 30_000);

  it('flopsPerSample counts 6 per weight: forward 2, backward 4', () => {
    expect(flopsPerSample([64, 128, 64, 10])).toBe(6 * (64 * 128 + 128 * 64 + 64 * 10));
  });
});

describe('runBenchmark', () => {
  it('reports samples/s, GFLOP/s and ratios for the implementations asked for', async () => {
    const report = await runBenchmark({
      networks: ['64-128-64-10'],
      implementations: ['engine', 'engine-reference'],
      seconds: 0.05,
      rounds: 1,
      warmupSeconds: 0,
      kernels: false,
    });
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.results.map((r) => r.implementation)).toEqual(['engine', 'engine-reference']);
    for (const r of report.results) {
      expect(r.samplesPerSecond).toBeGreaterThan(0);
      expect(r.gflops).toBeCloseTo(
        (r.samplesPerSecond * flopsPerSample([64, 128, 64, 10])) / 1e9,
        9,
      );
      expect(r.vsTfjsCpu).toBeNull();
      expect(Number.isFinite(r.finalLoss)).toBe(true);
    }
    const table = formatReport(report);
    expect(table).toContain('| network (batch) | implementation | samples/s | GFLOP/s |');
    expect(
      table.split('\n').filter((line) => line.startsWith('| 64-128-64-10 (32) |')),
    ).toHaveLength(2);
  });

  it('names what it does not know', async () => {
    await expect(runBenchmark({ networks: ['1-2-3'] })).rejects.toThrow(/Unknown network "1-2-3"/);
    await expect(runBenchmark({ implementations: ['torch' as 'engine'] })).rejects.toThrow(
      /Unknown implementation "torch"/,
    );
  });
});
