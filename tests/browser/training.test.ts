/**
 * Training in real Chromium: pick the Iris template and its dataset, train in the worker to ≥ 90%
 * test accuracy while the main thread stays free (no task over 200 ms; the 50 ms target is benchmarked) and the canvas still pans;
 * export the model and import it into a fresh page (same test accuracy); refuse a malformed model
 * file and a ragged CSV without changing anything; stop a run whose learning rate is far too big.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openApp, screenshot } from './harness';
import { describeTasks, longestCpuMs, traceMainThread } from './main-thread';

let browser: Browser;
let scratch: string;
beforeAll(async () => {
  browser = await launchBrowser();
  scratch = mkdtempSync(join(tmpdir(), 'backprop-training-'));
});
afterAll(async () => {
  await browser?.close();
});

const WIDE = { width: 1920, height: 1080 };
/**
 * A catastrophe bound, far from the noise of a shared 2-core machine (DESIGN §6): the 50 ms target
 * is measured by `npm run bench:ui`, never asserted here, so CI cannot fail by chance.
 */
const LONG_TASK_MS = 200;
/**
 * Enough epochs for a run of several seconds: time to pan the canvas and watch the page. (5000
 * Iris epochs in batches of 1 take under two seconds here once the page leaves the worker its
 * core, too close to the 1.3 s the test watches for.)
 */
const EPOCHS = 15000;

const panel = (page: Page) => page.getByRole('region', { name: 'Training' });
const settingsField = (page: Page, label: string) =>
  panel(page).getByRole('group', { name: 'Settings' }).getByLabel(label, { exact: true });
const trainButton = (page: Page) => panel(page).getByRole('button', { name: 'Train', exact: true });

async function statusText(page: Page): Promise<string> {
  return ((await panel(page).getByRole('status').textContent()) ?? '').trim();
}

/** Test accuracy in percent read from the status region, or null when it shows none. */
async function testAccuracy(page: Page): Promise<number | null> {
  const match = /test accuracy ([\d.]+)%/.exec(await statusText(page));
  return match ? Number(match[1]) : null;
}

async function loadIrisTemplate(page: Page) {
  await page.getByLabel('Templates').selectOption({ label: 'Iris classifier' });
  await expect.poll(() => panel(page).getByLabel('Dataset').inputValue()).toBe('iris');
  await expect.poll(() => trainButton(page).isEnabled()).toBe(true);
}

async function setField(page: Page, label: string, value: string) {
  await settingsField(page, label).fill(value);
}

/** The viewport transform of the canvas (changes when it pans). */
async function viewportTransform(page: Page): Promise<string> {
  return page.locator('.svelte-flow__viewport').evaluate((el) => getComputedStyle(el).transform);
}

/** Drag the empty canvas by (dx, dy) from a point near its top-left corner. */
async function panCanvas(page: Page, dx: number, dy: number) {
  const box = await page.locator('.svelte-flow__pane').boundingBox();
  if (!box) throw new Error('canvas not visible');
  const x = box.x + 40;
  const y = box.y + 40;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
  await page.mouse.move(x + dx, y + dy, { steps: 4 });
  await page.mouse.up();
}

/** Everything an import or upload must leave alone: graph, dataset, settings and status. */
async function pageState(page: Page) {
  const nodes = await page
    .locator('.svelte-flow__node')
    .evaluateAll((els) =>
      els.map(
        (el) => `${el.getAttribute('data-id')}: ${el.textContent?.replace(/\s+/g, ' ').trim()}`,
      ),
    );
  const edges = await page.locator('.svelte-flow__edge').count();
  const dataset = await panel(page).getByLabel('Dataset').inputValue();
  const settings = await panel(page)
    .getByRole('group', { name: 'Settings' })
    .locator('input, select')
    .evaluateAll((els) =>
      els.map((el) =>
        el instanceof HTMLInputElement && el.type === 'checkbox'
          ? String(el.checked)
          : (el as HTMLInputElement).value,
      ),
    );
  return { nodes, edges, dataset, settings, status: await statusText(page) };
}

