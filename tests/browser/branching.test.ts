/**
 * Branching graphs in real Chromium, as a user: drag an Add onto the canvas and wire a skip
 * connection around two layers, read the shapes and the Add's shape error on the canvas, train,
 * and see the gradient split at the Add (both wires into it carry their own ‖dC/dA‖, and a pulse
 * runs along each). Then "Deep sigmoid" against "Deep sigmoid + skip connections" on digits:
 * the first-to-last gradient ratio read from the gradients panel, and the vanishing warning.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openApp, screenshot } from './harness';
import { AUTOSAVE_KEY } from '../../src/lib/state/autosave';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
const open: BrowserContext[] = [];
afterEach(async () => {
  for (const context of open.splice(0)) await context.close().catch(() => undefined);
});

async function openPage() {
  const app = await openApp(browser, { viewport: { width: 1600, height: 1000 } });
  open.push(app.context);
  return app;
}

const node = (page: Page, id: string) => page.locator(`.svelte-flow__node[data-id="${id}"]`);
const trainingPanel = (page: Page) => page.getByRole('region', { name: 'Training' });
const gradientsPanel = (page: Page) => page.getByRole('region', { name: 'Gradients' });
const inspector = (page: Page) => page.getByRole('region', { name: 'Inspector' });
const button = (page: Page, name: string) =>
  trainingPanel(page).getByRole('button', { name, exact: true });

async function statusText(page: Page): Promise<string> {
  return ((await trainingPanel(page).getByRole('status').textContent()) ?? '').trim();
}

async function centreOf(page: Page, selector: string) {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Draw a wire with the mouse from `from`'s output handle to `to`'s input handle. */
async function connect(page: Page, from: string, to: string) {
  const start = await centreOf(
    page,
    `.svelte-flow__node[data-id="${from}"] .svelte-flow__handle.source`,
  );
  const end = await centreOf(
    page,
    `.svelte-flow__node[data-id="${to}"] .svelte-flow__handle.target`,
  );
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2 + 20, { steps: 5 });
  await page.mouse.move(end.x, end.y, { steps: 8 });
  await page.mouse.up();
}

/** The edge id of the wire source -> target (its shape label names both ends). */
async function edgeId(page: Page, source: string, target: string): Promise<string> {
  const label = page.locator(
    `.svelte-flow__edge-label[data-source="${source}"][data-target="${target}"]`,
  );
  await expect.poll(() => label.count()).toBe(1);
  return (await label.getAttribute('data-edge-id')) as string;
}

/** The gradient drawn under the wire `id`: its number and what it is. */
async function wireGradient(page: Page, id: string) {
  const path = page.locator(`.svelte-flow__edge[data-id="${id}"] path.gradient-flow`);
  if ((await path.count()) === 0) return null;
  return {
    norm: Number(await path.getAttribute('data-grad-norm')),
    kind: await path.getAttribute('data-grad-kind'),
    width: Number(await path.getAttribute('stroke-width')),
  };
}

async function edgeLabel(page: Page, id: string): Promise<string> {
  return (await page.locator(`.svelte-flow__edge-label[data-edge-id="${id}"]`).innerText()).trim();
}

/** The update number the gradients panel's table shows ("Update 12: per dense layer"). */
async function panelUpdate(page: Page): Promise<number> {
  const caption = await gradientsPanel(page).locator('table.layer-stats caption').textContent();
  return Number(/Update (\d+)/.exec(caption ?? '')?.[1] ?? NaN);
}

/** ‖dC/dW‖ per dense layer as the panel lists it, in table (network) order. */
async function panelNorms(page: Page): Promise<{ id: string; value: number; text: string }[]> {
  const cells = gradientsPanel(page).locator('tr[data-layer] td[data-stat="gradWNorm"]');
  const rows = [];
  for (const cell of await cells.all()) {
    rows.push({
      id: await cell.evaluate((el) => el.closest('tr')?.getAttribute('data-layer') ?? ''),
      value: Number(await cell.getAttribute('data-value')),
      text: ((await cell.textContent()) ?? '').trim(),
    });
  }
  return rows;
}

