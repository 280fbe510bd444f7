/**
 * The backprop inspector in real Chromium: load "Two dense layers", Step once, click the first
 * Dense node, open "Backprop". Every term shows with its shape; hovering a δ cell shows its
 * product; hovering dC/dW highlights the A_in and δ columns it came from; the numbers equal
 * `cli grad` on the same batch (exported from the page with the model file) to 1e-12; turning on
 * "sum instead of mean" makes Check gradients fail, with the first differing term marked; the
 * scaler fitted before the split starts training over and Check gradients still passes.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { GradOutput } from '../../src/cli/commands/grad';
import { createWorkspace, type Workspace } from '../unit/cli/helpers';
import { launchBrowser, openApp, screenshot, screenshotOf } from './harness';

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

// Tall, so the side panel grown for the screenshots fits without scrolling (a scroll would move the hover).
const WIDE = { width: 1600, height: 2700 };
const trainingPanel = (page: Page) => page.getByRole('region', { name: 'Training' });
const gradientsPanel = (page: Page) => page.getByRole('region', { name: 'Gradients' });
const term = (page: Page, name: string) => page.locator(`figure.term[data-term="${name}"]`);
const cell = (t: Locator, row: number, col: number) =>
  t.locator(`td[data-row="${row}"][data-col="${col}"]`);

/** Every shown value of a term's heatmap, row-major. */
async function termValues(t: Locator): Promise<number[]> {
  return t
    .locator('td[role="gridcell"]')
    .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-value'))));
}

async function download(page: Page, click: () => Promise<void>, name: string): Promise<string> {
  const pending = page.waitForEvent('download');
  await click();
  const file = await pending;
  const path = ws.path(name);
  await file.saveAs(path);
  return path;
}

/** The element's text with runs of white space as one space. */
const text = (l: Locator) => l.textContent().then((t) => (t ?? '').replace(/\s+/g, ' ').trim());
const POLL = { timeout: 20_000 };

function expectWithin(actual: number[], expected: number[], tol: number) {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]) / scale).toBeLessThan(tol));
}

