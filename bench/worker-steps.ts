/**
 * `npx tsx bench/worker-steps.ts [--seconds N] [--precision float64|float32] [--rounds N] DIR...`:
 * optimizer steps per second of the Fashion-MNIST MLP in built apps (each DIR a `vite build
 * --outDir DIR` of some version), in headless Chromium with the whole page running, rounds
 * interleaved across the DIRs so the machine's load falls on all alike. The step count is read
 * from the worker's own events: a wrapper around MessagePort.postMessage in the worker notes the
 * largest `step` it sends. Also prints how much of a core each renderer thread used (from
 * /proc: the worker is "DedicatedWorker"). A measurement for A/B comparisons, not a test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { chromium, type Page } from 'playwright-core';
import { preview } from 'vite';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
}
const seconds = Number(flag('--seconds', '20'));
const rounds = Number(flag('--rounds', '2'));
const precision = flag('--precision', 'float64');
const dirs = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const LABELS: Record<string, string> = { float64: 'float64 (exact)', float32: 'float32 (fast)' };

const panel = (page: Page) => page.getByRole('region', { name: 'Training' });

/** Patch the worker's postMessage so the largest `step` it posts is kept in __lastStep. */
const PATCH = `(() => {
  if (self.__patched) return;
  self.__patched = true;
  self.__lastStep = 0;
  const find = (v, depth) => {
    if (!v || typeof v !== 'object' || depth > 5) return;
    if (typeof v.step === 'number' && typeof v.status === 'string') {
      if (v.step > self.__lastStep) self.__lastStep = v.step;
      return;
    }
    for (const k of Object.keys(v)) find(v[k], depth + 1);
  };
  for (const proto of [MessagePort.prototype, DedicatedWorkerGlobalScope.prototype]) {
    const original = proto.postMessage;
    proto.postMessage = function (...args) { try { find(args[0], 0); } catch {} return original.apply(this, args); };
  }
})()`;

/** CPU seconds (user + system) of every thread of every renderer process, by thread name. */
function rendererThreadCpu(): Map<string, number> {
  const cpu = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]);
        cpu.set(name, (cpu.get(name) ?? 0) + ticks / 100);
      }
    } catch {
      // The process or thread ended while it was read.
    }
  }
  return cpu;
}

/** Share of a core each renderer thread used between two readings (the busiest first). */
function cpuShares(before: Map<string, number>, after: Map<string, number>, wallS: number): string {
  return [...after]
    .map(([name, s]) => [name, (s - (before.get(name) ?? 0)) / wallS] as const)
    .filter(([, share]) => share >= 0.02)
    .sort((a, b) => b[1] - a[1])
    .map(([name, share]) => `${name} ${(100 * share).toFixed(0)}%`)
    .join(', ');
}

async function measure(url: string): Promise<number> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(url);
    await page.getByLabel('Templates').waitFor();
    await page.waitForTimeout(500);
    await page.getByLabel('Templates').selectOption({ label: 'Fashion-MNIST MLP' });
    const train = panel(page).getByRole('button', { name: 'Train', exact: true });
    await train.waitFor();
    for (let i = 0; i < 600 && !(await train.isEnabled()); i++) await page.waitForTimeout(100);
    const settings = panel(page).getByRole('group', { name: 'Settings' });
    await settings.getByLabel('Precision').selectOption({ label: LABELS[precision] });
    await page.waitForTimeout(300);
    const worker = page.workers()[0];
    if (!worker) throw new Error('no worker');
    await worker.evaluate(PATCH);
    await train.click();
    await page.waitForTimeout(4000); // warm-up: tier-up, first extras
    const s0 = (await worker.evaluate('self.__lastStep')) as number;
    const cpu0 = rendererThreadCpu();
    const t0 = Date.now();
    await page.waitForTimeout(seconds * 1000);
    const s1 = (await worker.evaluate('self.__lastStep')) as number;
    const t1 = Date.now();
    console.log(
      `  renderer threads, share of a core: ${cpuShares(cpu0, rendererThreadCpu(), (t1 - t0) / 1000)}`,
    );
    return (t1 - t0) / (s1 - s0);
  } finally {
    await browser.close();
  }
}

const servers = await Promise.all(
  dirs.map((outDir) =>
    preview({
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
    }),
  ),
);
try {
  for (let r = 1; r <= rounds; r++)
    for (let d = 0; d < dirs.length; d++) {
      const url = servers[d].resolvedUrls!.local[0];
      const ms = await measure(url);
      console.log(
        `round ${r} ${dirs[d]} ${precision}: ${ms.toFixed(1)} ms/step (${(((60000 / 64) * ms) / 1000).toFixed(1)} s/epoch), load ${loadavg()[0].toFixed(1)}`,
      );
    }
} finally {
  for (const s of servers) await new Promise<void>((res) => s.httpServer.close(() => res()));
}
process.exit(0);
