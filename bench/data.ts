/**
 * `npm run bench:data [-- --rows N] [--cols N] [--rounds N] [--only TEXT] [--json] [--browser | --browser-only] [--trace]`: the data benchmark. Writes a seeded
 * numeric CSV (default 20,000 rows × 784 features + a label, ~61 MB), then times each way of
 * reading it in its own Node process (so each peak memory is its own), in one run:
 * - today:     d3-dsv's whole table of strings, then tableToDataset (the pipeline before issue 11);
 * - d3-dsv, papaparse, udsv: each parser streaming records straight into a Float64Array;
 * - ingest:    the pipeline end to end (csvToDataset, then prepareData: split, standardize,
 *              one-hot, then the trainer's data check): as the CLI's train does it before its
 *              first step (the split made in the dataset's own buffer), and as the app's worker
 *              does it (the dataset kept, the splits row views of it, standardized on read);
 * - --browser: the file uploaded in the built app in Chromium, read and prepared in its worker
 *              (data-browser.ts): seconds, long main-thread tasks, the tab's peak memory;
 *              with --trace, what each long task was made of (a Chromium trace, ui-trace.ts).
 * --only TEXT runs only the cases whose name contains TEXT (e.g. --only ingest).
 * Each case runs --rounds times (default 3) and keeps its best time. MB/s is file megabytes
 * (10^6 bytes) per second of wall time, "MB/s CPU" per second of the process's CPU time (closer
 * to an idle machine's speed when others share it); peak RSS is the process's maximum resident
 * set (process.resourceUsage), "above text" subtracts the RSS once the file was read and garbage
 * collected.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/lib/engine/rng';
// Only the type: data-browser.ts imports vite and playwright (~250 MB), loaded only for
// --browser so the child processes' peak memory is the reader's, not theirs.
import type { BrowserIngest } from './data-browser';
import { runDataCase, DATA_CASES, type DataCaseResult } from './data-cases';

interface Args {
  rows: number;
  cols: number;
  rounds: number;
  json: boolean;
  /** Also upload the file in the built app in Chromium (data-browser.ts). */
  browser: boolean;
  /** Only the browser upload (no Node cases). */
  browserOnly: boolean;
  /** Only the cases whose name contains this. */
  only?: string;
  /** With --browser: a Chromium trace of the upload's long tasks. */
  trace: boolean;
  child?: { caseName: string; file: string };
}

function parseArgs(args: string[]): Args {
  const out: Args = {
    rows: 20_000,
    cols: 784,
    rounds: 3,
    json: false,
    browser: false,
    browserOnly: false,
    trace: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') out.json = true;
    else if (arg === '--browser') out.browser = true;
    else if (arg === '--browser-only') out.browser = out.browserOnly = true;
    else if (arg === '--trace') out.trace = true;
    else if (arg === '--rows') out.rows = Number(args[++i]);
    else if (arg === '--cols') out.cols = Number(args[++i]);
    else if (arg === '--rounds') out.rounds = Number(args[++i]);
    else if (arg === '--only') out.only = args[++i] ?? '';
    else if (arg === '--child') out.child = { caseName: args[++i], file: args[++i] };
    else throw new Error(`Unknown option "${arg}".`);
  }
  for (const [name, v] of [
    ['--rows', out.rows],
    ['--cols', out.cols],
    ['--rounds', out.rounds],
  ] as const)
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} needs a whole number >= 1.`);
  return out;
}

/** A numeric CSV like the issue's: integer cells 0-999 (~2.9 characters) and a label 0-9. */
function writeCsv(file: string, rows: number, cols: number): number {
  const rng = createRng(11);
  const header = [...Array.from({ length: cols }, (_, j) => `x${j}`), 'label'].join(',');
  const lines: string[] = [header];
  for (let i = 0; i < rows; i++) {
    const cells: number[] = [];
    for (let j = 0; j < cols; j++) cells.push(Math.floor(rng.next() * 1000));
    cells.push(Math.floor(rng.next() * 10));
    lines.push(cells.join(','));
  }
  const text = lines.join('\n') + '\n';
  writeFileSync(file, text);
  return Buffer.byteLength(text);
}

function runChild(caseName: string, file: string, rounds: number): DataCaseResult {
  const script = fileURLToPath(import.meta.url);
  const run = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      script,
      '--rounds',
      String(rounds),
      '--child',
      caseName,
      file,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (run.status !== 0) throw new Error(`${caseName} failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as DataCaseResult;
}

