/**
 * Issue 9's findings where users meet them in the page: a trained iris file continued on a
 * shuffled CSV through "Import model" keeps its classes and its predictions (checked against the
 * command line on the same files), and iris with SGD at learning rate 1000 stops with the
 * divergence message, keeps the lowest-loss weights, and no panel prints "vanishing" or a number
 * long enough to push it over another.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { createWorkspace, type Workspace } from '../unit/cli/helpers';
import { launchBrowser, openApp, screenshot } from './harness';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IRIS_CSV = readFileSync(`${ROOT}static/datasets/iris.csv`, 'utf8');
const IRIS_CLASSES = ['setosa', 'versicolor', 'virginica'];

let browser: Browser;
let ws: Workspace;
beforeAll(async () => {
  browser = await launchBrowser();
  ws = createWorkspace();
});
afterAll(async () => {
  await browser?.close();
  ws?.remove();
});

const panel = (page: Page) => page.getByRole('region', { name: 'Training' });
const gradientsPanel = (page: Page) => page.getByRole('region', { name: 'Gradients' });
const settingsField = (page: Page, label: string) =>
  panel(page).getByRole('group', { name: 'Settings' }).getByLabel(label, { exact: true });
const trainButton = (page: Page) => panel(page).getByRole('button', { name: 'Train', exact: true });
const text = (l: Locator) => l.textContent().then((t) => (t ?? '').replace(/\s+/g, ' ').trim());
const statusText = (page: Page) => text(panel(page).getByRole('status'));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

async function cli(argv: string[]): Promise<string> {
  const run = await ws.cli(argv);
  if (run.code !== 0) throw new Error(`cli ${argv.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

const readJson = (name: string): Json => JSON.parse(readFileSync(ws.path(name), 'utf8'));

async function exportModel(page: Page, name: string): Promise<Json> {
  const pending = page.waitForEvent('download');
  await panel(page).getByRole('button', { name: 'Export model' }).click();
  await (await pending).saveAs(ws.path(name));
  return readJson(name);
}

async function importModel(page: Page, name: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await panel(page).getByRole('button', { name: 'Import model' }).click();
  await (await chooser).setFiles(ws.path(name));
}

/** The confusion matrix's description: "Confusion matrix for 3 classes (a, b, c): ...". */
async function confusionClasses(page: Page): Promise<string[] | null> {
  const matrix = panel(page).getByRole('img', { name: /^Confusion matrix for/ });
  if ((await matrix.count()) === 0) return null;
  const label = (await matrix.getAttribute('aria-label')) ?? '';
  const match = /^Confusion matrix for \d+ classes \(([^)]*)\)/.exec(label);
  return match ? match[1].split(', ') : null;
}

/** How many rows the exported file's metrics say were right, over both splits. */
function rowsRight(model: Json, rows: number): number {
  const testRows = Math.round(rows * model.training.testFraction);
  const { trainAccuracy, testAccuracy } = model.training.metrics;
  return Math.round(trainAccuracy * (rows - testRows) + testAccuracy * testRows);
}

