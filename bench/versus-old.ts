/**
 * `npx tsx bench/versus-old.ts --old PATH [--rows N] [--seconds S] [--rounds N] [--network NAME]
 *   [--clock wall|cpu]`:
 * today's Trainer (float64 and float32) side by side with an older engine checked out at PATH
 * (a git worktree, e.g. `git worktree add ../old-engine c22165a`), both imported into this one
 * process and trained on the same network, data and initial weights, in interleaved rounds.
 *
 * Two measures per implementation and round: samples/s over the steps that do not end an epoch
 * (what `npm run bench` reports) and over all steps, epoch-end evaluation included (end to end).
 * Each ratio is the median of the per-round ratios new / old, so a load that changes between
 * rounds moves both sides of a ratio alike. `--clock cpu` times steps in this process's CPU
 * time (process.cpuUsage) instead of wall time: on a machine shared by many jobs, waiting for a
 * core then counts for nobody (cache contention still does). Issue 11's targets are stated
 * against c22165a.
 */
// First, before anything reaches the engine: relaxed SIMD on in Node 20 (see the module).
import '../src/cli/relaxed-simd';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import { DEFAULT_TRAINING, SETTING_LIMITS, Trainer, zeros } from '../src/lib/engine/index';
import type { Matrix, Precision, WeightsJson } from '../src/lib/engine/index';
import { BENCH_NETWORKS, LEARNING_RATE, MOMENTUM, benchData, benchSpec } from './networks';
import { median } from './statistics';

/** The part of the old engine's trainer this script uses (its createTrainer of c22165a). */
interface OldTrainer {
  step(): { batchLoss: number; epochEnded: boolean; diverged?: string };
}
interface OldEngine {
  createTrainer(options: {
    spec: unknown;
    data: { xTrain: Matrix; yTrain: Matrix; xTest: Matrix; yTest: Matrix; task: string };
    settings: Record<string, unknown>;
    initialWeights?: WeightsJson;
  }): OldTrainer;
}

interface Stepper {
  name: string;
  /** One step: the seconds it took and whether it ended an epoch. */
  step(): { seconds: number; endsEpoch: boolean; loss: number };
}

interface Options {
  old: string;
  rows: number;
  seconds: number;
  rounds: number;
  network: string;
  clock: 'wall' | 'cpu';
}

function parseArgs(args: string[]): Options {
  const options: Options = {
    old: '',
    rows: 1024,
    seconds: 2,
    rounds: 7,
    network: '784-256-128-10',
    clock: 'wall',
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i],
      value = args[++i];
    if (value === undefined) throw new Error(`${flag} needs a value.`);
    if (flag === '--old') options.old = value;
    else if (flag === '--rows') options.rows = Number(value);
    else if (flag === '--seconds') options.seconds = Number(value);
    else if (flag === '--rounds') options.rounds = Number(value);
    else if (flag === '--network') options.network = value;
    else if (flag === '--clock' && (value === 'wall' || value === 'cpu')) options.clock = value;
    else throw new Error(`Unknown option "${flag}".`);
  }
  if (options.old === '') throw new Error('--old PATH (a checkout of the older engine) is needed.');
  return options;
}

const wallSeconds = () => performance.now() / 1000;
const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
let now = wallSeconds;