function formatTable(results: DataCaseResult[], megabytes: number, matrixMB: number): string {
  const head =
    '| reader | seconds | MB/s | CPU s | MB/s CPU | peak RSS (MB) | above text (MB) | checksum |';
  const rule = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |';
  const rows = results.map(
    (r) =>
      `| ${r.caseName} | ${r.seconds.toFixed(2)} | ${(megabytes / r.seconds).toFixed(1)} | ${r.cpuSeconds.toFixed(2)} | ${(megabytes / r.cpuSeconds).toFixed(1)} | ${r.peakRssMB.toFixed(0)} | ${r.aboveTextMB.toFixed(0)} | ${r.checksum} |`,
  );
  return [
    `File: ${megabytes.toFixed(1)} MB; the float64 matrix is ${matrixMB.toFixed(0)} MB, so the ingest memory target is ${(2 * matrixMB + 150).toFixed(0)} MB.`,
    '',
    head,
    rule,
    ...rows,
  ].join('\n');
}

function formatBrowser(b: BrowserIngest, megabytes: number): string {
  return [
    '',
    `Browser worker (the built app in Chromium, load average ${loadavg()[0].toFixed(1)}): read ${b.readSeconds.toFixed(2)} s, prepare and load ${b.prepareSeconds.toFixed(2)} s, ${(megabytes / b.totalSeconds).toFixed(1)} MB/s wall; ${b.longTasks} main-thread tasks over 50 ms (longest ${b.longestMs} ms)${b.longestCpuMs !== undefined ? `, ${b.longCpuTasks} over 50 ms of CPU time (longest ${b.longestCpuMs} ms of CPU)` : ''}; tab ${b.tabBeforeMb.toFixed(0)} MB before the upload, peak ${b.tabReadPeakMb.toFixed(0)} MB once read and ${b.tabPeakMb.toFixed(0)} MB by the end (${(b.tabPeakMb - b.tabBeforeMb).toFixed(0)} MB above), ${b.tabEndMb.toFixed(0)} MB resident when Train is enabled, ${b.tabAfterGcMb.toFixed(0)} MB after a garbage collection.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    const result = await runDataCase(
      args.child.caseName,
      readFileSync(args.child.file, 'utf8'),
      args.rounds,
    );
    process.stdout.write(JSON.stringify(result));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-data-'));
  try {
    const file = join(dir, 'numbers.csv');
    const bytes = writeCsv(file, args.rows, args.cols);
    const results: DataCaseResult[] = [];
    const caseNames = Object.keys(DATA_CASES).filter((n) => n.includes(args.only ?? ''));
    if (caseNames.length === 0) throw new Error(`No data case name contains "${args.only}".`);
    if (!args.browserOnly)
      for (const caseName of caseNames) {
        process.stderr.write(`data: ${caseName}...\n`);
        results.push(runChild(caseName, file, args.rounds));
      }
    const matrixMB = (args.rows * args.cols * 8) / 1e6;
    if (!args.json && results.length > 0)
      process.stdout.write(`${formatTable(results, bytes / 1e6, matrixMB)}\n`);
    let browser: BrowserIngest | null = null;
    if (args.browser) {
      process.stderr.write('data: upload in the built app in Chromium...\n');
      const { browserIngest } = await import('./data-browser');
      browser = await browserIngest(file, 'label', { trace: args.trace });
      if (!args.json) process.stdout.write(formatBrowser(browser, bytes / 1e6));
      if (browser.trace && !args.json)
        process.stdout.write(`\nLong tasks of the upload (trace):\n${browser.trace}\n`);
    }
    if (args.json)
      process.stdout.write(`${JSON.stringify({ bytes, matrixMB, results, browser }, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:data: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
