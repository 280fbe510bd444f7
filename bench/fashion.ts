/**
 * `npm run bench:fashion [-- --epochs N] [--precision float64|float32] [--node] [--trace]`: the Fashion-MNIST MLP
 * template trained in the built app, in Debian's Chromium, through the same worker code the app
 * uses (issue 11's targets: >= 88% test accuracy within 10 epochs, <= 10 s per epoch; the tab
 * under 600 MB; the load <= 3 s from choosing the template to Train enabled).
 *
 * Per precision it opens a fresh page, chooses the template, times the load, sets the precision,
 * trains, and reads the status line ("Epoch 3/10 · train loss … · test accuracy 87.9%") every
 * 100 ms: an epoch's seconds are the time between two epoch numbers (±0.1 s of polling). Memory:
 * the page's JS heap (CDP Performance.getMetrics) and the renderer process's resident memory
 * (/proc/<pid>/status VmRSS now and VmHWM, its peak), which holds the page and its worker.
 * --node trains with the engine in Node instead (fashion-node.ts: same Trainer, same prepared
 * data), when a browser run would take too long on a busy machine.
 * --trace: a Chromium trace of the load (the app built unminified) says what each main-thread
 * task over 50 ms was made of (ui-trace.ts).
 * A measurement, not a test: it never fails on the numbers.
 */
// First, before anything reaches the engine: relaxed SIMD on in Node 20 (see the module).
import '../src/cli/relaxed-simd';
import { loadavg } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import {
  longTasksSince,
  pageHeapMb,
  tabMemory,
  waitFor,
  watchLongTasks,
  withBuiltApp,
  withChromium,
} from './browser-app';
import { trainInNode, type NodeEpoch } from './fashion-node';
import { traceMainThread } from '../tests/browser/main-thread';
import { startTrace } from './ui-trace';

const TRACE = process.argv.includes('--trace');

type Precision = 'float64' | 'float32';
const PRECISION_LABELS: Record<Precision, string> = {
  float64: 'float64 (exact)',
  float32: 'float32 (fast)',
};

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

function epochsFlag(): number {
  const value = Number(flag('--epochs') ?? 10);
  if (!(Number.isInteger(value) && value >= 1)) throw new Error('--epochs needs a whole number');
  return value;
}

function precisionsFlag(): Precision[] {
  const value = flag('--precision');
  if (value === undefined) return ['float64', 'float32'];
  if (value !== 'float64' && value !== 'float32')
    throw new Error(`--precision is float64 or float32, got ${value}`);
  return [value];
}

const panel = (page: Page) => page.getByRole('region', { name: 'Training' });

interface EpochRow {
  epoch: number;
  seconds: number;
  testAccuracy: number;
  trainLoss: number;
}

interface Run {
  precision: Precision;
  loadSeconds: number;
  loadLongTasks: number;
  loadLongestMs: number;
  /** The load's tasks over 50 ms of CPU time, and the longest's CPU ms (a Chromium trace). */
  loadLongCpuTasks: number;
  loadLongestCpuMs: number;
  epochs: EpochRow[];
  heapAfterLoadMb: number;
  heapAfterTrainMb: number;
  tabRssAfterLoadMb: number;
  tabRssAfterTrainMb: number;
  tabPeakMb: number;
}

async function statusText(page: Page): Promise<string> {
  return ((await panel(page).getByRole('status').first().textContent()) ?? '').trim();
}

