/** The benchmark report as markdown tables (what `npm run bench` prints without --json). */
import type { BenchmarkReport } from './benchmark';

function number(value: number, digits = 0): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function ratio(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(2)}x`;
}

export function formatReport(report: BenchmarkReport): string {
  const { machine, settings } = report;
  const lines: string[] = [
    `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node} (${machine.platform}), ` +
      `load average ${machine.loadAverage.toFixed(1)} at the start`,
    `Timing: median of ${settings.rounds} rounds of ${settings.seconds} s per implementation, ` +
      `after ${settings.warmupSeconds} s warm-up; ratios are medians of per-round ratios. ` +
      'Momentum SGD, ReLU hidden layers, softmax + cross-entropy, the same data and initial weights. ' +
      "The engine's rows leave out the steps that end an epoch (they also evaluate).",
    '',
    '| network (batch) | implementation | samples/s | GFLOP/s | vs tfjs-cpu | vs tfjs-wasm | vs torch f32 | vs torch f64 |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of report.results)
    lines.push(
      `| ${r.network} (${r.batchSize}) | ${r.label} | ${number(r.samplesPerSecond)} | ` +
        `${number(r.gflops, 2)} | ${ratio(r.vsTfjsCpu)} | ${ratio(r.vsTfjsWasm)} | ` +
        `${ratio(r.vsTorchFloat32)} | ${ratio(r.vsTorchFloat64)} |`,
    );
  if (report.notes.length > 0) lines.push('', ...report.notes);
  if (report.kernels.length > 0) {
    lines.push(
      '',
      'Matrix products alone (all products of one training step, median of the same rounds):',
      '',
      '| network | kernel | GFLOP/s |',
      '|---|---|---:|',
    );
    for (const k of report.kernels)
      lines.push(`| ${k.network} | ${k.kernel} | ${number(k.gflops, 2)} |`);
  }
  return lines.join('\n');
}