async function pauseIfRunning(page: Page) {
  await button(page, 'Pause')
    .click({ timeout: 1000 })
    .catch(() => undefined);
  await expect.poll(() => statusText(page)).toMatch(/· (paused|done)( · |$)/);
}

describe('a skip connection built by hand', () => {
  test('drag an Add, wire it around two layers, read shapes and errors, train, see the split', async () => {
    const { page, errors } = await openPage();
    await page.getByLabel('Templates').selectOption({ label: 'Iris classifier' });
    await expect.poll(() => trainingPanel(page).getByLabel('Dataset').inputValue()).toBe('iris');
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(6);

    // Drag an Add from the palette into the free space under the chain.
    const palette = page.getByRole('region', { name: 'Node palette' });
    const flowBox = await page.locator('.svelte-flow').boundingBox();
    if (!flowBox) throw new Error('no canvas');
    await palette
      .getByRole('button', { name: 'Add', exact: true })
      .dragTo(page.locator('.svelte-flow'), {
        targetPosition: { x: flowBox.width * 0.62, y: flowBox.height * 0.8 },
      });
    await expect.poll(() => page.locator('.svelte-flow__node-add').count()).toBe(1);
    const add = (await page.locator('.svelte-flow__node-add').getAttribute('data-id')) as string;

    // A skip around Dense n2 + Sigmoid n3: the Input (B × 4) and the sigmoid (B × 5) into the Add.
    await connect(page, 'n3', add);
    await connect(page, 'n1', add);
    await expect.poll(() => page.locator(`.svelte-flow__edge`).count()).toBe(7);
    // Two wires into one handle: the Add lists them in wire order.
    await expect.poll(() => node(page, add).innerText()).toMatch(/Inputs\s*2/);
    // The shapes differ, and the Add says so, naming both sides.
    await expect
      .poll(() => node(page, add).innerText())
      .toContain('Add needs inputs of one shape: n3 gives B × 5, n1 gives B × 4');
    await expect(node(page, add).getAttribute('aria-invalid')).resolves.toBe('true');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'branching-add-shape-error');

    // Give the skipped Dense the Input's width: the error goes, both wires carry B × 4.
    await node(page, 'n2').locator('.node-title').click();
    await inspector(page).getByLabel('Units', { exact: true }).fill('4');
    await expect.poll(() => node(page, add).innerText()).not.toContain('Add needs inputs');
    // The Add now feeds Dense n4 in place of the sigmoid (the inspector's "Input from").
    await node(page, 'n4').locator('.node-title').click();
    await inspector(page).getByLabel('Input from', { exact: true }).selectOption(add);
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(7);
    await expect
      .poll(() => page.locator('.svelte-flow__node[aria-invalid="true"]').count())
      .toBe(0);

    const skip = await edgeId(page, 'n1', add);
    const deep = await edgeId(page, 'n3', add);
    const out = await edgeId(page, add, 'n4');
    expect(await edgeLabel(page, skip)).toBe('B × 4');
    expect(await edgeLabel(page, deep)).toBe('B × 4');
    expect(await edgeLabel(page, out)).toBe('B × 4');

    // Train a little and pause: every wire shows the gradient flowing back along it.
    await button(page, 'Train').click();
    await expect.poll(() => panelUpdate(page), { timeout: 30_000 }).toBeGreaterThan(20);
    // While training, a pulse runs along both wires into the Add (the pass splits there).
    const pulses = await page.evaluate(async (target) => {
      const seen = new Set<string>();
      const start = performance.now();
      while (performance.now() - start < 5000 && seen.size < 2) {
        for (const dot of document.querySelectorAll(`.gradient-pulse[data-target="${target}"]`))
          if (Number(getComputedStyle(dot).opacity) > 0.2)
            seen.add(dot.getAttribute('data-source') ?? '');
        await new Promise(requestAnimationFrame);
      }
      return [...seen].sort();
    }, add);
    expect(pulses).toEqual(['n1', 'n3']);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'branching-add-training');
    await pauseIfRunning(page);
    await expect
      .poll(async () => (await wireGradient(page, skip))?.kind ?? null, { timeout: 10_000 })
      .toBe('wire');
    const intoAddSkip = await wireGradient(page, skip);
    const intoAddDeep = await wireGradient(page, deep);
    const fromAdd = await wireGradient(page, out);
    // Both wires into the Add carry a gradient of their own (the Add sends each dC/dy, which is
    // the gradient leaving it towards Dense n4).
    expect(intoAddSkip?.norm).toBeGreaterThan(0);
    expect(intoAddDeep?.norm).toBeGreaterThan(0);
    expect(intoAddDeep?.kind).toBe('wire');
    // An Add passes dC/dy unchanged to each input: equal numbers on both wires into it.
    expect(intoAddSkip?.norm).toBeCloseTo(intoAddDeep?.norm ?? NaN, 12);
    expect(fromAdd?.norm).toBeGreaterThan(0);
    // Behind the Add, the Input receives two parts: straight from the Add and back through n2.
    const intoDense = await wireGradient(page, await edgeId(page, 'n1', 'n2'));
    expect(intoDense?.norm).toBeGreaterThan(0);
    expect(intoDense?.norm).not.toBe(intoAddSkip?.norm);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'branching-add-paused');
    expect(errors).toEqual([]);
  });
});

