/**
 * Shared set-up for browser tests: Debian's Chromium driven by playwright-core (browsers cannot be
 * downloaded here), a fresh profile per launch, and helpers to open the app and take screenshots.
 */
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { inject } from 'vitest';
import { mkdirSync } from 'node:fs';
import { AUTOSAVE_KEY } from '../../src/lib/state/autosave';
import { fileURLToPath } from 'node:url';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const SCREENSHOT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
}

/**
 * A fresh context (own localStorage) with the app loaded at `path` (default the start page).
 * By default the visitor is a returning one whose saved graph is empty, so the canvas starts
 * blank; `firstVisit: true` leaves storage empty, and the app opens with its first example.
 */
export async function openApp(
  browser: Browser,
  options: {
    path?: string;
    viewport?: { width: number; height: number };
    reducedMotion?: 'reduce' | 'no-preference';
    firstVisit?: boolean;
  } = {},
): Promise<AppPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    reducedMotion: options.reducedMotion ?? 'no-preference',
    acceptDownloads: true,
  });
  if (!options.firstVisit)
    // Only when nothing is saved yet: a reload keeps what the page saved.
    await context.addInitScript(
      ({ key, value }) => {
        if (localStorage.getItem(key) === null) localStorage.setItem(key, value);
      },
      {
        key: AUTOSAVE_KEY,
        value: JSON.stringify({ version: 1, document: { nodes: [], edges: [] } }),
      },
    );
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  await page.goto(new URL(options.path ?? '', inject('baseURL')).href);
  return { context, page, errors };
}

/** Screenshot into tests/browser/screenshots/<name>.png (git-ignored) for a person to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await page.screenshot({ path });
  return path;
}

/** Screenshot of one element (e.g. a side panel that scrolls on its own) into the same folder. */
export async function screenshotOf(target: Locator, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = `${SCREENSHOT_DIR}${name}.png`;
  await target.screenshot({ path });
  return path;
}