describe('a trained iris file continued on a shuffled CSV through Import model', () => {
  test('keeps its classes, its scaling and its predictions, and still after training on', async () => {
    // The file: the iris template trained 30 epochs by the command line.
    await cli(['init', '--template', 'iris', '--out', 'iris.model.json']);
    await cli(['train', '--model', 'iris.model.json', '--epochs', '30', '--out', 'trained.json']);
    const trained = readJson('trained.json');
    expect(trained.data.classes).toEqual(IRIS_CLASSES);
    // The CSV: iris's rows reversed, so its first rows show virginica, then versicolor.
    const [header, ...rows] = IRIS_CSV.trim().split('\n');
    const csv = [header, ...rows.reverse()].join('\n') + '\n';
    expect(rows[0].endsWith('virginica')).toBe(true);
    writeFileSync(ws.path('reversed-iris.csv'), csv);
    // What the file predicts on those rows, by the command line.
    const predicted = JSON.parse(
      await cli(['predict', '--model', 'trained.json', '--data', 'reversed-iris.csv', '--json']),
    );
    const cliRight = Math.round(predicted.accuracy * rows.length);

    const { page, errors, context } = await openApp(browser, {
      viewport: { width: 1600, height: 1000 },
      reducedMotion: 'reduce',
    });
    await panel(page).getByRole('button', { name: 'Upload CSV…' }).click();
    await panel(page)
      .getByLabel('CSV file', { exact: true })
      .setInputFiles(ws.path('reversed-iris.csv'));
    await expect.poll(() => panel(page).getByLabel('Target column').inputValue()).toBe('class');
    await panel(page).getByRole('button', { name: 'Use this dataset' }).click();
    await expect
      .poll(() => panel(page).getByLabel('Dataset').inputValue())
      .toBe('upload:reversed-iris.csv');

    await importModel(page, 'trained.json');
    await expect
      .poll(() => text(panel(page)), { timeout: 30_000 })
      .toMatch(/Imported trained\.json: network, dataset \(reversed-iris\.csv\)/);
    // The data in use stays the uploaded file; the classes are the file's, in its order.
    expect(await panel(page).getByLabel('Dataset').inputValue()).toBe('upload:reversed-iris.csv');
    await expect.poll(() => confusionClasses(page)).toEqual(IRIS_CLASSES);
    await expect.poll(() => statusText(page)).toMatch(/^Epoch 30\/30 .*test accuracy/);
    await panel(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'hardening-continued-import');

    // Right after the import: the file's weights, scaling and classes, and the page's accuracy
    // over both splits counts the rows the command line predicts right.
    const imported = await exportModel(page, 'imported.json');
    expect(imported.data.dataset).toBe('reversed-iris.csv');
    expect(imported.data.classes).toEqual(IRIS_CLASSES);
    expect(imported.data.standardize).toEqual(trained.data.standardize);
    expect(imported.weights).toEqual(trained.weights);
    expect(rowsRight(imported, rows.length)).toBe(cliRight);
    const shown = Number(/test accuracy ([\d.]+)%/.exec(await statusText(page))![1]);
    expect(shown).toBeCloseTo(imported.training.metrics.testAccuracy * 100, 1);
    const again = JSON.parse(
      await cli(['predict', '--model', 'imported.json', '--data', 'reversed-iris.csv', '--json']),
    );
    expect(again.predictions).toEqual(predicted.predictions);

    // A few epochs more on the shuffled data: the classes keep the file's order.
    await settingsField(page, 'Epochs').fill('33');
    await expect.poll(() => trainButton(page).isEnabled()).toBe(true);
    await trainButton(page).click();
    await expect
      .poll(() => statusText(page), { timeout: 60_000 })
      .toMatch(/^Epoch 33\/33 .* done$/);
    await expect.poll(() => confusionClasses(page)).toEqual(IRIS_CLASSES);
    const continued = await exportModel(page, 'continued.json');
    expect(continued.data.classes).toEqual(IRIS_CLASSES);
    expect(continued.data.standardize).toEqual(trained.data.standardize);
    expect(continued.training.history.epoch).toHaveLength(33);
    // Trained on, and still as good: the same command line reads it and predicts well.
    expect(continued.weights).not.toEqual(trained.weights);
    const after = JSON.parse(
      await cli(['predict', '--model', 'continued.json', '--data', 'reversed-iris.csv', '--json']),
    );
    expect(after.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(errors).toEqual([]);
    await context.close();
  });
});

/**
 * Every run of digits, commas and points longer than `max` in what `root` shows, read text node
 * by text node (a chart's tick labels are separate words, not one long number).
 */
async function longNumbers(root: Locator, max = 12): Promise<string[]> {
  const pieces = await root.evaluate((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const out: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode())
      out.push(node.textContent ?? '');
    return out;
  });
  return pieces.flatMap((piece) => (piece.match(/[\d.,]+/g) ?? []).filter((t) => t.length > max));
}

/** Elements inside `root` whose box reaches past the root's box (by more than a pixel). */
async function spillingChildren(root: Locator): Promise<string[]> {
  return root.evaluate((el) => {
    const outer = el.getBoundingClientRect();
    const out: string[] = [];
    for (const child of Array.from(el.children)) {
      const box = child.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.left < outer.left - 1 || box.right > outer.right + 1)
        out.push(
          `${child.tagName}.${child.className}: ${box.left}-${box.right} in ${outer.left}-${outer.right}`,
        );
    }
    return out;
  });
}

/**
 * Elements in `root` (itself included) whose content is wider than their box and does not scroll
 * (a 1-pixel box is text for screen readers only).
 */