describe('Concat and wiring refusals', () => {
  test('a Concat shows its wire order; the inspector reorders it by keyboard; refusals are live', async () => {
    const { page, errors } = await openPage();
    await page.getByLabel('Templates').selectOption({ label: 'Wide and deep' });
    await expect.poll(() => page.locator('.svelte-flow__node-concat').count()).toBe(1);
    const concat = (await page
      .locator('.svelte-flow__node-concat')
      .getAttribute('data-id')) as string;
    // The template wires the Input first, then the deep path's ReLU (n5): 13 + 16 columns.
    await expect.poll(() => node(page, concat).innerText()).toMatch(/Order\s*1: n1, 2: n5/);
    await expect.poll(() => node(page, concat).innerText()).toMatch(/Out\s*B × 29/);

    await node(page, concat).locator('.node-title').click();
    const inputs = inspector(page).getByRole('list', { name: `Inputs of ${concat}, in order` });
    await expect
      .poll(() => inputs.getByRole('listitem').allInnerTexts())
      .toEqual([
        expect.stringContaining('1: Input n1'),
        expect.stringContaining('2: Activation n5'),
      ]);
    // Keyboard only: focus "Move input n5 up" and press Enter.
    const up = inspector(page).getByRole('button', { name: 'Move input n5 up' });
    await up.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => node(page, concat).innerText()).toMatch(/Order\s*1: n5, 2: n1/);
    await expect(
      inspector(page).getByRole('button', { name: 'Move input n5 up' }).isDisabled(),
    ).resolves.toBe(true);
    // The order is the graph's own: the autosaved document lists the wire from n5 first.
    const saved = await page.evaluate((key) => localStorage.getItem(key) ?? '', AUTOSAVE_KEY);
    const { document } = JSON.parse(saved) as {
      document: { edges: { source: string; target: string }[] };
    };
    expect(
      document.edges.filter((edge) => edge.target === concat).map((edge) => edge.source),
    ).toEqual(['n5', 'n1']);
    // Undo brings the old order back.
    await page.keyboard.press('Control+z');
    await expect.poll(() => node(page, concat).innerText()).toMatch(/Order\s*1: n1, 2: n5/);

    // A second wire into a Dense is refused while dragging, with the reason.
    const start = await centreOf(
      page,
      `.svelte-flow__node[data-id="n1"] .svelte-flow__handle.source`,
    );
    const end = await centreOf(
      page,
      `.svelte-flow__node[data-id="n4"] .svelte-flow__handle.target`,
    );
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    await page.mouse.move((start.x + end.x) / 2, (start.y + end.y) / 2 + 20, { steps: 5 });
    await page.mouse.move(end.x, end.y, { steps: 8 });
    const alert = page.getByRole('region', { name: 'Canvas' }).getByRole('alert');
    await expect
      .poll(() => alert.innerText())
      .toContain(
        "Can't connect: Dense already has an input; remove that wire first, or join both with an Add or a Concat.",
      );
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'branching-concat-refusal');
    await page.mouse.up();
    // But a third wire into the Concat is fine: merge nodes take several.
    const edges = await page.locator('.svelte-flow__edge').count();
    await connect(page, 'n3', concat);
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(edges + 1);
    await expect.poll(() => node(page, concat).innerText()).toMatch(/Order\s*1: n1, 2: n5, 3: n3/);
    await expect.poll(() => node(page, concat).innerText()).toMatch(/Out\s*B × 45/);
    expect(errors).toEqual([]);
  });
});

