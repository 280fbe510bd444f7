/**
 * What the in-browser benchmarks share: the app built and served as `npm run build` ships it
 * (vite preview on a free port), Debian's Chromium launched as a server (so its process id is
 * known), and the tab's memory read from /proc: the renderer process holds the page and its
 * worker, so its VmRSS is the tab's resident memory and VmHWM its peak.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
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
const MB = 1024 * 1024;

/**
 * Build the app, serve it, run `use` with its address, and clean up. `minify: false` keeps the
 * functions' names (for a trace's JS samples).
 */
export async function withBuiltApp<T>(
  name: string,
  use: (url: string) => Promise<T>,
  { minify = true }: { minify?: boolean } = {},
): Promise<T> {
  const outDir = `node_modules/.bench-${name}-build/${process.pid}`;
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  process.stderr.write('Building the app...\n');
  try {
    await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true, minify } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const server = await preview({
    root: ROOT,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  try {
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('vite preview did not report an address');
    return await use(url);
  } finally {
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    rmSync(`${ROOT}${outDir}`, { recursive: true, force: true });
  }
}

/**
 * A fresh Chromium (its own processes, so a tab's peak memory is its own) for `use`. `exposeGc`:
 * pages and workers get V8's `gc()`, so a benchmark can measure what stays resident.
 */
export async function withChromium<T>(
  use: (browser: Browser, browserPid: number) => Promise<T>,
  { exposeGc = false }: { exposeGc?: boolean } = {},
): Promise<T> {
  const server = await chromium.launchServer({
    executablePath: CHROMIUM_PATH,
    args: exposeGc ? [...CHROMIUM_ARGS, '--js-flags=--expose-gc'] : CHROMIUM_ARGS,
    headless: true,
  });
  const browser = await chromium.connect(server.wsEndpoint());
  try {
    const pid = server.process().pid;
    if (pid === undefined) throw new Error('no browser process id');
    return await use(browser, pid);
  } finally {
    await browser.close();
    await server.close();
  }
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
export function tabMemory(browserPid: number): { rss: number; peak: number } {
  const all = rendererPids(browserPid).map(residentMemory);
  return all.reduce((a, b) => (b.rss > a.rss ? b : a), { rss: 0, peak: 0 });
}

export async function pageHeapMb(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page);
  await session.send('Performance.enable');
  const { metrics } = await session.send('Performance.getMetrics');
  await session.detach();
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / MB;
}

/** Record main-thread tasks (PerformanceObserver 'longtask') from the page's first script on. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; duration: number }[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        w.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** Tasks over `overMs` since `since` (performance.now()): their count and the longest. */
export async function longTasksSince(
  page: Page,
  since: number,
  overMs = 50,
): Promise<{ count: number; longestMs: number }> {
  const tasks = await page.evaluate(
    (t) =>
      (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter(
        (task) => task.start >= t.since && task.duration > t.overMs,
      ),
    { since, overMs },
  );
  return {
    count: tasks.length,
    longestMs: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
  };
}

export async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  ms = 120_000,
): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
