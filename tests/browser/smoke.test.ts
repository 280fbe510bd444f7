import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openApp, screenshot } from './harness';
import { describeTasks, longestCpuMs, traceMainThread } from './main-thread';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

test('the built app loads in Chromium without errors', async () => {
  const { page, errors, context } = await openApp(browser);
  await expect(page.title()).resolves.toBe('Backprop Studio');
  await page.getByRole('heading', { name: 'Backprop Studio' }).waitFor();
  await screenshot(page, 'smoke');
  expect(errors).toEqual([]);
  await context.close();
});

test('the main-thread measure of the responsiveness tests sees a task that computes for a second', async () => {
  const { page, errors, context } = await openApp(browser);
  await page.getByRole('heading', { name: 'Backprop Studio' }).waitFor();
  const stopTrace = await traceMainThread(page);
  // A fixed amount of work, sized on an idle moment to about a second: its CPU time stays about a
  // second however loaded the machine (only its wall time grows), and stays well over 200 ms even
  // if the sizing ran at a fifth of the core.
  await page.evaluate(() => {
    const work = (n: number) => {
      let x = 0;
      for (let i = 0; i < n; i++) x += Math.sqrt(i);
      return x;
    };
    let n = 1e5;
    let t = performance.now();
    while (performance.now() - t < 50) {
      n *= 2;
      t = performance.now();
      work(n);
    }
    const perMs = n / (performance.now() - t);
    setTimeout(() => work(perMs * 1000), 0);
  });
  await page.waitForTimeout(500);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  const tasks = await stopTrace();
  console.log(describeTasks('a second of work', tasks));
  expect(longestCpuMs(tasks)).toBeGreaterThan(200);
  expect(errors).toEqual([]);
  await context.close();
});