/** The page state once it has stopped changing (views catch up shortly after a run ends). */
async function settledPageState(page: Page) {
  let last = JSON.stringify(await pageState(page));
  await expect
    .poll(async () => {
      const now = JSON.stringify(await pageState(page));
      const same = now === last;
      last = now;
      return same;
    })
    .toBe(true);
  return JSON.parse(last) as Awaited<ReturnType<typeof pageState>>;
}

async function importModelFile(page: Page, path: string) {
  const chooser = page.waitForEvent('filechooser');
  await panel(page).getByRole('button', { name: 'Import model' }).click();
  await (await chooser).setFiles(path);
}

describe('training panel', () => {
  let exportedPath = '';
  let trainedAccuracy = 0;

  test('iris trains in the worker to ≥ 90% test accuracy; the page stays responsive', async () => {
    const { page, errors, context } = await openApp(browser);
    await loadIrisTemplate(page);
    // The template brought its settings (the course's: momentum 0.9, learning rate 0.01).
    expect(await settingsField(page, 'Optimizer').inputValue()).toBe('momentum');
    expect(await settingsField(page, 'Learning rate').inputValue()).toBe('0.01');
    // The Input node takes its size from the dataset.
    await expect.poll(() => page.locator('.svelte-flow__node-input').textContent()).toMatch(/4/);
    await trainButton(page).click();
    await expect
      .poll(() => statusText(page), { timeout: 60_000, interval: 100 })
      .toMatch(/^Epoch 200\/200 .* done$/);
    expect(await testAccuracy(page)).toBeGreaterThanOrEqual(90);

    // Go on for longer, in smaller batches: a run of several seconds to watch the page during.
    await setField(page, 'Epochs', String(EPOCHS));
    await setField(page, 'Batch size', '1');
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(() => trainButton(page).isEnabled()).toBe(true);
    const before = await viewportTransform(page);
    await trainButton(page).click();
    const pause = panel(page).getByRole('button', { name: 'Pause' });
    await expect.poll(() => pause.isVisible()).toBe(true);
    // While it trains: watch for long tasks, and pan the canvas with the mouse.
    const stopTrace = await traceMainThread(page);
    await page.waitForTimeout(1000);
    await panCanvas(page, 120, 60);
    const tasks = await stopTrace();
    expect(await viewportTransform(page)).not.toBe(before);
    // The run was going on the whole time.
    expect(await pause.isVisible()).toBe(true);
    // Checked at the end of the test, so the export below still runs for the tests after it.
    console.log(describeTasks('iris, batch size 1, while panning', tasks));
    await panel(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'training-during-1280');
    await page.setViewportSize(WIDE);
    await screenshot(page, 'training-during-1920');
    await page.setViewportSize({ width: 1280, height: 800 });

    await expect
      .poll(() => statusText(page), { timeout: 90_000, interval: 250 })
      .toMatch(new RegExp(`^Epoch ${EPOCHS}/${EPOCHS} .* done$`));
    trainedAccuracy = (await testAccuracy(page)) ?? 0;
    expect(trainedAccuracy).toBeGreaterThanOrEqual(90);
    expect(await panel(page).getByRole('progressbar').getAttribute('value')).toBe(String(EPOCHS));
    await screenshot(page, 'training-after-1280');
    await page.setViewportSize(WIDE);
    await panel(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'training-after-1920');

    // Export: the model file of DESIGN §4 with weights, settings, history and final metrics.
    const download = page.waitForEvent('download');
    await panel(page).getByRole('button', { name: 'Export model' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.model\.json$/);
    exportedPath = join(scratch, file.suggestedFilename());
    await file.saveAs(exportedPath);
    const model = JSON.parse(readFileSync(exportedPath, 'utf8'));
    expect(model.format).toBe('backprop-studio.model');
    expect(model.version).toBe(2);
    expect(model.data.dataset).toBe('iris');
    expect(model.data.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(model.training.optimizer).toMatchObject({ name: 'momentum', learningRate: 0.01 });
    expect(model.training.batchSize).toBe(1);
    expect(model.training.epochs).toBe(EPOCHS);
    expect(model.training.history.epoch).toHaveLength(EPOCHS);
    expect(model.training.metrics.testAccuracy * 100).toBeCloseTo(trainedAccuracy, 1);
    const denseIds = model.spec.layers
      .filter((l: { type: string }) => l.type === 'dense')
      .map((l: { id: string }) => l.id);
    expect(Object.keys(model.weights).sort()).toEqual([...denseIds].sort());
    expect(model.weights[denseIds[0]].W).toHaveLength(4);
    expect(model.weights[denseIds[0]].W[0]).toHaveLength(5);
    expect(errors).toEqual([]);
    await context.close();
    expect(
      longestCpuMs(tasks),
      'CPU time of the longest main-thread task while training, ms',
    ).toBeLessThanOrEqual(LONG_TASK_MS);
  });

  test('the exported model imports into a fresh page with the same test accuracy', async () => {
    expect(exportedPath).not.toBe('');
    const { page, errors, context } = await openApp(browser, { viewport: WIDE });
    await importModelFile(page, exportedPath);
    await expect.poll(() => testAccuracy(page)).toBe(trainedAccuracy);
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(6);
    expect(await panel(page).getByLabel('Dataset').inputValue()).toBe('iris');
    expect(await settingsField(page, 'Epochs').inputValue()).toBe(String(EPOCHS));
    expect(await settingsField(page, 'Optimizer').inputValue()).toBe('momentum');
    await expect(
      panel(page)
        .getByText(/Imported .*\.model\.json/)
        .isVisible(),
    ).resolves.toBe(true);
    // "Epochs" is the total: the imported run is done, and raising Epochs trains on from it.
    await expect
      .poll(() => statusText(page))
      .toMatch(new RegExp(`^Epoch ${EPOCHS}/${EPOCHS} .* done$`));
    await setField(page, 'Epochs', String(EPOCHS + 10));
    await expect
      .poll(() => statusText(page))
      .toMatch(new RegExp(`^Epoch ${EPOCHS}/${EPOCHS + 10} `));
    await panel(page).getByRole('button', { name: 'Step' }).click();
    await expect.poll(() => statusText(page)).toMatch(/paused/);
    await panel(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'training-imported-1920');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a malformed model file is refused with the reason, and nothing changes', async () => {
    // Reduced motion: the canvas shows each gradient update at once, so the page can settle.
    const { page, errors, context } = await openApp(browser, { reducedMotion: 'reduce' });
    await loadIrisTemplate(page);
    await setField(page, 'Learning rate', '0.05');
    await trainButton(page).click();
    await expect.poll(() => statusText(page), { timeout: 60_000 }).toMatch(/done$/);
    const before = await settledPageState(page);

    const notJson = join(scratch, 'broken.model.json');
    writeFileSync(notJson, '{ "format": "backprop-studio.model", "version": 1, ');
    await importModelFile(page, notJson);
    const alert = panel(page).getByRole('alert').filter({ hasText: 'Model not imported' });
    await expect.poll(() => alert.textContent()).toMatch(/broken\.model\.json.*not JSON/);
    expect(await pageState(page)).toEqual(before);

    // Valid JSON, wrong weights: the first layer's W has a row missing.
    const model = JSON.parse(readFileSync(exportedPath, 'utf8'));
    const first = Object.keys(model.weights)[0];
    model.weights[first].W.pop();
    const badWeights = join(scratch, 'bad-weights.model.json');
    writeFileSync(badWeights, JSON.stringify(model));
    await importModelFile(page, badWeights);
    await expect.poll(() => alert.textContent()).toMatch(/bad-weights\.model\.json.*W/);
    expect(await pageState(page)).toEqual(before);
    await panel(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'training-bad-import-1280');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a CSV with a ragged row shows the line at fault, and nothing changes', async () => {
    const { page, errors, context } = await openApp(browser, { reducedMotion: 'reduce' });
    await loadIrisTemplate(page);
    const before = await settledPageState(page);

    await panel(page).getByRole('button', { name: 'Upload CSV…' }).click();
    await panel(page)
      .getByLabel('CSV file', { exact: true })
      .setInputFiles({
        name: 'ragged.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('a,b,label\n1,2,x\n3,4,y\n5,6\n7,8,x\n'),
      });
    const alert = panel(page).getByRole('alert').filter({ hasText: 'ragged.csv' });
    await expect.poll(() => alert.textContent()).toMatch(/Line 4/);
    expect(await alert.textContent()).toMatch(/line 4 has 2 cells, the header has 3/);
    expect(await panel(page).getByRole('button', { name: 'Use this dataset' }).isDisabled()).toBe(
      true,
    );
    expect(await pageState(page)).toEqual(before);
    await panel(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'training-bad-csv-1280');

    // A good file: preview, target column, then it becomes the dataset and sizes the Input.
    await panel(page)
      .getByLabel('CSV file', { exact: true })
      .setInputFiles({
        name: 'good.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from('a,b,c,label\n1,2,0,x\n3,4,1,y\n5,6,0,x\n7,8,1,y\n'),
      });
    await expect
      .poll(() => panel(page).getByRole('table').textContent())
      .toMatch(/good\.csv: the first 4 rows/);
    expect(await panel(page).getByLabel('Target column').inputValue()).toBe('label');
    await panel(page).getByRole('button', { name: 'Use this dataset' }).click();
    await expect.poll(() => panel(page).getByLabel('Dataset').inputValue()).toBe('upload:good.csv');
    await expect.poll(() => page.locator('.svelte-flow__node-input').textContent()).toMatch(/3/);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the dataset sizes the Input and the output is checked against its classes, live', async () => {
    const { page, errors, context } = await openApp(browser, { reducedMotion: 'reduce' });
    await loadIrisTemplate(page);
    const inputNode = page.locator('.svelte-flow__node-input');
    // Wine: 13 features, 3 classes. The Input follows; the 3-way softmax still fits.
    await panel(page).getByLabel('Dataset').selectOption('wine');
    await expect.poll(() => inputNode.textContent()).toMatch(/13/);
    await expect.poll(() => trainButton(page).isEnabled()).toBe(true);
    // Breast cancer: 2 classes. Three outputs no longer fit: Train is off and says why.
    await panel(page).getByLabel('Dataset').selectOption('breast_cancer');
    await expect.poll(() => inputNode.textContent()).toMatch(/30/);
    await expect.poll(() => trainButton(page).isDisabled()).toBe(true);
    const reason = await panel(page)
      .getByText(/^Fix the network first:/)
      .textContent();
    expect(reason).toMatch(/2/);
    expect(await page.locator('.svelte-flow__node[aria-invalid="true"]').count()).toBeGreaterThan(
      0,
    );
    // Nothing of the old run is shown as if it described this network and data.
    await expect
      .poll(() =>
        panel(page)
          .getByText(/confusion matrix appears once/)
          .count(),
      )
      .toBe(1);
    expect(await statusText(page)).toBe('Epoch 0/200');
    await panel(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'training-blocked-1280');
    // Back to iris: fine again.
    await panel(page).getByLabel('Dataset').selectOption('iris');
    await expect.poll(() => trainButton(page).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a reload finds the graph with its dataset and settings', async () => {
    const { page, errors, context } = await openApp(browser, { reducedMotion: 'reduce' });
    await page.getByLabel('Templates').selectOption({ label: 'XOR' });
    await expect.poll(() => panel(page).getByLabel('Dataset').inputValue()).toBe('xor');
    await setField(page, 'Learning rate', '0.02');
    await setField(page, 'Epochs', '150');
    await expect.poll(() => trainButton(page).isEnabled()).toBe(true);
    await page.reload();
    await expect.poll(() => panel(page).getByLabel('Dataset').inputValue()).toBe('xor');
    expect(await settingsField(page, 'Optimizer').inputValue()).toBe('adam');
    expect(await settingsField(page, 'Learning rate').inputValue()).toBe('0.02');
    expect(await settingsField(page, 'Epochs').inputValue()).toBe('150');
    // The autosaved XOR network fits the XOR data: nothing to fix, ready to train.
    await expect.poll(() => trainButton(page).isEnabled()).toBe(true);
    await expect.poll(() => statusText(page)).toMatch(/^Epoch 0\/150/);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a crashed worker is reported; "Restart worker" brings training back, graph and data kept', async () => {
    const { page, errors, context } = await openApp(browser, { reducedMotion: 'reduce' });
    await loadIrisTemplate(page);
    await trainButton(page).click();
    await expect.poll(() => statusText(page), { timeout: 60_000 }).toMatch(/done$/);
    const trained = await testAccuracy(page);
    const before = await settledPageState(page);

    // An uncaught error inside the training worker, as a bug in the engine would throw.
    const worker = page.workers().find((w) => w.url().includes('training-worker'));
    expect(worker, 'the training worker').toBeDefined();
    await worker!.evaluate(() => {
      setTimeout(() => {
        throw new Error('simulated crash');
      });
    });
    const alert = panel(page).getByRole('alert').filter({ hasText: 'crashed' });
    await expect.poll(() => alert.textContent()).toMatch(/simulated crash/);
    expect(await trainButton(page).isDisabled()).toBe(true);
    expect(
      await panel(page)
        .getByText(/Restart worker/)
        .count(),
    ).toBeGreaterThan(0);
    await panel(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'training-worker-crashed-1280');

    await alert.getByRole('button', { name: 'Restart worker' }).click();
    await expect.poll(() => alert.count()).toBe(0);
    // The graph, the dataset, the settings and the status are as they were, and so are the
    // weights, the epoch count and the history: the restarted worker goes on from the last
    // trained state it had sent (the run was done: "Epoch 200/200 · … · done" again).
    const after = await settledPageState(page);
    const structure = (state: typeof before) => ({
      ...state,
      // The gradient read-outs on the nodes wait for the next step.
      nodes: state.nodes.map((text) => text.replace(/ ‖dC\/dW‖.*$/, '')),
    });
    expect(structure(after)).toEqual(structure(before));
    expect(after.status).toMatch(/^Epoch 200\/200 .* done$/);
    // The weights came back too: exported now, they score what the trained network scored.
    const download = page.waitForEvent('download');
    await panel(page).getByRole('button', { name: 'Export model' }).click();
    const file = await download;
    const path = join(scratch, 'after-restart.model.json');
    await file.saveAs(path);
    const model = JSON.parse(readFileSync(path, 'utf8'));
    expect(model.training.metrics.testAccuracy * 100).toBeCloseTo(trained ?? 0, 1);
    // The uncaught error is the one we threw; nothing else went wrong.
    expect(errors.filter((e) => !e.includes('simulated crash'))).toEqual([]);
    await context.close();
  });

  test('a learning rate of 1e3 diverges: training pauses and says what to do', async () => {
    // Runge regression with plain SGD: a linear output under MSE, so too big a step makes the
    // loss grow without bound until it overflows. (Iris's cross-entropy stays finite however
    // large the step: the engine clamps its logarithm, so that run ends badly but never in NaN.)
    const { page, errors, context } = await openApp(browser, { viewport: WIDE });
    await page.getByLabel('Templates').selectOption({ label: 'Runge regression' });
    await expect.poll(() => panel(page).getByLabel('Dataset').inputValue()).toBe('runge');
    await settingsField(page, 'Optimizer').selectOption('sgd');
    await setField(page, 'Learning rate', '1e3');
    await expect.poll(() => trainButton(page).isEnabled()).toBe(true);
    await trainButton(page).click();
    const alert = panel(page).getByRole('alert').filter({ hasText: 'diverged' });
    await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toMatch(/learning rate/i);
    expect(await statusText(page)).toMatch(/diverged/);
    expect(await panel(page).getByRole('button', { name: 'Pause' }).count()).toBe(0);
    expect(await trainButton(page).isDisabled()).toBe(true);
    expect(await panel(page).getByRole('button', { name: 'Reset' }).isEnabled()).toBe(true);
    await panel(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'training-diverged-1920');
    // The suggested fix applies a smaller learning rate and training can go on.
    await alert.getByRole('button', { name: /Lower the learning rate to 100/ }).click();
    expect(await settingsField(page, 'Learning rate').inputValue()).toBe('100');
    await expect.poll(() => trainButton(page).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
