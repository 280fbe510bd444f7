/**
 * `npm run bench:ui [-- --seconds S]`: how responsive the page stays while it trains (DESIGN.md
 * §6). Builds the app as `npm run build` ships it, serves it (vite preview, a free port), opens
 * it in Debian's Chromium and, per scenario (the iris template, the digits template, a network of
 * about a million weights), trains for a fixed time and reports the count and the longest of the
 * main-thread tasks over 50 ms (PerformanceObserver 'longtask'). Target: none for iris and digits.
 * A measurement, not a test: it never fails on the numbers.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import { compileGraph } from '../src/lib/graph/compile';
import type { GraphDocument } from '../src/lib/graph/document';
import { weightCount } from '../src/lib/graph/limits';
import { writeGraphFile } from '../src/lib/state/graph-file';

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
/** Tasks longer than this are "long" (the browser's own definition). */
const LONG_TASK_MS = 50;

function secondsFlag(): number {
  const i = process.argv.indexOf('--seconds');
  const value = i === -1 ? 10 : Number(process.argv[i + 1]);
  if (!(value > 0)) throw new Error(`--seconds needs a number above 0, got ${process.argv[i + 1]}`);
  return value;
}

/** Digits' 64 inputs -> Dense 1000 -> ReLU -> Dense 1000 -> ReLU -> Dense 10 -> Softmax. */
function millionWeightGraph(): GraphDocument {
  const chain: [GraphDocument['nodes'][number]['type'], Record<string, unknown>][] = [
    ['input', { size: 64 }],
    ['dense', { units: 1000, init: 'auto' }],
    ['activation', { fn: 'relu' }],
    ['dense', { units: 1000, init: 'auto' }],
    ['activation', { fn: 'relu' }],
    ['dense', { units: 10, init: 'auto' }],
    ['activation', { fn: 'softmax' }],
    ['loss', { loss: 'cross_entropy' }],
  ];
  const nodes = chain.map(([type, params], i) => ({
    id: `n${i + 1}`,
    type,
    position: { x: i * 220, y: 0 },
    params,
  }));
  const edges = nodes
    .slice(1)
    .map((node, i) => ({ id: `e${i + 1}`, source: nodes[i].id, target: node.id }));
  return { nodes, edges } as GraphDocument;
}

interface Scenario {
  name: string;
  template: string;
  dataset: string;
  /** A graph to import over the template's, as a model file's text. */
  graphFile?: { name: string; text: string };
}

function scenarios(): Scenario[] {
  const big = millionWeightGraph();
  const { spec } = compileGraph(big, { inputSize: 64 });
  if (!spec) throw new Error('the million-weight graph does not compile');
  const weights = weightCount(spec);
  return [
    { name: 'iris template', template: 'Iris classifier', dataset: 'iris' },
    { name: 'digits template', template: 'Digits', dataset: 'digits' },
    {
      name: `digits, 64-1000-1000-10 (${weights.toLocaleString('en')} weights)`,
      template: 'Digits',
      dataset: 'digits',
      graphFile: {
        name: 'million.model.json',
        text: writeGraphFile({ name: 'million', document: big, spec }),
      },
    },
  ];
}

interface Measurement {
  scenario: string;
  seconds: number;
  longTasks: number;
  longestMs: number;
  status: string;
}

const panel = (page: Page) => page.getByRole('region', { name: 'Training' });

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function measure(
  browser: Browser,
  url: string,
  scenario: Scenario,
  seconds: number,
): Promise<Measurement> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
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
  await page.getByLabel('Templates').selectOption({ label: scenario.template });
  const train = panel(page).getByRole('button', { name: 'Train', exact: true });
  await waitFor(
    async () => (await panel(page).getByLabel('Dataset').inputValue()) === scenario.dataset,
    `the ${scenario.dataset} dataset`,
  );
  if (scenario.graphFile) {
    await page.getByLabel('Import graph file').setInputFiles({
      name: scenario.graphFile.name,
      mimeType: 'application/json',
      buffer: Buffer.from(scenario.graphFile.text),
    });
    await waitFor(
      async () => (await page.locator('.svelte-flow__node').count()) === 8,
      'the imported graph',
    );
  }
  const epochs = panel(page).getByRole('group', { name: 'Settings' }).getByLabel('Epochs', {
    exact: true,
  });
  await epochs.fill('100000');
  await waitFor(() => train.isEnabled(), 'the Train button');
  await page.waitForTimeout(500);
  const from = await page.evaluate(() => performance.now());
  await train.click();
  await page.waitForTimeout(seconds * 1000);
  const to = await page.evaluate(() => performance.now());
  const status = ((await panel(page).getByRole('status').textContent()) ?? '').trim();
  const tasks = await page.evaluate(
    ({ from, to }) =>
      (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter(
        (t) => t.start >= from && t.start <= to,
      ),
    { from, to },
  );
  const long = tasks.filter((t) => t.duration > LONG_TASK_MS);
  await context.close();
  return {
    scenario: scenario.name,
    seconds,
    longTasks: long.length,
    longestMs: Math.round(Math.max(0, ...long.map((t) => t.duration))),
    status: status.replace(/\s+/g, ' ').slice(0, 90),
  };
}

async function main(): Promise<void> {
  const seconds = secondsFlag();
  const outDir = `node_modules/.bench-ui-build/${process.pid}`;
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
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  const results: Measurement[] = [];
  try {
    for (const scenario of scenarios()) {
      process.stderr.write(`Training: ${scenario.name} for ${seconds} s...\n`);
      results.push(await measure(browser, url, scenario, seconds));
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    rmSync(`${ROOT}${outDir}`, { recursive: true, force: true });
  }
  console.log(`Main-thread tasks over ${LONG_TASK_MS} ms while training (Chromium, headless):`);
  console.log('scenario | seconds | long tasks | longest (ms) | status at the end');
  for (const r of results)
    console.log(`${r.scenario} | ${r.seconds} | ${r.longTasks} | ${r.longestMs} | ${r.status}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
