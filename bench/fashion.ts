/**
 * `npm run bench:fashion [-- --epochs N] [-- --precision float64|float32]`: the Fashion-MNIST MLP
 * template trained in the built app, in Debian's Chromium, through the same worker code the app
 * uses (issue 11's targets: >= 88% test accuracy within 10 epochs, <= 10 s per epoch; the tab
 * under 600 MB; the load <= 3 s from choosing the template to Train enabled).
 *
 * Per precision it opens a fresh page, chooses the template, times the load, sets the precision,
 * trains, and reads the status line ("Epoch 3/10 · train loss … · test accuracy 87.9%") every
 * 100 ms: an epoch's seconds are the time between two epoch numbers (±0.1 s of polling). Memory:
 * the page's JS heap (CDP Performance.getMetrics) and the renderer process's resident memory
 * (/proc/<pid>/status VmRSS now and VmHWM, its peak), which holds the page and its worker.
 * A measurement, not a test: it never fails on the numbers.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LONG_TASK_MS = 50;
const MB = 1024 * 1024;
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

/** The pids of the browser's renderer processes (children of `browserPid` with --type=renderer). */
function rendererPids(browserPid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=renderer')) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === browserPid || isDescendant(Number(ppid), browserPid)) pids.push(Number(name));
    } catch {
      // The process ended while it was read.
    }
  }
  return pids;
}

function isDescendant(pid: number, ancestor: number): boolean {
  for (let depth = 0; depth < 5 && pid > 1; depth++) {
    if (pid === ancestor) return true;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return false;
    }
  }
  return pid === ancestor;
}

/** VmRSS and VmHWM (peak) of a process, in MB. */
function residentMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** The renderer with the most resident memory: the tab's (others are spare or extension ones). */
function tabMemory(browserPid: number): { rss: number; peak: number } {
  const all = rendererPids(browserPid).map(residentMemory);
  return all.reduce((a, b) => (b.rss > a.rss ? b : a), { rss: 0, peak: 0 });
}

async function pageHeapMb(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  const { metrics } = await session.send('Performance.getMetrics');
  await session.detach();
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / MB;
}

const panel = (page: Page) => page.getByRole('region', { name: 'Training' });

async function waitFor(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

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
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        w.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url);
  await page.getByLabel('Templates').waitFor();
  await page.waitForTimeout(500);
  const train = panel(page).getByRole('button', { name: 'Train', exact: true });
  const since = await page.evaluate(() => performance.now());
  const t0 = Date.now();
  await page.getByLabel('Templates').selectOption({ label: 'Fashion-MNIST MLP' });
  await waitFor(
    async () => (await panel(page).getByLabel('Dataset').inputValue()) === 'fashion_mnist',
    'the fashion_mnist dataset',
  );
  await waitFor(() => train.isEnabled(), 'the Train button');
  const loadSeconds = (Date.now() - t0) / 1000;
  const loadTasks = await page.evaluate(
    (t) =>
      (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter(
        (task) => task.start >= t.since && task.duration > t.longTaskMs,
      ),
    { since, longTaskMs: LONG_TASK_MS },
  );
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
  const until = Date.now() + epochs * 120_000;
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
    loadLongTasks: loadTasks.length,
    loadLongestMs: Math.round(Math.max(0, ...loadTasks.map((t) => t.duration))),
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
  const outDir = `node_modules/.bench-fashion-build/${process.pid}`;
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  process.stderr.write('Building the app...\n');
  try {
    await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const server = await preview({
    root: ROOT,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report an address');
  const runs: Run[] = [];
  const load = loadavg()[0];
  try {
    for (const precision of precisions) {
      // A fresh browser per precision, so each tab's peak memory is its own.
      const server = await chromium.launchServer({
        executablePath: CHROMIUM_PATH,
        args: CHROMIUM_ARGS,
        headless: true,
      });
      const browser = await chromium.connect(server.wsEndpoint());
      const pid = server.process().pid;
      try {
        if (pid === undefined) throw new Error('no browser process id');
        process.stderr.write(`Fashion-MNIST MLP, ${precision}, ${epochs} epochs...\n`);
        runs.push(await run(browser, pid, url, precision, epochs));
      } finally {
        await browser.close();
        await server.close();
      }
    }
  } finally {
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    rmSync(`${ROOT}${outDir}`, { recursive: true, force: true });
  }
  console.log(
    `Fashion-MNIST MLP in the built app (headless Chromium), load average ${load.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end.`,
  );
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
  console.log(
    '\nprecision | best test acc % (epoch) | mean s/epoch | load s | load tasks > 50 ms (longest) | page heap MB after load / training | tab RSS MB after load / training | tab peak RSS MB',
  );
  for (const r of runs) {
    const best = r.epochs.reduce((a, b) => (b.testAccuracy > a.testAccuracy ? b : a), r.epochs[0]);
    const mean = r.epochs.reduce((s, e) => s + e.seconds, 0) / Math.max(1, r.epochs.length);
    console.log(
      `${r.precision} | ${fixed(best?.testAccuracy ?? NaN)} (${best?.epoch ?? '—'}) | ${fixed(mean)} | ${fixed(r.loadSeconds, 2)} | ${r.loadLongTasks} (${r.loadLongestMs} ms) | ${fixed(r.heapAfterLoadMb, 0)} / ${fixed(r.heapAfterTrainMb, 0)} | ${fixed(r.tabRssAfterLoadMb, 0)} / ${fixed(r.tabRssAfterTrainMb, 0)} | ${fixed(r.tabPeakMb, 0)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