async function run(
  browser: Browser,
  browserPid: number,
  url: string,
  precision: Precision,
  epochs: number,
): Promise<Run> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  await watchLongTasks(page);
  await page.goto(url);
  await page.getByLabel('Templates').waitFor();
  await page.waitForTimeout(500);
  const train = panel(page).getByRole('button', { name: 'Train', exact: true });
  // Started first, and given a moment: the profiler's start is itself a long task.
  const stopTrace = TRACE ? await startTrace(page, 50) : null;
  if (stopTrace) await page.waitForTimeout(1000);
  // Without --trace: the load's tasks in CPU time too (a busy machine stretches wall time).
  const stopTasks = stopTrace ? null : await traceMainThread(page);
  const since = await page.evaluate(() => performance.now());
  const t0 = Date.now();
  await page.getByLabel('Templates').selectOption({ label: 'Fashion-MNIST MLP' });
  await waitFor(
    async () => (await panel(page).getByLabel('Dataset').inputValue()) === 'fashion_mnist',
    'the fashion_mnist dataset',
  );
  await waitFor(() => train.isEnabled(), 'the Train button');
  const loadSeconds = (Date.now() - t0) / 1000;
  if (stopTrace)
    console.log(`\nLong tasks of the ${precision} load (trace):\n${await stopTrace()}`);
  const loadTasks = await longTasksSince(page, since);
  const cpuTasks = stopTasks ? await stopTasks() : null;
  await page.waitForTimeout(1000);
  const heapAfterLoadMb = await pageHeapMb(page);
  const afterLoad = tabMemory(browserPid);

  const settings = panel(page).getByRole('group', { name: 'Settings' });
  await settings.getByLabel('Precision').selectOption({ label: PRECISION_LABELS[precision] });
  await settings.getByLabel('Epochs', { exact: true }).fill(String(epochs));
  await settings.getByLabel('Epochs', { exact: true }).blur();
  await page.waitForTimeout(300);
  await train.click();
  const rows: EpochRow[] = [];
  let last = Date.now();
  let seen = 0;
  // Generous: an epoch took over 2 minutes at a load average of 17 on this machine.
  const until = Date.now() + epochs * 600_000;
  while (seen < epochs && Date.now() < until) {
    const status = await statusText(page);
    const epoch = Number(/Epoch (\d+)\//.exec(status)?.[1] ?? 0);
    if (epoch > seen) {
      const now = Date.now();
      rows.push({
        epoch,
        seconds: (now - last) / 1000 / (epoch - seen),
        testAccuracy: Number(/test accuracy ([\d.]+)%/.exec(status)?.[1] ?? NaN),
        trainLoss: Number(/train loss ([\d.e+-]+)/.exec(status)?.[1] ?? NaN),
      });
      process.stderr.write(`  ${precision} epoch ${epoch}: ${status}\n`);
      seen = epoch;
      last = now;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await page.waitForTimeout(1000);
  const heapAfterTrainMb = await pageHeapMb(page);
  const afterTrain = tabMemory(browserPid);
  await context.close();
  return {
    precision,
    loadSeconds,
    loadLongTasks: loadTasks.count,
    loadLongestMs: loadTasks.longestMs,
    // With --trace the trace's own summary says it (one trace at a time).
    loadLongCpuTasks: cpuTasks ? cpuTasks.filter((t) => t.cpuMs > 50).length : NaN,
    loadLongestCpuMs: cpuTasks ? Math.round(Math.max(0, ...cpuTasks.map((t) => t.cpuMs))) : NaN,
    epochs: rows,
    heapAfterLoadMb,
    heapAfterTrainMb,
    tabRssAfterLoadMb: afterLoad.rss,
    tabRssAfterTrainMb: afterTrain.rss,
    tabPeakMb: afterTrain.peak,
  };
}

const fixed = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

async function main(): Promise<void> {
  const epochs = epochsFlag();
  const precisions = precisionsFlag();
  const load = loadavg()[0];
  if (process.argv.includes('--node')) return inNode(precisions, epochs, load);
  const runs = await withBuiltApp(
    'fashion',
    async (url) => {
      const done: Run[] = [];
      for (const precision of precisions) {
        process.stderr.write(`Fashion-MNIST MLP, ${precision}, ${epochs} epochs...\n`);
        // A fresh browser per precision, so each tab's peak memory is its own.
        done.push(await withChromium((browser, pid) => run(browser, pid, url, precision, epochs)));
      }
      return done;
    },
    { minify: !TRACE },
  );
  console.log(
    `Fashion-MNIST MLP in the built app (headless Chromium), load average ${load.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end.`,
  );
  printEpochTable(runs, epochs);
  console.log(
    '\nprecision | best test acc % (epoch) | mean s/epoch | load s | load tasks > 50 ms (longest) | load tasks > 50 ms CPU (longest CPU) | page heap MB after load / training | tab RSS MB after load / training | tab peak RSS MB',
  );
  for (const r of runs) {
    const best = r.epochs.reduce((a, b) => (b.testAccuracy > a.testAccuracy ? b : a), r.epochs[0]);
    const mean = r.epochs.reduce((s, e) => s + e.seconds, 0) / Math.max(1, r.epochs.length);
    console.log(
      `${r.precision} | ${fixed(best?.testAccuracy ?? NaN)} (${best?.epoch ?? '—'}) | ${fixed(mean)} | ${fixed(r.loadSeconds, 2)} | ${r.loadLongTasks} (${r.loadLongestMs} ms) | ${fixed(r.loadLongCpuTasks, 0)} (${fixed(r.loadLongestCpuMs, 0)} ms) | ${fixed(r.heapAfterLoadMb, 0)} / ${fixed(r.heapAfterTrainMb, 0)} | ${fixed(r.tabRssAfterLoadMb, 0)} / ${fixed(r.tabRssAfterTrainMb, 0)} | ${fixed(r.tabPeakMb, 0)}`,
    );
  }
}

/** --node: the engine's Trainer in Node (fashion-node.ts), no browser. */
async function inNode(precisions: Precision[], epochs: number, load: number): Promise<void> {
  const runs: { precision: Precision; epochs: NodeEpoch[] }[] = [];
  for (const precision of precisions)
    runs.push({ precision, epochs: await trainInNode(precision, epochs) });
  console.log(
    `Fashion-MNIST MLP, the engine in Node, load average ${load.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end.`,
  );
  printEpochTable(runs, epochs);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});

/** Test accuracy and seconds per epoch, one column pair per run (the app's and Node's alike). */
function printEpochTable(
  runs: { precision: Precision; epochs: { testAccuracy: number; seconds: number }[] }[],
  epochs: number,
): void {
  console.log('\nepoch | ' + runs.map((r) => `${r.precision} test acc % | s/epoch`).join(' | '));
  for (let e = 0; e < epochs; e++)
    console.log(
      `${e + 1} | ` +
        runs
          .map(
            (r) =>
              `${fixed(r.epochs[e]?.testAccuracy ?? NaN)} | ${fixed(r.epochs[e]?.seconds ?? NaN)}`,
          )
          .join(' | '),
    );
}
