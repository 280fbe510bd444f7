/**
 * The editor's layout in real Chromium, as a new user meets it: the first visit opens the Iris
 * example ready to Train; at 1280×720 and 800×900 no canvas overlay (controls, mini map, gradient
 * legend) covers a node and Train is in view; below 1000 px the sidebars are drawers behind
 * toggles; "Tidy up" lays a heap out left to right; keyboard focus on a node and a wire shows;
 * every "Export as" item downloads its file.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { launchBrowser, openApp, screenshot } from './harness';
import { AUTOSAVE_KEY } from '../../src/lib/state/autosave';
import type { GraphDocument } from '../../src/lib/graph/document';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

type Box = { x: number; y: number; width: number; height: number };

const panel = (page: Page) => page.getByRole('region', { name: 'Training' });
const trainButton = (page: Page) => panel(page).getByRole('button', { name: 'Train', exact: true });

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * The boxes of every element matching `selector`, read in one go in the page: one element at a
 * time (a round trip each) would mix moments while the view pans (a palette add animates it for
 * 150 ms), and two nodes read before and after a step of the pan could seem to overlap.
 */
async function boxes(page: Page, selector: string): Promise<Box[]> {
  const all = await rectsOf(page, selector);
  return all.map(({ box }) => box).filter((box) => box.width > 0 && box.height > 0);
}

async function nodeBoxes(page: Page): Promise<Map<string, Box>> {
  const nodes = await rectsOf(page, '.svelte-flow__node');
  // Not drawn (no box), as Playwright's boundingBox() would leave out.
  return new Map(
    nodes.filter(({ box }) => box.width > 0 || box.height > 0).map(({ id, box }) => [id, box]),
  );
}

/** Each matching element's data-id and viewport box, all taken in the same frame. */
function rectsOf(page: Page, selector: string): Promise<{ id: string; box: Box }[]> {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll(sel)].map((element) => {
        const r = element.getBoundingClientRect();
        return {
          id: element.getAttribute('data-id') ?? '',
          box: { x: r.x, y: r.y, width: r.width, height: r.height },
        };
      }),
    selector,
  );
}

/** Every node under an overlay or cut off by the canvas edge; empty when all are in view. */
async function coveredNodes(page: Page): Promise<string[]> {
  const overlays = await boxes(
    page,
    '.svelte-flow__controls, .svelte-flow__minimap, .flow-legend-slot > *',
  );
  const canvas = (await page.getByRole('region', { name: 'Canvas' }).boundingBox()) as Box;
  const covered: string[] = [];
  for (const [id, box] of await nodeBoxes(page)) {
    for (const overlay of overlays)
      if (overlap(box, overlay)) covered.push(`${id} under ${JSON.stringify(overlay)}`);
    const inside =
      box.x >= canvas.x &&
      box.y >= canvas.y &&
      box.x + box.width <= canvas.x + canvas.width &&
      box.y + box.height <= canvas.y + canvas.height;
    if (!inside) covered.push(`${id} cut off by the canvas edge`);
  }
  return covered;
}

/** Wait until the fitted view has settled (two reads of the viewport transform agree). */
async function settled(page: Page) {
  const transform = () =>
    page.locator('.svelte-flow__viewport').evaluate((el) => getComputedStyle(el).transform);
  let before = '';
  await expect
    .poll(async () => {
      const now = await transform();
      const same = now === before;
      before = now;
      return same;
    })
    .toBe(true);
}

async function expectTrainInView(page: Page, height: number) {
  const box = await trainButton(page).boundingBox();
  expect(box).not.toBeNull();
  expect((box as Box).y).toBeGreaterThanOrEqual(0);
  expect((box as Box).y + (box as Box).height).toBeLessThanOrEqual(height);
}

