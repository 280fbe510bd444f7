/**
 * `npm run bench` and `npm run cli -- bench`: training samples per second of our engine (float64
 * and float32) beside TensorFlow.js (cpu backend, and wasm backend on one thread) and, when
 * Debian's python3-torch is installed, PyTorch CPU on one thread (float32 and float64, in a child
 * process: torch-runner.ts), on the same networks, data, initial weights and optimizer.
 *
 * Each (network, implementation) pair is warmed up, then timed for `seconds` in each of `rounds`
 * rounds; rounds visit the implementations in turn, so a busy spell on the machine is spread over
 * all of them, and medians over rounds are reported.
 */
import os from 'node:os';
import {
  blockedKernel,
  defaultKernel,
  float32TilesFused,
  referenceKernel,
  wasmFloat32Kernel,
  wasmSimdKernel,
} from '../src/lib/engine/index';
import { engineRunner } from './engine-runner';
import { benchmarkKernels, type KernelResult } from './kernels';
import {
  BENCH_NETWORKS,
  benchData,
  flopsPerSample,
  type BenchData,
  type BenchNetwork,
} from './networks';
import type { Runner } from './runner';
import { median } from './statistics';
import { tfjsRunner } from './tfjs-runner';
import { torchAvailable, torchRunner } from './torch-runner';

export const IMPLEMENTATIONS = [
  'engine',
  'engine-float32',
  'engine-js',
  'engine-reference',
  'tfjs-cpu',
  'tfjs-wasm',
  'torch-float32',
  'torch-float64',
] as const;
export type ImplementationName = (typeof IMPLEMENTATIONS)[number];

const LABELS: Record<ImplementationName, string> = {
  engine: `engine (${wasmSimdKernel ? 'WebAssembly SIMD' : 'JavaScript blocked'} kernel, float64)`,
  'engine-float32': `engine (${wasmFloat32Kernel ? `WebAssembly SIMD f32x4${float32TilesFused() ? ' fused multiply-add' : ''}` : 'no float32 kernel here:'} float32 steps)`,
  'engine-js': 'engine (JavaScript blocked kernel, float64)',
  'engine-reference': 'engine (i-k-j loop, float64)',
  'tfjs-cpu': 'tfjs cpu',
  'tfjs-wasm': 'tfjs wasm (1 thread)',
  'torch-float32': 'PyTorch CPU float32 (1 thread)',
  'torch-float64': 'PyTorch CPU float64 (1 thread)',
};

/** Implementations run when none are named: all, PyTorch only where it is installed. */
function defaultImplementations(): ImplementationName[] {
  return IMPLEMENTATIONS.filter((name) => !name.startsWith('torch-') || torchAvailable());
}

const FACTORIES: Record<
  ImplementationName,
  (network: BenchNetwork, data: BenchData) => Runner | Promise<Runner>
> = {
  engine: engineRunner(defaultKernel),
  'engine-float32': engineRunner(defaultKernel, 'float32'),
  'engine-js': engineRunner(blockedKernel),
  'engine-reference': engineRunner(referenceKernel),
  'tfjs-cpu': tfjsRunner('cpu'),
  'tfjs-wasm': tfjsRunner('wasm'),
  'torch-float32': torchRunner('float32'),
  'torch-float64': torchRunner('float64'),
};

export interface BenchmarkOptions {
  /** Network names (default: both, see BENCH_NETWORKS). */
  networks?: string[];
  implementations?: ImplementationName[];
  /** Timed seconds per (network, implementation) and round (default 0.5). */
  seconds?: number;
  /** Rounds; the median is reported (default 7). */
  rounds?: number;
  /** Untimed seconds of training before the first round (default 1). */
  warmupSeconds?: number;
  /** Also time the matrix products alone, float64 and float32 (default true). */
  kernels?: boolean;
  seed?: number;
  /** Progress messages (the command line prints them on stderr). */
  onProgress?: (message: string) => void;
}

export interface BenchmarkResult {
  network: string;
  batchSize: number;
  implementation: ImplementationName;
  label: string;
  /** Median over rounds. */
  samplesPerSecond: number;
  /** samplesPerSecond x 6 Σ in·out (forward 2, backward 4 FLOPs per weight and sample). */
  gflops: number;
  /**
   * Median over rounds of samples/s divided by tfjs-cpu's in the same round (null when tfjs-cpu
   * was not run); close to the ratio of the medians on a quiet machine, steadier on a busy one.
   */
  vsTfjsCpu: number | null;
  vsTfjsWasm: number | null;
  /** The same against PyTorch float32 and float64 (null when not run). */
  vsTorchFloat32: number | null;
  vsTorchFloat64: number | null;
  /** samples/s of every round. */
  rounds: number[];
  /** Loss of the last timed step (a sanity check that every implementation trains). */
  finalLoss: number;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  /** 1-minute load average when the benchmark started (other work competing for the cores). */
  loadAverage: number;
}

export interface BenchmarkReport {
  machine: MachineInfo;
  settings: { seconds: number; rounds: number; warmupSeconds: number; seed: number };
  results: BenchmarkResult[];
  kernels: KernelResult[];
  /** The runners' notes, each once (e.g. PyTorch's BLAS). */
  notes: string[];
}

