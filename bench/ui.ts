/**
 * `npm run bench:ui [-- --seconds S]`: how responsive the page stays while it trains (DESIGN.md
 * §6). Builds the app as `npm run build` ships it, serves it (vite preview, a free port), opens
 * it in Debian's Chromium and, per scenario (the iris template, the digits template, a network of
 * about a million weights), trains for a fixed time and reports the count and the longest of the
 * main-thread tasks over 50 ms (PerformanceObserver 'longtask'). Target: none for iris and digits.
 * A measurement, not a test: it never fails on the numbers.
 */
import type { Browser, Page } from 'playwright-core';
import { compileGraph } from '../src/lib/graph/compile';
import type { GraphDocument } from '../src/lib/graph/document';
import { weightCount } from '../src/lib/graph/limits';
import { writeGraphFile } from '../src/lib/state/graph-file';
import { withBuiltApp, withChromium } from './browser-app';
import { startTrace } from './ui-trace';

/** Tasks longer than this are "long" (the browser's own definition). */
const LONG_TASK_MS = 50;

/** `--trace`: also say what each long task was made of (ui-trace.ts). */
const TRACE = process.argv.includes('--trace');
/** `--only TEXT`: only the scenarios whose name contains TEXT. */
function onlyFlag(): string | null {
  const i = process.argv.indexOf('--only');
  return i === -1 ? null : (process.argv[i + 1] ?? '');
}

function secondsFlag(): number {
  const i = process.argv.indexOf('--seconds');
  const value = i === -1 ? 10 : Number(process.argv[i + 1]);
  if (!(value > 0)) throw new Error(`--seconds needs a number above 0, got ${process.argv[i + 1]}`);
  return value;
}

/** Digits' 64 inputs -> Dense `width` -> ReLU -> Dense `width` -> ReLU -> Dense 10 -> Softmax. */
function wideDigitsGraph(width: number): GraphDocument {
  const chain: [GraphDocument['nodes'][number]['type'], Record<string, unknown>][] = [
    ['input', { size: 64 }],
    ['dense', { units: width, init: 'auto' }],
    ['activation', { fn: 'relu' }],
    ['dense', { units: width, init: 'auto' }],
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

/** The digits template's data on a 64-width-width-10 network, imported as a graph file. */
function wideDigitsScenario(width: number): Scenario {
  const document = wideDigitsGraph(width);
  const { spec } = compileGraph(document, { inputSize: 64 });
  if (!spec) throw new Error(`the 64-${width}-${width}-10 graph does not compile`);
  return {
    name: `digits, 64-${width}-${width}-10 (${weightCount(spec).toLocaleString('en')} weights)`,
    template: 'Digits',
    dataset: 'digits',
    graphFile: {
      name: `wide-${width}.model.json`,
      text: writeGraphFile({ name: `wide-${width}`, document, spec }),
    },
  };
}

interface Scenario {
  name: string;
  template: string;
  dataset: string;
  /** A graph to import over the template's, as a model file's text. */
  graphFile?: { name: string; text: string };
}

function scenarios(): Scenario[] {
  return [
    { name: 'iris template', template: 'Iris classifier', dataset: 'iris' },
    { name: 'digits template', template: 'Digits', dataset: 'digits' },
    // About a million weights (DESIGN §6), and issue 10's 4.15 million.
    wideDigitsScenario(1000),
    wideDigitsScenario(2000),
  ];
}

interface Measurement {
  scenario: string;
  seconds: number;
  longTasks: number;
  longestMs: number;
  status: string;
  /** With --trace: what the long tasks were made of. */
  trace?: string;
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
  const stopTrace = TRACE ? await startTrace(page, LONG_TASK_MS) : null;
  const from = await page.evaluate(() => performance.now());
  await train.click();
  await page.waitForTimeout(seconds * 1000);
  const to = await page.evaluate(() => performance.now());
  const trace = stopTrace ? await stopTrace() : undefined;
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
    ...(trace ? { trace } : {}),
  };
}

async function main(): Promise<void> {
  const seconds = secondsFlag();
  const only = onlyFlag();
  const results = await withBuiltApp(
    'ui',
    (url) =>
      withChromium(async (browser) => {
        const measured: Measurement[] = [];
        for (const scenario of scenarios().filter((s) => !only || s.name.includes(only))) {
          process.stderr.write(`Training: ${scenario.name} for ${seconds} s...\n`);
          measured.push(await measure(browser, url, scenario, seconds));
        }
        return measured;
      }),
    { minify: !TRACE },
  );
  console.log(`Main-thread tasks over ${LONG_TASK_MS} ms while training (Chromium, headless):`);
  console.log('scenario | seconds | long tasks | longest (ms) | status at the end');
  for (const r of results)
    console.log(`${r.scenario} | ${r.seconds} | ${r.longTasks} | ${r.longestMs} | ${r.status}`);
  for (const r of results.filter((r) => r.trace))
    console.log(
      `\nLong tasks of "${r.scenario}" (trace; nested events count inside their parents):\n${r.trace}`,
    );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
