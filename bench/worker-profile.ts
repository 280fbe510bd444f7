/**
 * `npx tsx bench/worker-profile.ts DIR [--seconds N] [--precision float64|float32]`: a CPU profile
 * of the training worker of a built app (DIR, a `vite build --outDir DIR`) while the Fashion-MNIST
 * MLP trains in headless Chromium (CDP Profiler through the page's auto-attached worker
 * session); prints the functions with the most self time and the share that is idle.
 */
import { chromium, type Page } from 'playwright-core';
import { preview } from 'vite';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : process.argv[i + 1];
}
const seconds = Number(flag('--seconds', '15'));
const precision = flag('--precision', 'float64');
const dir = process.argv[2];
const LABELS: Record<string, string> = { float64: 'float64 (exact)', float32: 'float32 (fast)' };
const panel = (page: Page) => page.getByRole('region', { name: 'Training' });

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const server = await preview({
  logLevel: 'warn',
  build: { outDir: dir },
  preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(server.resolvedUrls!.local[0]);
  await page.getByLabel('Templates').waitFor();
  await page.waitForTimeout(500);
  await page.getByLabel('Templates').selectOption({ label: 'Fashion-MNIST MLP' });
  const train = panel(page).getByRole('button', { name: 'Train', exact: true });
  await train.waitFor();
  for (let i = 0; i < 600 && !(await train.isEnabled()); i++) await page.waitForTimeout(100);
  await panel(page)
    .getByRole('group', { name: 'Settings' })
    .getByLabel('Precision')
    .selectOption({ label: LABELS[precision] });
  const cdp = await page.context().newCDPSession(page);
  let nextId = 1;
  const pending = new Map<number, (r: unknown) => void>();
  let workerSession = '';
  cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string } }) => {
    if (e.targetInfo.type === 'worker') workerSession = e.sessionId;
  });
  cdp.on('Target.receivedMessageFromTarget', (e: { message: string }) => {
    const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: unknown };
    if (m.id !== undefined) pending.get(m.id)?.(m.result ?? m.error);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      void cdp.send('Target.sendMessageToTarget', {
        sessionId: workerSession,
        message: JSON.stringify({ id, method, params }),
      });
    });
  await cdp.send('Target.setAutoAttach', {
    autoAttach: true,
    waitForDebuggerOnStart: false,
    flatten: false,
  });
  for (let i = 0; i < 50 && !workerSession; i++) await page.waitForTimeout(100);
  if (!workerSession) throw new Error('no worker session');
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 500 });
  await train.click();
  await page.waitForTimeout(4000);
  await send('Profiler.start');
  await page.waitForTimeout(seconds * 1000);
  const { profile } = (await send('Profiler.stop')) as { profile: Profile };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  for (const id of profile.samples) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  const total = profile.samples.length;
  console.log(`${dir} ${precision}: ${total} samples`);
  for (const [key, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${key}`);
} finally {
  await browser.close();
  await new Promise<void>((res) => server.httpServer.close(() => res()));
}
process.exit(0);