async function overflowing(root: Locator): Promise<string[]> {
  return root.evaluate((el) =>
    [el, ...Array.from(el.querySelectorAll('*'))]
      .filter(
        (e) => e instanceof HTMLElement && e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1,
      )
      .filter(
        (e) =>
          getComputedStyle(e).overflowX !== 'auto' && getComputedStyle(e).overflowX !== 'scroll',
      )
      .map(
        (e) =>
          `${e.tagName}.${(e as HTMLElement).className}: ${(e as HTMLElement).scrollWidth} > ${(e as HTMLElement).clientWidth}`,
      ),
  );
}

describe('iris with SGD at learning rate 1000', () => {
  test('stops within a few epochs with the divergence message and keeps the lowest-loss weights', async () => {
    const { page, errors, context } = await openApp(browser, {
      viewport: { width: 1600, height: 1000 },
      reducedMotion: 'reduce',
    });
    await page.getByLabel('Templates').selectOption({ label: 'Iris classifier' });
    await expect.poll(() => panel(page).getByLabel('Dataset').inputValue()).toBe('iris');
    await settingsField(page, 'Optimizer').selectOption('sgd');
    await settingsField(page, 'Learning rate').fill('1000');
    await expect.poll(() => trainButton(page).isEnabled()).toBe(true);
    await trainButton(page).click();
    const alert = panel(page).getByRole('alert').filter({ hasText: 'diverged' });
    await expect.poll(() => text(alert), { timeout: 30_000 }).toMatch(/Training diverged at epoch/);
    const message = await text(alert.locator('.text'));
    const diverged = /Training diverged at epoch (\d+)/.exec(message)!;
    const epoch = Number(diverged[1]);
    expect(epoch).toBeLessThanOrEqual(5);
    expect(await statusText(page)).toMatch(/diverged/);

    // The kept weights are named, and they are the lowest-loss ones of the run: the epochs
    // recorded before the divergence, or the starting weights when the first epoch blew up.
    const model = await exportModel(page, 'diverged.json');
    const losses: number[] = model.training.history.trainLoss;
    const kept = /The weights of epoch (\d+) \(the lowest training loss, ([^)]+)\)/.exec(message);
    const start = /The starting weights \(training loss ([^)]+)\) were restored/.exec(message);
    expect(kept ?? start, message).not.toBeNull();
    const keptEpoch = kept ? Number(kept[1]) : 0;
    const keptLoss = Number((kept ? kept[2] : start![1]).replace(/,/g, ''));
    for (const loss of losses) expect(loss).toBeGreaterThanOrEqual(keptLoss * 0.995);
    if (keptEpoch > 0) expect(losses[keptEpoch - 1]).toBeCloseTo(keptLoss, 2);
    // The command line says the same of the same network, data and settings.
    await cli(['init', '--template', 'iris', '--out', 'iris-lr.json']);
    const run = await ws.cli([
      'train',
      '--model',
      'iris-lr.json',
      '--optimizer',
      'sgd',
      '--lr',
      '1000',
    ]);
    expect(run.stderr).toBe(`train: ${message} Nothing was written.\n`);

    // The accuracy shown is that of the kept weights: the command line on the exported file
    // counts the same rows right as the page's train and test accuracies.
    const shown = Number(/test accuracy ([\d.]+)%/.exec(await statusText(page))![1]);
    expect(shown).toBeCloseTo(model.training.metrics.testAccuracy * 100, 1);
    const predicted = JSON.parse(
      await cli(['predict', '--model', 'diverged.json', '--data', 'iris', '--json']),
    );
    expect(rowsRight(model, 150)).toBe(Math.round(predicted.accuracy * 150));

    // Diagnoses: a blow-up is never called vanishing; no number runs on; nothing spills.
    const gradients = gradientsPanel(page);
    await expect.poll(() => text(gradients)).not.toBe('');
    const diagnostics = page.getByRole('region', { name: 'Gradient diagnostics' });
    expect((await text(gradients)).toLowerCase()).not.toContain('vanishing');
    expect(await longNumbers(panel(page))).toEqual([]);
    expect(await longNumbers(gradients)).toEqual([]);
    expect(await spillingChildren(panel(page))).toEqual([]);
    expect(await spillingChildren(gradients)).toEqual([]);
    expect(await overflowing(diagnostics)).toEqual([]);
    await screenshot(page, 'hardening-iris-lr1000');
    await panel(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'hardening-iris-lr1000-training');
    await gradients.scrollIntoViewIfNeeded();
    await screenshot(page, 'hardening-iris-lr1000-gradients');
    expect(errors).toEqual([]);
    await context.close();
  });
});
