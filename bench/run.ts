/**
 * `npm run bench [-- --json] [--seconds S] [--rounds N] [--warmup S] [--network NAME]...
 *   [--implementation NAME]... [--no-kernels]`:
 * a thin entry over runBenchmark (benchmark.ts). Progress goes to stderr, the result to stdout.
 */
// First, before anything reaches the engine: relaxed SIMD on in Node 20 (see the module).
import '../src/cli/relaxed-simd';
import { runBenchmark, type BenchmarkOptions, type ImplementationName } from './benchmark';
import { formatReport } from './format';

function parseArgs(args: string[]): { json: boolean; options: BenchmarkOptions } {
  const options: BenchmarkOptions = {};
  let json = false;
  const value = (i: number, flag: string): string => {
    const v = args[i + 1];
    if (v === undefined) throw new Error(`${flag} needs a value.`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') json = true;
    else if (arg === '--no-kernels') options.kernels = false;
    else if (arg === '--seconds') options.seconds = Number(value(i++, arg));
    else if (arg === '--rounds') options.rounds = Number(value(i++, arg));
    else if (arg === '--warmup') options.warmupSeconds = Number(value(i++, arg));
    else if (arg === '--network') (options.networks ??= []).push(value(i++, arg));
    else if (arg === '--implementation')
      (options.implementations ??= []).push(value(i++, arg) as ImplementationName);
    else throw new Error(`Unknown option "${arg}".`);
  }
  return { json, options };
}

try {
  const { json, options } = parseArgs(process.argv.slice(2));
  const report = await runBenchmark({
    ...options,
    onProgress: (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
