import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openApp, screenshot } from './harness';

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
