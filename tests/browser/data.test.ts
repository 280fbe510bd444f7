/**
 * Real-size data in real Chromium: Fashion-MNIST chosen by its template is fetched, decompressed
 * and decoded in the worker (the page only gets its facts), trains a few hundred steps of the
 * template's network in float32 and again from fresh weights in float64 with the loss falling
 * well below chance in each, the misclassified images are drawn, and no main-thread task exceeds
 * 200 ms (the count over 50 ms is printed); wine.csv uploaded with target "hue" is read in the worker,
 * offers "class" as a category, and trains as a regression; a 785-column file's preview offers
 * every column as the target, in order, and draws the table's far columns when scrolled to them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openApp, screenshot } from './harness';
import { describeTasks, longestCpuMs, traceMainThread } from './main-thread';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The bound of the issue under a shared machine's load (DESIGN: known noise above 50 ms). */
const LONG_TASK_MS = 200;
const WINE = fileURLToPath(new URL('../../static/datasets/wine.csv', import.meta.url));

const panel = (page: Page) => page.getByRole('region', { name: 'Training' });
const trainButton = (page: Page) => panel(page).getByRole('button', { name: 'Train', exact: true });
const pauseButton = (page: Page) => panel(page).getByRole('button', { name: 'Pause', exact: true });

async function statusText(page: Page): Promise<string> {
  return ((await panel(page).getByRole('status').first().textContent()) ?? '').trim();
}