describe('the Backprop tab', () => {
  test('terms, hover arithmetic, cli grad on the same batch, and a common mistake', async () => {
    const { page, errors, context } = await openApp(browser, { viewport: WIDE });
    try {
      await page.getByLabel('Templates').selectOption({ label: 'Two dense layers' });
      const step = trainingPanel(page).getByRole('button', { name: 'Step', exact: true });
      await expect.poll(() => step.isEnabled(), { timeout: 30_000 }).toBe(true);
      await step.click();

      // The first Dense node of the chain n1 → n2 (Dense 5) → n3 → n4 → n5 → n6.
      await page.locator('.svelte-flow__node[data-id="n2"]').click();
      await page.getByRole('tab', { name: 'Backprop' }).click();
      await expect
        .poll(() => page.getByRole('tab', { name: 'Backprop' }).getAttribute('aria-selected'))
        .toBe('true');
      const panel = page.getByRole('tabpanel', { name: 'Backprop' });
      await expect.poll(() => panel.locator('.batch').getAttribute('data-update'), POLL).toBe('1');

      // Every term, with its full shape (batch 8, 4 features, 5 units).
      const shapes: [string, string][] = [
        ['A_in', '8 × 4'],
        ['W', '4 × 5'],
        ['b', '(5)'],
        ['Z', '8 × 5'],
        ['A_out', '8 × 5'],
        ['dC/dA_out', '8 × 5'],
        ["f'(Z)", '8 × 5'],
        ['delta', '8 × 5'],
        ['dC/dW', '4 × 5'],
        ['dC/db', '(5)'],
        ['dC/dA_in', '8 × 4'],
      ];
      const shown = await panel
        .locator('figure.term')
        .evaluateAll((f) => f.map((e) => e.getAttribute('data-term')));
      expect(shown).toEqual(shapes.map(([name]) => name));
      for (const [name, shape] of shapes) {
        expect(await text(term(page, name).locator('.shape'))).toBe(shape);
        expect(await term(page, name).getByRole('grid').getAttribute('aria-label')).toMatch(
          new RegExp(`, ${shape.replace(/[()]/g, '\\$&')}$`),
        );
      }
      expect(await panel.getByText('What to look at: Two dense layers').isVisible()).toBe(true);
      await screenshot(page, 'backprop-terms');
      // For the screenshots of the side panel: let it grow to its content instead of scrolling.
      await page.addStyleTag({
        content:
          '.app.with-panels .workspace { height: auto !important } .side { overflow: visible !important }',
      });

      // Hovering δ[3,1] shows dC/dA_out[3,1] × f'(Z)[3,1] with the numbers of those cells.
      const delta = term(page, 'delta');
      await cell(delta, 3, 1).hover();
      const product = await text(delta.locator('.explain'));
      expect(product).toMatch(/^δ\[3,1\] = dC\/dA_out\[3,1\] × f'\(Z\)\[3,1\] = \S+ × \S+ = \S+$/);
      const dA = Number(await cell(term(page, 'dC/dA_out'), 3, 1).getAttribute('data-value'));
      const fz = Number(await cell(term(page, "f'(Z)"), 3, 1).getAttribute('data-value'));
      const d = Number(await cell(delta, 3, 1).getAttribute('data-value'));
      expect(Math.abs(d - dA * fz)).toBeLessThanOrEqual(1e-15 * Math.abs(d) + 1e-300);
      // The sigmoid's derivative is A(1 − A), at most 1/4.
      expect(fz).toBeGreaterThan(0);
      expect(fz).toBeLessThanOrEqual(0.25);
      await screenshotOf(page.locator('.side'), 'backprop-hover-delta');

      // By keyboard: the grid's cell takes focus, arrow keys move, focus explains like hovering.
      await page.mouse.move(0, 0);
      await cell(delta, 0, 0).focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowRight');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(
        /^δ\[1,1\] = /,
      );
      expect(await text(delta.locator('.explain'))).toMatch(/^δ\[1,1\] = dC\/dA_out\[1,1\] × /);

      // Hovering dC/dW[2,1] lights column 2 of A_in and column 1 of δ, nothing else.
      await cell(term(page, 'dC/dW'), 2, 1).hover();
      const lit = async (name: string) =>
        term(page, name)
          .locator('td.lit')
          .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-col')));
      expect(await lit('A_in')).toEqual(Array(8).fill('2'));
      expect(await lit('delta')).toEqual(Array(8).fill('1'));
      expect(await text(term(page, 'dC/dW').locator('.explain'))).toContain(
        'dC/dW[2,1] = Σ_i A_in[i,2] × δ[i,1] =',
      );
      await screenshotOf(page.locator('.side'), 'backprop-hover-dcdw');

      // The same batch and weights through `cli grad`.
      const csv = await download(
        page,
        () => panel.getByRole('button', { name: 'Export batch as CSV' }).click(),
        'batch.csv',
      );
      expect(readFileSync(csv, 'utf8').trimEnd().split('\n')).toHaveLength(9);
      const model = await download(
        page,
        () => trainingPanel(page).getByRole('button', { name: 'Export model' }).click(),
        'two.model.json',
      );
      const run = await ws.cli(['grad', '--model', model, '--data', csv, '--json']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const cli: GradOutput = JSON.parse(run.stdout);
      const cliW = cli.gradients.n2.W.flat();
      const cliB = cli.gradients.n2.b;
      expectWithin(await termValues(term(page, 'dC/dW')), cliW, 1e-12);
      expectWithin(await termValues(term(page, 'dC/db')), cliB, 1e-12);

      // A common mistake: sum instead of mean.
      await panel.getByRole('checkbox', { name: 'Show a common mistake' }).check();
      await panel.getByRole('radio', { name: 'Sum instead of mean over the batch' }).check();
      await gradientsPanel(page).getByRole('button', { name: 'Check gradients' }).click();
      await expect
        .poll(() => text(gradientsPanel(page).locator('.verdict')), POLL)
        .toMatch(/^Failed/);
      const status = panel.getByRole('status', { name: 'First difference' });
      await expect.poll(() => text(status), POLL).toContain('fails');
      // The marked term is the one the message names, and it is the first backward term of this
      // node whose numbers changed: the forward terms stay, dC/dA_out is already 8× too large.
      const marked = panel.locator('figure.term.diverges');
      await expect.poll(() => marked.count(), POLL).toBe(1);
      const markedName = await marked.getAttribute('data-term');
      expect(markedName).toBe('dC/dA_out');
      expect(await status.locator(`strong[data-term="${markedName}"]`).isVisible()).toBe(true);
      expect(await text(status)).toContain('first part from the correct ones at dC/dA_out[0,0]:');
      expect(await text(status)).toContain(
        'In the whole network the first term to differ is the fused loss gradient (P − T)/B of node n6.',
      );
      // The numbers shown are the mistaken ones: dC/dW is B = 8 times cli grad's.
      expectWithin(
        await termValues(term(page, 'dC/dW')),
        cliW.map((v) => 8 * v),
        1e-12,
      );
      await marked.scrollIntoViewIfNeeded();
      // The fields form is hidden while the Backprop tab is open.
      expect(await page.locator('#inspector-panel-fields').isVisible()).toBe(false);
      await screenshotOf(page.locator('.side'), 'backprop-mistake-sum');

      // Off again: the check passes and nothing is marked.
      await panel.getByRole('checkbox', { name: 'Show a common mistake' }).uncheck();
      await expect.poll(() => panel.locator('figure.term.diverges').count(), POLL).toBe(0);
      await gradientsPanel(page).getByRole('button', { name: 'Check gradients' }).click();
      await expect
        .poll(() => text(gradientsPanel(page).locator('.verdict')), POLL)
        .toMatch(/^Passed/);
      expectWithin(await termValues(term(page, 'dC/dW')), cliW, 1e-12);

      // The Loss node: P, T, C and the fused gradient.
      await page.locator('.svelte-flow__node[data-id="n6"]').click();
      await panel.locator('figure.term[data-term="fused"]').waitFor();
      const lossC = Number(await term(page, 'C').locator('.value').getAttribute('data-value'));
      expect(Math.abs(lossC - cli.loss) / cli.loss).toBeLessThan(1e-12);
      await screenshotOf(page.locator('.side'), 'backprop-loss');

      // The fourth mistake lives in the data: the maths stays right, so Check gradients passes.
      await panel.getByRole('checkbox', { name: 'Show a common mistake' }).check();
      expect(await panel.getByRole('radio').count()).toBe(4);
      await panel.getByRole('radio', { name: 'Scaler fitted before the split' }).check();
      // Training started over on the new scaling: the first batch, before any step.
      await expect.poll(() => panel.locator('.batch').getAttribute('data-update'), POLL).toBe('0');
      await gradientsPanel(page).getByRole('button', { name: 'Check gradients' }).click();
      await expect
        .poll(() => text(gradientsPanel(page).locator('.verdict')), POLL)
        .toMatch(/^Passed/);
      expect(await panel.locator('figure.term.diverges').count()).toBe(0);
      await screenshotOf(page.locator('.side'), 'backprop-mistake-scaler');

      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