describe('first visit and overlays', () => {
  test('1280×720: the Iris example is ready to Train, no overlay covers a node', async () => {
    const { page, errors, context } = await openApp(browser, {
      viewport: { width: 1280, height: 720 },
      firstVisit: true,
    });
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(6);
    await expect.poll(() => page.getByText(/first example/i).isVisible()).toBe(true);
    await expect.poll(() => trainButton(page).isEnabled(), { timeout: 20_000 }).toBe(true);
    await settled(page);
    await screenshot(page, 'layout-first-visit-1280x720');
    expect(await coveredNodes(page)).toEqual([]);
    await expectTrainInView(page, 720);

    // Train: the gradient legend appears; Fit view keeps the nodes clear of it too.
    await trainButton(page).click();
    await expect.poll(() => page.locator('.flow-legend').count(), { timeout: 30_000 }).toBe(1);
    await page
      .getByRole('toolbar', { name: 'Graph' })
      .getByRole('button', { name: 'Fit view' })
      .click();
    await settled(page);
    await screenshot(page, 'layout-trained-1280x720');
    expect(await coveredNodes(page)).toEqual([]);

    // A later visit restores the user's graph, not the example: move a node away, reload.
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.evaluate(
      ([key]) => {
        const saved = JSON.parse(localStorage.getItem(key) as string);
        saved.document.nodes = saved.document.nodes.slice(0, 3);
        saved.document.edges = saved.document.edges.slice(0, 2);
        localStorage.setItem(key, JSON.stringify(saved));
      },
      [AUTOSAVE_KEY],
    );
    await page.reload();
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(3);
    expect(await page.getByText(/first example/i).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('800×900: sidebars are drawers behind named toggles, the canvas has the width', async () => {
    const { page, errors, context } = await openApp(browser, {
      viewport: { width: 800, height: 900 },
      firstVisit: true,
    });
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(6);
    await settled(page);
    const canvas = await page.getByRole('region', { name: 'Canvas' }).boundingBox();
    expect((canvas as Box).width).toBeGreaterThanOrEqual(760);
    await screenshot(page, 'layout-first-visit-800x900');
    expect(await page.getByRole('region', { name: 'Node palette' }).isVisible()).toBe(false);
    expect(await coveredNodes(page)).toEqual([]);
    await expectTrainInView(page, 900);

    // Stepping shows the batch loss in the status region.
    await expect.poll(() => trainButton(page).isEnabled(), { timeout: 20_000 }).toBe(true);
    await panel(page).getByRole('button', { name: 'Step' }).click();
    await expect
      .poll(async () => (await panel(page).getByRole('status').textContent()) ?? '')
      .toMatch(/batch 1\/\d+ · batch loss \d/);

    // The palette toggle opens the drawer; Enter on an item adds a node; the drawer closes again.
    const toggle = page.getByRole('button', { name: 'Nodes' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const palette = page.getByRole('region', { name: 'Node palette' });
    expect(await palette.isVisible()).toBe(true);
    await screenshot(page, 'layout-palette-drawer-800x900');
    await palette.getByRole('button', { name: 'Dense', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(7);
    await toggle.click();
    expect(await palette.isVisible()).toBe(false);

    const inspectorToggle = page.getByRole('button', { name: 'Inspector and errors' });
    await inspectorToggle.click();
    expect(await page.getByRole('region', { name: 'Errors' }).isVisible()).toBe(true);
    // The new Dense is not wired: its error entry brings it to the middle at a readable zoom.
    const zoom = async () =>
      page
        .locator('.svelte-flow__viewport')
        .evaluate((el) => new DOMMatrix(getComputedStyle(el).transform).a);
    // Zoomed far out first, as on a large graph.
    for (let i = 0; i < 5; i++) await page.locator('.svelte-flow__controls-zoomout').click();
    await expect.poll(zoom).toBeLessThan(0.6);
    await page.getByRole('region', { name: 'Errors' }).getByRole('button').first().click();
    await expect.poll(zoom).toBeGreaterThanOrEqual(1);
    await screenshot(page, 'layout-error-focus-800x900');
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** A 8-node chain heaped at a few spots, as palette adds used to leave it. */
function heap(): GraphDocument {
  const kinds = ['input', 'dense', 'activation', 'dense', 'activation', 'dense', 'activation'];
  const params = [
    { size: 4 },
    { units: 5, init: 'xavier' },
    { fn: 'sigmoid' },
    { units: 5, init: 'xavier' },
    { fn: 'tanh' },
    { units: 3, init: 'xavier' },
    { fn: 'softmax' },
  ];
  const nodes = kinds.map((type, i) => ({
    id: `n${i + 1}`,
    type,
    position: { x: 200 + (i % 3) * 24, y: 150 + (i % 3) * 24 },
    params: params[i],
  }));
  nodes.push({
    id: 'n8',
    type: 'loss',
    position: { x: 210, y: 160 },
    params: { loss: 'cross_entropy' } as never,
  });
  const edges = nodes.slice(1).map((node, i) => ({
    id: `e${i + 1}`,
    source: `n${i + 1}`,
    target: node.id,
  }));
  return { nodes, edges } as GraphDocument;
}

describe('editing aids', () => {
  test('Tidy up lays a heap out left to right without overlaps; Undo brings the heap back', async () => {
    const { page, errors, context } = await openApp(browser);
    const document = heap();
    await page.evaluate(
      ([key, value]) => localStorage.setItem(key, value),
      [AUTOSAVE_KEY, JSON.stringify({ version: 1, document })],
    );
    await page.reload();
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(8);
    await screenshot(page, 'layout-heap-before-tidy');
    await page.getByRole('button', { name: 'Tidy up' }).click();
    await settled(page);
    const laid = await nodeBoxes(page);
    const all = [...laid.values()];
    for (let i = 0; i < all.length; i++)
      for (let j = i + 1; j < all.length; j++) expect(overlap(all[i], all[j])).toBe(false);
    for (const edge of document.edges) {
      const source = laid.get(edge.source) as Box;
      const target = laid.get(edge.target) as Box;
      expect(target.x).toBeGreaterThan(source.x + source.width);
    }
    expect(await coveredNodes(page)).toEqual([]);
    await screenshot(page, 'layout-heap-after-tidy');
    await page.getByRole('button', { name: 'Undo' }).click();
    const saved = await page.evaluate((key) => localStorage.getItem(key), AUTOSAVE_KEY);
    expect(JSON.parse(saved as string).document.nodes[1].position).toEqual(
      document.nodes[1].position,
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  test('palette adds by Enter go side by side near the centre, never on top of each other', async () => {
    const { page, errors, context } = await openApp(browser);
    const palette = page.getByRole('region', { name: 'Node palette' });
    for (const name of ['Input', 'Dense', 'Activation', 'Dense', 'Activation', 'Loss']) {
      await palette.getByRole('button', { name, exact: true }).focus();
      await page.keyboard.press('Enter');
    }
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(6);
    const all = [...(await nodeBoxes(page)).values()];
    for (let i = 0; i < all.length; i++)
      for (let j = i + 1; j < all.length; j++) expect(overlap(all[i], all[j])).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('Tab to a node and to a wire shows a focus ring, in light and dark themes', async () => {
    const { page, errors, context } = await openApp(browser, { firstVisit: true });
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(6);
    for (const theme of ['light', 'dark']) {
      if (theme === 'dark') await page.getByRole('button', { name: 'Dark theme' }).click();
      // Keyboard focus (Tab), not a click, so :focus-visible applies as it does for a user.
      await page.getByRole('button', { name: 'Dark theme' }).focus();
      let focused = '';
      for (let i = 0; i < 80 && !focused.startsWith('node'); i++) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => {
          const el = document.activeElement;
          return el?.classList.contains('svelte-flow__node')
            ? `node ${el.getAttribute('data-id')}`
            : '';
        });
      }
      expect(focused).toMatch(/^node /);
      const ring = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement as Element);
        return { outline: style.outlineStyle, width: style.outlineWidth, shadow: style.boxShadow };
      });
      expect(ring.outline).not.toBe('none');
      expect(parseFloat(ring.width)).toBeGreaterThanOrEqual(2);
      expect(ring.shadow).not.toBe('none');
      await screenshot(page, `layout-focus-node-${theme}`);
    }
    // Wires come before the nodes in the tab order: Shift+Tab from a node reaches one; its path
    // is drawn thicker than a resting one.
    let onEdge = false;
    for (let i = 0; i < 40 && !onEdge; i++) {
      await page.keyboard.press('Shift+Tab');
      onEdge = await page.evaluate(
        () => document.activeElement?.classList.contains('svelte-flow__edge') ?? false,
      );
    }
    expect(onEdge).toBe(true);
    const widths = await page.evaluate(() => {
      const focused = document.activeElement?.querySelector('.svelte-flow__edge-path');
      const other = [...document.querySelectorAll('.svelte-flow__edge')]
        .find((edge) => edge !== document.activeElement)
        ?.querySelector('.svelte-flow__edge-path');
      return [focused, other].map((path) =>
        parseFloat(getComputedStyle(path as Element).strokeWidth),
      );
    });
    expect(widths[0]).toBeGreaterThan(widths[1]);
    await screenshot(page, 'layout-focus-wire-dark');
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** A chain of `n` nodes (Input, then Dense/Activation pairs, a Loss) piled on one spot. */
function longChain(pairs: number): GraphDocument {
  const nodes: GraphDocument['nodes'] = [
    { id: 'n1', type: 'input', position: { x: 100, y: 100 }, params: { size: 4 } },
  ];
  for (let k = 0; k < pairs; k++) {
    nodes.push({
      id: `n${nodes.length + 1}`,
      type: 'dense',
      position: { x: 100 + k, y: 100 + k },
      params: { units: k === pairs - 1 ? 3 : 8, init: 'auto' },
    } as never);
    nodes.push({
      id: `n${nodes.length + 1}`,
      type: 'activation',
      position: { x: 110 + k, y: 110 + k },
      params: { fn: k === pairs - 1 ? 'softmax' : 'relu' },
    } as never);
  }
  nodes.push({
    id: `n${nodes.length + 1}`,
    type: 'loss',
    position: { x: 120, y: 120 },
    params: { loss: 'cross_entropy' },
  } as never);
  const edges = nodes.slice(1).map((node, i) => ({
    id: `e${i + 1}`,
    source: `n${i + 1}`,
    target: node.id,
  }));
  return { nodes, edges } as GraphDocument;
}

const zoomOf = async (page: Page) =>
  page
    .locator('.svelte-flow__viewport')
    .evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);

describe('small things a new user trips over', () => {
  test('Undo right after a first visit keeps the example (it is where history starts)', async () => {
    const { page, errors, context } = await openApp(browser, { firstVisit: true });
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(6);
    const undo = page.getByRole('toolbar', { name: 'Graph' }).getByRole('button', { name: 'Undo' });
    expect(await undo.isDisabled()).toBe(true);
    await page.locator('.svelte-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await page.waitForTimeout(300);
    expect(await page.locator('.svelte-flow__node').count()).toBe(6);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the first-visit notice goes away once another template is chosen', async () => {
    const { page, errors, context } = await openApp(browser, { firstVisit: true });
    await expect.poll(() => page.getByText(/first example/i).isVisible()).toBe(true);
    await page.getByLabel('Templates').selectOption({ label: 'Digits' });
    await expect.poll(() => panel(page).getByLabel('Dataset').inputValue()).toBe('digits');
    expect(await page.getByText(/first example/i).count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('in a short editor, each node added from the palette lands in the visible canvas', async () => {
    const { page, errors, context } = await openApp(browser, {
      viewport: { width: 1280, height: 520 },
    });
    await page.getByLabel('Templates').selectOption({ label: 'Iris classifier' });
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(6);
    await settled(page);
    const palette = page.getByRole('region', { name: 'Node palette' });
    const canvas = (await page.getByRole('region', { name: 'Canvas' }).boundingBox()) as Box;
    for (let k = 0; k < 5; k++) {
      await palette.getByRole('button', { name: 'Dense', exact: true }).focus();
      await page.keyboard.press('Enter');
      const id = `n${7 + k}`;
      await expect.poll(() => page.locator(`.svelte-flow__node[data-id="${id}"]`).count()).toBe(1);
      await settled(page);
      const box = (await page.locator(`.svelte-flow__node[data-id="${id}"]`).boundingBox()) as Box;
      const inside =
        box.x >= canvas.x &&
        box.y >= canvas.y &&
        box.x + box.width <= canvas.x + canvas.width &&
        box.y + box.height <= canvas.y + canvas.height;
      expect(inside, `${id} at ${JSON.stringify(box)} in ${JSON.stringify(canvas)}`).toBe(true);
    }
    const all = [...(await nodeBoxes(page)).values()];
    for (let i = 0; i < all.length; i++)
      for (let j = i + 1; j < all.length; j++) expect(overlap(all[i], all[j])).toBe(false);
    await screenshot(page, 'layout-palette-short-editor');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('Tidy up on a long chain keeps it readable: a legible zoom, starting at the Input', async () => {
    const { page, errors, context } = await openApp(browser, {
      viewport: { width: 1280, height: 720 },
    });
    const document = longChain(12);
    await page.evaluate(
      ([key, value]) => localStorage.setItem(key, value),
      [AUTOSAVE_KEY, JSON.stringify({ version: 1, document })],
    );
    await page.reload();
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(26);
    await page.getByRole('button', { name: 'Tidy up' }).click();
    await settled(page);
    await screenshot(page, 'layout-long-chain-tidy');
    // No smaller than READABLE_ZOOM (a fit of 26 nodes in one row would be the minimum, 0.2).
    expect(await zoomOf(page)).toBeGreaterThanOrEqual(0.35);
    // The chain starts in view at the left, and goes on to the right (scroll to follow it).
    const canvas = (await page.getByRole('region', { name: 'Canvas' }).boundingBox()) as Box;
    const input = (await page.locator('.svelte-flow__node[data-id="n1"]').boundingBox()) as Box;
    expect(input.x).toBeGreaterThanOrEqual(canvas.x);
    expect(input.x + input.width).toBeLessThanOrEqual(canvas.x + canvas.width / 2);
    expect(input.y).toBeGreaterThanOrEqual(canvas.y);
    expect(input.y + input.height).toBeLessThanOrEqual(canvas.y + canvas.height);
    const laid = await nodeBoxes(page);
    for (const edge of document.edges)
      expect((laid.get(edge.target) as Box).x).toBeGreaterThan((laid.get(edge.source) as Box).x);
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('graph files', () => {
  test("Import graph applies a file's training settings, and takes a file without them", async () => {
    const { page, errors, context } = await openApp(browser, { firstVisit: true });
    await expect.poll(() => trainButton(page).isEnabled(), { timeout: 20_000 }).toBe(true);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export graph' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('iris.graph.json');
    const exported = JSON.parse(readFileSync(await file.path(), 'utf8'));
    const learningRate = panel(page)
      .getByRole('group', { name: 'Settings' })
      .getByLabel('Learning rate', { exact: true });
    expect(await learningRate.inputValue()).toBe(String(exported.training.optimizer.learningRate));

    // The same graph with another learning rate: the form follows the file.
    exported.training.optimizer.learningRate = 0.25;
    const importInput = page.getByLabel('Import graph file');
    await importInput.setInputFiles({
      name: 'changed.graph.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(exported)),
    });
    await expect.poll(() => learningRate.inputValue()).toBe('0.25');
    await expect.poll(() => page.getByText(/and its training settings/).isVisible()).toBe(true);

    // Without a training block: imported, and the settings stay as they are.
    delete exported.training;
    exported.graph.nodes = exported.graph.nodes.slice(0, 2);
    exported.graph.edges = exported.graph.edges.slice(0, 1);
    exported.spec = null;
    await importInput.setInputFiles({
      name: 'bare.graph.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(exported)),
    });
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(2);
    await expect.poll(() => page.getByText(/has no training settings/).isVisible()).toBe(true);
    expect(await learningRate.inputValue()).toBe('0.25');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('Export as', () => {
  test('each item downloads its file, with the right name and type; the weights note shows', async () => {
    const { page, errors, context } = await openApp(browser, { firstVisit: true });
    // Record each downloaded blob's MIME type as the page makes it.
    await page.evaluate(() => {
      const record: string[] = [];
      (window as unknown as { blobTypes: string[] }).blobTypes = record;
      const original = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (object: Blob | MediaSource) => {
        if (object instanceof Blob) record.push(object.type);
        return original(object);
      };
    });
    await expect.poll(() => trainButton(page).isEnabled(), { timeout: 20_000 }).toBe(true);
    const menuButton = panel(page).getByRole('button', { name: /Export as/ });
    const expected = [
      ['PyTorch (.py)', /^iris-mlp\.py$/, 'text/x-python'],
      ['ONNX (.onnx)', /^iris-mlp\.onnx$/, 'application/octet-stream'],
      ['NumPy (.py)', /^iris-mlp_numpy\.py$/, 'text/x-python'],
    ] as const;
    for (const [index, [item, name, type]] of expected.entries()) {
      // By keyboard: focus the menu button, ArrowDown opens the menu on its first item.
      await menuButton.focus();
      await page.keyboard.press('ArrowDown');
      const menu = page.getByRole('menu');
      await expect.poll(() => menu.isVisible()).toBe(true);
      for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(item);
      const download = page.waitForEvent('download');
      await page.keyboard.press('Enter');
      const file = await download;
      expect(file.suggestedFilename()).toMatch(name);
      const types = await page.evaluate(
        () => (window as unknown as { blobTypes: string[] }).blobTypes,
      );
      expect(types[types.length - 1]).toBe(type);
      const bytes = readFileSync(await file.path());
      if (item.startsWith('ONNX')) expect(bytes.includes(Buffer.from('features'))).toBe(true);
      else expect(bytes.toString('utf8')).toMatch(/def predict|class \w+\(nn\.Module\)/);
      expect(await menu.count()).toBe(0);
    }
    // Never trained: the note says the export holds the initializer's weights.
    await expect
      .poll(() =>
        panel(page)
          .getByText(/no trained weights/)
          .isVisible(),
      )
      .toBe(true);
    await screenshot(page, 'layout-export-as');
    expect(errors).toEqual([]);
    await context.close();
  });
});