function timed<T>(work: () => T): { seconds: number; value: T } {
  const start = now();
  const value = work();
  return { seconds: now() - start, value };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const network = BENCH_NETWORKS.find((n) => n.name === options.network);
  if (!network) throw new Error(`Unknown network "${options.network}".`);
  if (options.clock === 'cpu') now = cpuSeconds;
  const oldIndex = resolve(options.old, 'src/lib/engine/index.ts');
  const old = (await import(pathToFileURL(oldIndex).href)) as OldEngine;

  const batches = Math.max(2, Math.round(options.rows / network.batchSize));
  const { X, Y, initialWeights } = benchData(network, batches, 7);
  const spec = benchSpec(network.sizes);
  const data = {
    xTrain: X,
    yTrain: Y,
    xTest: zeros(0, X.cols),
    yTest: zeros(0, Y.cols),
    task: 'classification' as const,
  };
  const settings = {
    ...DEFAULT_TRAINING,
    optimizer: { name: 'momentum' as const, learningRate: LEARNING_RATE, momentum: MOMENTUM },
    batchSize: network.batchSize,
    epochs: SETTING_LIMITS.epochs.max,
    shuffle: false,
    testFraction: 0,
  };

  const oldTrainer = old.createTrainer({ spec, data, settings, initialWeights });
  const newTrainer = (precision: Precision): Stepper => {
    const trainer = new Trainer({
      spec,
      data,
      settings: { ...settings, precision },
      initialWeights,
    });
    return {
      name: `new ${precision}`,
      step() {
        const { seconds, value } = timed(() => trainer.step());
        if (value.divergence) throw new Error(`new ${precision} diverged`);
        return { seconds, endsEpoch: value.epochEnded, loss: value.batchLoss };
      },
    };
  };
  const steppers: Stepper[] = [
    {
      name: 'old float64',
      step() {
        const { seconds, value } = timed(() => oldTrainer.step());
        if (value.diverged) throw new Error('old diverged');
        return { seconds, endsEpoch: value.epochEnded, loss: value.batchLoss };
      },
    },
    newTrainer('float64'),
    newTrainer('float32'),
  ];

  // Warm-up: a whole epoch each (so the evaluation's code is compiled too). The old and the new
  // float64 engine must give the same losses bit for bit (same kernel sums, same updates).
  const losses = steppers.map((s) => Array.from({ length: batches + 1 }, () => s.step().loss));
  if (losses[0].some((loss, i) => !Object.is(loss, losses[1][i])))
    throw new Error(`old and new float64 losses differ: ${losses[0][1]} vs ${losses[1][1]}`);

  /** rates[implementation][round] */
  const perStep: number[][] = steppers.map(() => []);
  const endToEnd: number[][] = steppers.map(() => []);
  const loads: number[] = [loadavg()[0]];
  for (let round = 0; round < options.rounds; round++) {
    steppers.forEach((s, i) => {
      let all = 0,
        counted = 0,
        countedSteps = 0,
        steps = 0;
      // Whole epochs, so every round has the same share of epoch-end steps.
      while (all < options.seconds || steps % batches !== 0) {
        const { seconds, endsEpoch } = s.step();
        all += seconds;
        steps += 1;
        if (!endsEpoch) {
          counted += seconds;
          countedSteps += 1;
        }
      }
      perStep[i].push((countedSteps * network.batchSize) / counted);
      endToEnd[i].push((steps * network.batchSize) / all);
    });
    loads.push(loadavg()[0]);
    process.stderr.write(`round ${round + 1}/${options.rounds}\n`);
  }

  const ratio = (rates: number[][], i: number) =>
    median(rates[i].map((r, round) => r / rates[0][round]));
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const lines = [
    `${network.name}, batch ${network.batchSize}, ${batches * network.batchSize} training rows ` +
      `(${batches} batches per epoch), ${options.rounds} rounds of >= ${options.seconds} s ` +
      `(${options.clock === 'cpu' ? 'CPU time' : 'wall time'}) each; ` +
      `load average (1 min) ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}`,
    '',
    '| implementation | samples/s per step | vs old | samples/s end to end | vs old |',
    '|---|---:|---:|---:|---:|',
    ...steppers.map(
      (s, i) =>
        `| ${s.name} | ${fmt(median(perStep[i]))} | ${ratio(perStep, i).toFixed(2)}x | ` +
        `${fmt(median(endToEnd[i]))} | ${ratio(endToEnd, i).toFixed(2)}x |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`versus-old: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
