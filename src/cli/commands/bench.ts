/**
 * `bench`: the engine against TensorFlow.js (DESIGN.md §6). Runs bench/run.ts in a child process
 * (a benchmark wants a process of its own, undisturbed by this one's work) and passes every flag
 * on; its output comes through unchanged.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from '../command';
import { CliError } from '../errors';
import type { CliIo } from '../io';

export const BENCH_SCRIPT = fileURLToPath(new URL('../../../bench/run.ts', import.meta.url));

function run(_flags: unknown, io: CliIo, rawArgs: readonly string[]): Promise<number> {
  if (!existsSync(BENCH_SCRIPT))
    throw new CliError(`The benchmark is not in this checkout (${BENCH_SCRIPT} is missing).`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BENCH_SCRIPT, ...rawArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8').on('data', (text: string) => io.out(text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => io.err(text));
    child.on('error', (error) =>
      reject(new CliError(`Could not start the benchmark: ${error.message}`)),
    );
    child.on('close', (code) => resolve(code ?? 1));
  });
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'benchmark the engine against TensorFlow.js (same as npm run bench)',
  details:
    'Flags go to the benchmark unchanged: --json, --seconds S (timed seconds per implementation and round, default 0.5), --rounds N (default 7), --warmup S (untimed seconds first, default 1), --network NAME (repeatable), --implementation NAME (repeatable), --no-kernels. Progress goes to stderr, the report to stdout.',
  examples: ['bench --seconds 1 --rounds 3'],
  flags: [],
  passThrough: true,
  run,
};
