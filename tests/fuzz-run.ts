/**
 * `npm run fuzz -- --runs N [--seed S] [--reader NAME]`: the fuzz properties of the unit tests
 * (tests/unit/fuzz/properties.ts), N cases per reader, for long runs outside `npm test`.
 * Prints each reader's count, time and seed (to replay a failure); exit code 1 on a failure.
 */
import fc from 'fast-check';
import { READER_PROPERTIES } from './unit/fuzz/properties';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

const runs = Number(flag('runs') ?? 10_000);
const seed = Number(flag('seed') ?? Date.now() % 2 ** 31);
const only = flag('reader');
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a whole number of at least 1, got ${flag('runs')}`);
  process.exit(1);
}

let failed = false;
for (const { name, property } of READER_PROPERTIES) {
  if (only && !name.toLowerCase().includes(only.toLowerCase())) continue;
  const start = performance.now();
  const result = fc.check(property(), { numRuns: runs, seed, endOnFailure: true });
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  if (result.failed) {
    failed = true;
    const example = JSON.stringify(result.counterexample?.[0]) ?? '';
    console.log(`${name}: FAILED after ${result.numRuns} cases (seed ${seed}, ${seconds} s)`);
    console.log(`  ${String(result.errorInstance).slice(0, 2000)}`);
    console.log(`  counterexample (first 2000 characters): ${example.slice(0, 2000)}`);
  } else console.log(`${name}: ${result.numRuns} cases, no failure (seed ${seed}, ${seconds} s)`);
}
process.exit(failed ? 1 : 0);