/** Full batches of random data per network (the engine's epoch-end evaluation is not timed). */
const DATA_BATCHES = 16;

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: os.loadavg()[0],
  };
}

/** Train for about `seconds`; samples per second over the counted steps, and the last loss. */
function timeSteps(
  runner: Runner,
  batchSize: number,
  seconds: number,
): { rate: number; loss: number } {
  let samples = 0,
    time = 0,
    loss = NaN;
  const limit = seconds * 1000;
  const start = performance.now();
  while (performance.now() - start < limit) {
    const t0 = performance.now();
    const step = runner.step();
    const dt = performance.now() - t0;
    loss = step.loss;
    if (step.counted) {
      samples += batchSize;
      time += dt;
    }
  }
  return { rate: samples / (time / 1000), loss };
}

/** timeSteps, or the runner's own timing when it has one (PyTorch). */
async function timeRunner(
  runner: Runner,
  batchSize: number,
  seconds: number,
): Promise<{ rate: number; loss: number }> {
  return runner.timed ? runner.timed(seconds) : timeSteps(runner, batchSize, seconds);
}

export async function runBenchmark(options: BenchmarkOptions = {}): Promise<BenchmarkReport> {
  const seconds = options.seconds ?? 0.5,
    rounds = options.rounds ?? 7,
    warmupSeconds = options.warmupSeconds ?? 1,
    seed = options.seed ?? 1;
  const progress = options.onProgress ?? (() => {});
  const networks = options.networks
    ? options.networks.map((name) => {
        const found = BENCH_NETWORKS.find((n) => n.name === name);
        if (!found)
          throw new Error(
            `Unknown network "${name}"; choose from ${BENCH_NETWORKS.map((n) => n.name).join(', ')}.`,
          );
        return found;
      })
    : [...BENCH_NETWORKS];
  const implementations = options.implementations ?? defaultImplementations();
  for (const name of implementations)
    if (!IMPLEMENTATIONS.includes(name))
      throw new Error(
        `Unknown implementation "${name}"; choose from ${IMPLEMENTATIONS.join(', ')}.`,
      );
  if (!(seconds > 0) || !(Number.isInteger(rounds) && rounds > 0) || !(warmupSeconds >= 0))
    throw new Error('Seconds must be above 0, rounds a whole number above 0, warm-up 0 or more.');

  const machine = machineInfo();
  const results: BenchmarkResult[] = [];
  const notes: string[] = [];
  for (const network of networks) {
    const data = benchData(network, DATA_BATCHES, seed);
    const runners: Runner[] = [];
    for (const name of implementations) {
      progress(`${network.name}: warming up ${LABELS[name]}`);
      const runner = await FACTORIES[name](network, data);
      await runner.activate();
      await timeRunner(runner, network.batchSize, warmupSeconds);
      runners.push(runner);
      if (runner.note && !notes.includes(runner.note)) notes.push(runner.note);
    }
    const rates: number[][] = implementations.map(() => []);
    const losses: number[] = implementations.map(() => NaN);
    for (let r = 0; r < rounds; r++)
      for (let k = 0; k < runners.length; k++) {
        progress(`${network.name}: round ${r + 1}/${rounds}, ${LABELS[implementations[k]]}`);
        await runners[k].activate();
        const { rate, loss } = await timeRunner(runners[k], network.batchSize, seconds);
        rates[k].push(rate);
        losses[k] = loss;
      }
    runners.forEach((runner) => runner.dispose());

    const perSample = flopsPerSample(network.sizes);
    const medians = rates.map(median);
    // Median over rounds of rate / that round's rate of `baseline`: measurements of one round
    // run back to back, so a busy spell on the machine tends to hit both sides of the ratio.
    const ratioTo = (k: number, baseline: ImplementationName): number | null => {
      const j = implementations.indexOf(baseline);
      return j < 0 ? null : median(rates[k].map((rate, r) => rate / rates[j][r]));
    };
    implementations.forEach((name, k) =>
      results.push({
        network: network.name,
        batchSize: network.batchSize,
        implementation: name,
        label: LABELS[name],
        samplesPerSecond: medians[k],
        gflops: (medians[k] * perSample) / 1e9,
        vsTfjsCpu: ratioTo(k, 'tfjs-cpu'),
        vsTfjsWasm: ratioTo(k, 'tfjs-wasm'),
        vsTorchFloat32: ratioTo(k, 'torch-float32'),
        vsTorchFloat64: ratioTo(k, 'torch-float64'),
        rounds: rates[k],
        finalLoss: losses[k],
      }),
    );
  }

  const kernels: KernelResult[] = [];
  if (options.kernels ?? true)
    for (const network of networks) {
      progress(`${network.name}: timing the matrix products alone`);
      kernels.push(...benchmarkKernels(network, seconds / 2, rounds));
    }
  return {
    machine,
    settings: { seconds, rounds, warmupSeconds, seed },
    results,
    kernels,
    notes,
  };
}