describe('Dropout', () => {
  test('its rate is edited in the inspector and shown on the node; 1 is refused on the node', async () => {
    const { page, errors } = await openPage();
    const palette = page.getByRole('region', { name: 'Node palette' });
    await palette
      .getByRole('button', { name: 'Dropout', exact: true })
      .dragTo(page.locator('.svelte-flow'), { targetPosition: { x: 300, y: 200 } });
    await expect.poll(() => page.locator('.svelte-flow__node-dropout').count()).toBe(1);
    const id = (await page.locator('.svelte-flow__node-dropout').getAttribute('data-id')) as string;
    await expect.poll(() => node(page, id).innerText()).toMatch(/Rate\s*0\.5/);
    await node(page, id).locator('.node-title').click();
    const rate = inspector(page).getByLabel('Rate', { exact: true });
    await rate.fill('0.2');
    await expect.poll(() => node(page, id).innerText()).toMatch(/Rate\s*0\.2/);
    await rate.fill('1');
    await expect
      .poll(() => node(page, id).innerText())
      .toContain('Rate must be a number from 0 up to (not including) 1.');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'branching-dropout-rate');
    expect(errors).toEqual([]);
  });
});

describe('deep sigmoid with and without skip connections on digits', () => {
  const vanishing = (page: Page) => gradientsPanel(page).locator('[data-diagnostic="vanishing"]');

  const UPDATES = 50;

  /** Train `template` UPDATES updates; the first-to-last ‖dC/dW‖ ratio the panel lists, and the warning. */
  async function firstToLast(template: string, shot: string) {
    const { page, errors } = await openPage();
    await page.getByLabel('Templates').selectOption({ label: template });
    await expect.poll(() => trainingPanel(page).getByLabel('Dataset').inputValue()).toBe('digits');
    await expect.poll(() => button(page, 'Train').isEnabled(), { timeout: 20_000 }).toBe(true);
    // Exactly UPDATES updates with the template's own settings, one Step at a time.
    for (let update = 1; update <= UPDATES; update++) {
      await expect.poll(() => button(page, 'Step').isEnabled(), { timeout: 20_000 }).toBe(true);
      await button(page, 'Step').click();
      await expect.poll(() => panelUpdate(page), { timeout: 20_000 }).toBe(update);
    }
    const rows = await panelNorms(page);
    const first = rows[0];
    const last = rows[rows.length - 1];
    const warned = (await vanishing(page).count()) > 0;
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, shot);
    expect(errors).toEqual([]);
    return {
      update: await panelUpdate(page),
      first,
      last,
      ratio: first.value / last.value,
      warned,
      warning: warned ? ((await vanishing(page).first().textContent()) ?? '').trim() : '',
    };
  }

  test('"Deep sigmoid" warns of vanishing gradients; "+ skip connections" does not', async () => {
    const plain = await firstToLast('Deep sigmoid', 'branching-deep-sigmoid');
    const skip = await firstToLast(
      'Deep sigmoid + skip connections',
      'branching-deep-sigmoid-skip',
    );
    console.log(
      `Deep sigmoid (update ${plain.update}): first ${plain.first.id} ${plain.first.text}, last ${plain.last.id} ${plain.last.text}, first/last = ${plain.ratio.toExponential(3)}; vanishing warning: ${plain.warned ? plain.warning : 'none'}`,
    );
    console.log(
      `Deep sigmoid + skip connections (update ${skip.update}): first ${skip.first.id} ${skip.first.text}, last ${skip.last.id} ${skip.last.text}, first/last = ${skip.ratio.toExponential(3)}; vanishing warning: ${skip.warned ? skip.warning : 'none'}`,
    );
    expect(plain.warned).toBe(true);
    expect(skip.warned).toBe(false);
    // The skips bring the first layer's gradient back by orders of magnitude.
    expect(skip.ratio).toBeGreaterThan(100 * plain.ratio);
  });
});