function epochOf(status: string): number {
  return Number(/Epoch (\d+)\//.exec(status)?.[1] ?? 0);
}

function batchLossOf(status: string): number | null {
  const match = /batch loss ([\d.e+-]+)/.exec(status);
  return match ? Number(match[1]) : null;
}

/** Steps taken, from a paused status: "Epoch 0/10 · … · batch 312/938 · batch loss …". */
function stepsOf(status: string): number {
  const batch = /batch (\d+)\/(\d+)/.exec(status);
  return batch ? epochOf(status) * Number(batch[2]) + Number(batch[1]) : 0;
}

/** Steps trained in each precision: a few hundred, about a third of an epoch of 938. */
const MIN_STEPS = 300;

function trainLossOf(status: string): number | null {
  const match = /train loss ([\d.e+-]+)/.exec(status);
  return match ? Number(match[1]) : null;
}

describe('real-size data', () => {
  test(
    'Fashion-MNIST loads in the worker, trains with the loss falling in float32 and float64, and shows misclassified images',
    { timeout: 300_000 },
    async () => {
      const { context, page, errors } = await openApp(browser, {
        viewport: { width: 1920, height: 1080 },
        reducedMotion: 'reduce',
      });
      await page.close();
      const app = await context.newPage();
      await app.goto(page.url());
      await app.getByLabel('Templates').waitFor();

      const stopTrace = await traceMainThread(app);
      const t0 = Date.now();
      await app.getByLabel('Templates').selectOption({ label: 'Fashion-MNIST MLP' });
      try {
        await expect
          .poll(() => panel(app).getByLabel('Dataset').inputValue(), { timeout: 60_000 })
          .toBe('fashion_mnist');
        await expect.poll(() => trainButton(app).isEnabled(), { timeout: 60_000 }).toBe(true);
      } catch (error) {
        await screenshot(app, 'data-fashion-blocked');
        console.log(await panel(app).innerText());
        throw error;
      }
      const seconds = (Date.now() - t0) / 1000;
      console.log(`Fashion-MNIST: from choosing it to Train enabled in ${seconds.toFixed(2)} s`);

      // The panel says what was loaded and that the test fraction does not apply.
      const summary = (await panel(app).locator('.summary').first().textContent()) ?? '';
      expect(summary).toContain('70,000 rows');
      expect(summary).toContain('784 features');
      expect(summary).toContain('60,000 train / 10,000 test');
      expect(summary).toContain('the test fraction does not apply');
      // …and so does the field itself: off, with the reason where its hint was.
      const fraction = panel(app)
        .getByRole('group', { name: 'Settings' })
        .getByLabel('Test fraction');
      expect(await fraction.isDisabled()).toBe(true);
      const fractionHint = app.locator(`[id="${await fraction.getAttribute('aria-describedby')}"]`);
      expect(await fractionHint.textContent()).toContain(
        'Not used: this dataset comes with its published split, 60,000 train / 10,000 test.',
      );
      await screenshot(app, 'data-fashion-loaded');

      // A few hundred steps in each precision, each from fresh weights: one Step shows the
      // untrained network's batch loss (≈ ln 10 = 2.30, chance for 10 classes), then the run is
      // paused once it is at least MIN_STEPS steps in, and its batch loss must have fallen.
      const settings = panel(app).getByRole('group', { name: 'Settings' });
      for (const precision of ['float32 (fast)', 'float64 (exact)']) {
        if (precision.startsWith('float64')) {
          await panel(app).getByRole('button', { name: 'Reset', exact: true }).click();
          await expect
            .poll(async () => batchLossOf(await statusText(app)), { timeout: 60_000 })
            .toBeNull();
        }
        await settings.getByLabel('Precision').selectOption({ label: precision });
        await panel(app).getByRole('button', { name: 'Step', exact: true }).click();
        // The first Step also loads the network and measures the untrained loss: slow under load.
        await expect
          .poll(async () => batchLossOf(await statusText(app)), { timeout: 60_000 })
          .not.toBeNull();
        const untrained = batchLossOf(await statusText(app))!;
        let steps = stepsOf(await statusText(app));
        const started = Date.now();
        // Steps are only shown while paused: run, pause, read; the next run is sized from the
        // pace so far (a few rounds on a busy machine, one or two on a quiet one).
        let runMs = 2000;
        for (let round = 0; round < 30 && steps < MIN_STEPS; round++) {
          const before = steps;
          const t = Date.now();
          await trainButton(app).click();
          await app.waitForTimeout(runMs);
          await pauseButton(app).click();
          await expect
            .poll(async () => await statusText(app), { timeout: 30_000 })
            .toMatch(/paused/);
          steps = stepsOf(await statusText(app));
          const perMs = Math.max(steps - before, 1) / (Date.now() - t);
          runMs = Math.min(20_000, Math.max(500, (1.2 * (MIN_STEPS - steps)) / perMs));
        }
        const status = await statusText(app);
        const loss = batchLossOf(status);
        console.log(
          `Fashion-MNIST ${precision}: batch loss ${untrained} untrained, ${loss} after ${steps} steps (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
        expect(steps).toBeGreaterThanOrEqual(MIN_STEPS);
        expect(loss).not.toBeNull();
        expect(untrained).toBeGreaterThan(1.8);
        expect(loss!).toBeLessThan(Math.min(1.2, 0.6 * untrained));
      }

      // The confusion matrix names the classes; a few misclassified images are drawn.
      const charts = app.getByRole('region', { name: 'Charts' });
      await expect.poll(() => charts.getByText('Misclassified test images').count()).toBe(1);
      await expect.poll(() => charts.locator('.misclassified canvas').count()).toBeGreaterThan(0);
      expect(await charts.getByText('Ankle boot').count()).toBeGreaterThan(0);
      const ink = await charts
        .locator('.misclassified canvas')
        .first()
        .evaluate((canvas: HTMLCanvasElement) => {
          const data = canvas.getContext('2d')!.getImageData(0, 0, 28, 28).data;
          let dark = 0;
          for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark++;
          return dark;
        });
      expect(ink).toBeGreaterThan(20);
      await charts.locator('.misclassified').scrollIntoViewIfNeeded();
      await screenshot(app, 'data-fashion-trained');

      const tasks = await stopTrace();
      console.log(describeTasks('Fashion-MNIST', tasks));
      expect(longestCpuMs(tasks)).toBeLessThanOrEqual(LONG_TASK_MS);
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  test(
    'a 785-column upload: every column offered as the target, the table drawn as it is scrolled',
    { timeout: 120_000 },
    async () => {
      const { context, page, errors } = await openApp(browser, {
        viewport: { width: 1280, height: 900 },
        reducedMotion: 'reduce',
      });
      const columns = [...Array.from({ length: 784 }, (_, j) => `px${j}`), 'label'];
      const rows = Array.from({ length: 30 }, (_, i) =>
        [...Array.from({ length: 784 }, (_, j) => (i * 7 + j) % 256), i % 10].join(','),
      );
      await panel(page).getByRole('button', { name: 'Upload CSV…' }).click();
      const stopTrace = await traceMainThread(page);
      await panel(page)
        .getByLabel('CSV file', { exact: true })
        .setInputFiles({
          name: 'wide.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from([columns.join(','), ...rows].join('\n') + '\n'),
        });
      const target = panel(page).getByLabel('Target column');
      await expect.poll(() => target.count()).toBe(1);
      // Every column, in the file's order, the last one chosen.
      await expect
        .poll(() => target.evaluate((s: HTMLSelectElement) => [...s.options].map((o) => o.value)))
        .toEqual(columns);
      expect(await target.inputValue()).toBe('label');
      await target.selectOption('px3');
      await expect
        .poll(async () => (await panel(page).locator('.upload .summary').textContent()) ?? '')
        .toMatch(/Predict px3/);

      const table = panel(page).getByRole('region', { name: /wide\.csv: the first 5 rows/ });
      const header = (name: string) => table.getByRole('columnheader', { name, exact: true });
      await expect.poll(() => header('px0').count()).toBe(1);
      // Far columns are not drawn until the table is scrolled to them.
      expect(await header('label').count()).toBe(0);
      await table.evaluate((region) => (region.scrollLeft = region.scrollWidth));
      await expect.poll(() => header('label').count()).toBe(1);
      await expect.poll(() => header('px0').count()).toBe(0);
      // The last row's last cell sits under its header.
      const labelBox = await header('label').boundingBox();
      const lastCell = table.locator('tbody tr').last().getByRole('cell').last();
      expect(await lastCell.textContent()).toBe('4');
      const cellBox = await lastCell.boundingBox();
      expect(Math.abs(cellBox!.x + cellBox!.width - (labelBox!.x + labelBox!.width))).toBeLessThan(
        2,
      );
      // Back to the start: the first columns again.
      await table.evaluate((region) => (region.scrollLeft = 0));
      await expect.poll(() => header('px0').count()).toBe(1);

      const tasks = await stopTrace();
      console.log(describeTasks('785-column upload', tasks));
      expect(longestCpuMs(tasks)).toBeLessThanOrEqual(LONG_TASK_MS);
      expect(errors).toEqual([]);
      await context.close();
    },
  );

  test(
    'wine.csv with target "hue": read in the worker, "class" offered as a category, trains as regression',
    { timeout: 180_000 },
    async () => {
      const { context, page, errors } = await openApp(browser, {
        viewport: { width: 1280, height: 900 },
        reducedMotion: 'reduce',
      });
      await page.close();
      const app = await context.newPage();
      await app.goto(page.url());
      await app.getByLabel('Templates').selectOption({ label: 'Runge regression' });
      await expect.poll(() => trainButton(app).isEnabled(), { timeout: 30_000 }).toBe(true);
      const stopTrace = await traceMainThread(app);

      await panel(app).getByRole('button', { name: 'Upload CSV…' }).click();
      await panel(app).getByLabel('CSV file', { exact: true }).setInputFiles(WINE);
      const target = panel(app).getByLabel('Target column');
      await expect.poll(() => target.count()).toBe(1);
      await expect(panel(app).getByLabel('Delimiter').inputValue()).resolves.toBe(',');
      await target.selectOption('hue');
      const classKind = panel(app)
        .getByRole('group', { name: 'Feature columns' })
        .getByLabel('class', { exact: true });
      await expect.poll(() => classKind.inputValue()).toBe('category');
      await expect
        .poll(async () => (await panel(app).locator('.upload .summary').textContent()) ?? '')
        .toMatch(/Predict hue \(regression\)/);
      // The Task select is not clipped: its box lies inside the upload panel.
      const taskBox = await panel(app).getByLabel('Task', { exact: true }).boundingBox();
      const uploadBox = await panel(app).locator('.upload').boundingBox();
      expect(taskBox!.x + taskBox!.width).toBeLessThanOrEqual(uploadBox!.x + uploadBox!.width);
      await panel(app).getByRole('group', { name: 'Feature columns' }).scrollIntoViewIfNeeded();
      await screenshot(app, 'data-wine-upload');

      await panel(app).getByRole('button', { name: 'Use this dataset' }).click();
      await expect
        .poll(() => panel(app).getByLabel('Dataset').inputValue())
        .toBe('upload:wine.csv');
      await expect.poll(() => trainButton(app).isEnabled(), { timeout: 30_000 }).toBe(true);
      // The untrained network's loss: one Step shows the loss of its first mini-batch. (Read
      // after Train, the first epoch's loss is already hundreds of epochs late: Adam then
      // wanders around a small loss, and two late reads differ by chance.)
      await panel(app).getByRole('button', { name: 'Step', exact: true }).click();
      await expect.poll(async () => batchLossOf(await statusText(app))).not.toBeNull();
      const untrained = batchLossOf(await statusText(app));
      await panel(app)
        .getByRole('group', { name: 'Settings' })
        .getByLabel('Epochs', { exact: true })
        .fill('20000');
      await trainButton(app).click();
      await expect
        .poll(async () => epochOf(await statusText(app)), { timeout: 120_000 })
        .toBeGreaterThanOrEqual(40);
      // Still running (or already done with the template's epochs): stop to read the status.
      if (await pauseButton(app).isVisible()) await pauseButton(app).click();
      await expect.poll(async () => await statusText(app)).toMatch(/paused|done/);
      const status = await statusText(app);
      expect(status).toMatch(/test R²/);
      expect(trainLossOf(status)!).toBeLessThan(untrained!);
      await screenshot(app, 'data-wine-trained');

      const tasks = await stopTrace();
      console.log(describeTasks('wine.csv', tasks));
      expect(longestCpuMs(tasks)).toBeLessThanOrEqual(LONG_TASK_MS);
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});
