/**
 * The canvas editor in real Chromium: build the iris network from an empty canvas with the mouse,
 * read the shapes on the edges, break it and read the error on the node, refuse a cycle, and
 * survive reloads, undo/redo, templates and a corrupt autosave.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { launchBrowser, openApp, screenshot } from './harness';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const node = (page: Page, id: string) => page.locator(`.svelte-flow__node[data-id="${id}"]`);

/** Drag a palette item onto the canvas, releasing at (x, y) relative to the canvas's top-left. */
async function dragFromPalette(page: Page, name: string, x: number, y: number) {
  const palette = page.getByRole('region', { name: 'Node palette' });
  await palette.getByRole('button', { name, exact: true }).dragTo(page.locator('.svelte-flow'), {
    targetPosition: { x, y },
  });
}

async function centreOf(page: Page, selector: string) {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Draw a connection with the mouse from `from`'s output handle towards `to`'s input handle. */
async function startConnection(page: Page, from: string, to: string) {
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
}

async function connect(page: Page, from: string, to: string) {
  await startConnection(page, from, to);
  await page.mouse.up();
}

async function edgeLabels(page: Page): Promise<Record<string, string>> {
  const labels = page.locator('.svelte-flow__edge-label[data-edge-id]');
  const result: Record<string, string> = {};
  for (const label of await labels.all()) {
    result[(await label.getAttribute('data-edge-id')) as string] = (await label.innerText()).trim();
  }
  return result;
}

/** A labelled field of the inspector. */
const field = (page: Page, label: string) =>
  page.getByRole('region', { name: 'Inspector' }).getByLabel(label, { exact: true });

/** Click a node's title so it becomes the (only) selection. */
async function selectNode(page: Page, id: string) {
  await node(page, id).locator('.node-title').click();
}

describe('canvas editor', () => {
  test('builds the iris network from an empty canvas by drag-and-drop, then edits it', async () => {
    const { page, errors, context } = await openApp(browser, {
      viewport: { width: 1920, height: 1080 },
    });
    await page.getByRole('heading', { name: 'Backprop Studio' }).waitFor();
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(0);

    // One row, left to right, as a newcomer would read the network.
    const order = ['Input', 'Dense', 'Activation', 'Dense', 'Activation', 'Loss'];
    for (const [index, name] of order.entries()) {
      await dragFromPalette(page, name, 110 + index * 215, 200 + (index % 2) * 60);
    }
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(6);
    for (const [id, kind] of [
      ['n1', 'input'],
      ['n2', 'dense'],
      ['n3', 'activation'],
      ['n4', 'dense'],
      ['n5', 'activation'],
      ['n6', 'loss'],
    ]) {
      await expect(node(page, id).getAttribute('class')).resolves.toContain(
        `svelte-flow__node-${kind}`,
      );
    }

    await connect(page, 'n1', 'n2');
    await connect(page, 'n2', 'n3');
    await connect(page, 'n3', 'n4');
    await connect(page, 'n4', 'n5');
    await connect(page, 'n5', 'n6');
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(5);

    // Parameters through the inspector's labelled fields.
    // The Input takes its size from the chosen dataset (iris, 4 features) and says so.
    await selectNode(page, 'n1');
    await expect.poll(() => field(page, 'Size').inputValue()).toBe('4');
    await expect(field(page, 'Size').isDisabled()).resolves.toBe(true);
    await expect(node(page, 'n1').innerText()).resolves.toContain('from the dataset');
    await selectNode(page, 'n2');
    await field(page, 'Units').fill('5');
    await selectNode(page, 'n3');
    // Alpha only for leaky ReLU and ELU: the default stands in, and compile checks the range.
    await expect(field(page, 'Alpha (α)').count()).resolves.toBe(0);
    await field(page, 'Function').selectOption('leaky_relu');
    await expect.poll(() => field(page, 'Alpha (α)').inputValue()).toBe('0.01');
    await field(page, 'Alpha (α)').fill('20');
    await expect.poll(() => node(page, 'n3').innerText()).toContain('from 0 to 10');
    await field(page, 'Alpha (α)').fill('0.2');
    await expect.poll(() => node(page, 'n3').getAttribute('aria-invalid')).not.toBe('true');
    await field(page, 'Function').selectOption('sigmoid');
    await expect.poll(() => field(page, 'Alpha (α)').count()).toBe(0);
    await selectNode(page, 'n4');
    await field(page, 'Units').fill('3');
    await selectNode(page, 'n5');
    await field(page, 'Function').selectOption('softmax');
    await selectNode(page, 'n6');
    await field(page, 'Loss').selectOption('cross_entropy');

    const labels = await edgeLabels(page);
    expect(Object.values(labels).sort()).toEqual(['B × 3', 'B × 3', 'B × 4', 'B × 5', 'B × 5']);
    await expect
      .poll(() => page.locator('.svelte-flow__node[aria-invalid="true"]').count())
      .toBe(0);
    await expect(page.getByRole('region', { name: 'Errors' }).innerText()).resolves.toContain(
      'No errors',
    );
    await expect(node(page, 'n2').innerText()).resolves.toContain('4 × 5');
    await screenshot(page, 'canvas-iris-built-1920');

    // Remove the softmax and wire the last Dense straight into the loss: the loss node explains.
    await selectNode(page, 'n5');
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(5);
    await connect(page, 'n4', 'n6');
    const lossNode = node(page, 'n6');
    await expect(lossNode.getAttribute('aria-invalid')).resolves.toBe('true');
    const lossText = await lossNode.innerText();
    expect(lossText).toMatch(/softmax/i);
    const errorEntry = page.getByRole('region', { name: 'Errors' }).getByRole('button').first();
    await expect(errorEntry.innerText()).resolves.toMatch(/softmax/i);
    await screenshot(page, 'canvas-missing-softmax');
    // Clicking the entry selects and focuses the node it is about.
    await errorEntry.click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-id')))
      .toBe('n6');

    // Undo brings the softmax back (undo the connection, then the delete); redo removes it again.
    await page.locator('.svelte-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(6);
    await expect
      .poll(() => page.locator('.svelte-flow__node[aria-invalid="true"]').count())
      .toBe(0);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(5);
    await page.keyboard.press('Control+y');
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(4);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(5);

    // Reload: the autosaved graph comes back with the same shapes.
    await page.reload();
    await page.locator('.svelte-flow__node').first().waitFor();
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(6);
    // The Input's size comes from the dataset, which the worker reloads after the graph shows.
    await expect.poll(() => edgeLabels(page)).toEqual(labels);
    await expect
      .poll(() => page.locator('.svelte-flow__node[aria-invalid="true"]').count())
      .toBe(0);

    expect(errors).toEqual([]);
    await context.close();
  });

  test('refuses a connection that would make a cycle, saying why', async () => {
    const { page, errors, context } = await openApp(browser);
    await page.getByRole('heading', { name: 'Backprop Studio' }).waitFor();
    await dragFromPalette(page, 'Dense', 150, 150);
    // The node lands where it was released: the pointer is on its title.
    const flowBox = await page.locator('.svelte-flow').boundingBox();
    const titleBox = await node(page, 'n1').locator('.node-title').boundingBox();
    if (!flowBox || !titleBox) throw new Error('canvas or node not visible');
    expect(flowBox.x + 150).toBeGreaterThan(titleBox.x);
    expect(flowBox.x + 150).toBeLessThan(titleBox.x + titleBox.width);
    expect(flowBox.y + 150).toBeGreaterThan(titleBox.y);
    expect(flowBox.y + 150).toBeLessThan(titleBox.y + titleBox.height);
    await dragFromPalette(page, 'Dense', 450, 150);
    await dragFromPalette(page, 'Activation', 300, 380);
    await connect(page, 'n1', 'n2');
    await connect(page, 'n2', 'n3');
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(2);

    await startConnection(page, 'n3', 'n1');
    const alert = page.locator('.refusal');
    await expect.poll(() => alert.innerText()).toMatch(/cycle|loop/i);
    await screenshot(page, 'canvas-cycle-refused');
    await page.mouse.up();
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(2);

    // Into an Input and out of a Loss are refused too.
    // (Right of the others: the editor leaves room below it for the top of the training panel.)
    await dragFromPalette(page, 'Input', 650, 150);
    await dragFromPalette(page, 'Loss', 650, 380);
    await expect
      .poll(() => node(page, 'n4').locator('.svelte-flow__handle.target').count())
      .toBe(0);
    await expect
      .poll(() => node(page, 'n5').locator('.svelte-flow__handle.source').count())
      .toBe(0);

    expect(errors).toEqual([]);
    await context.close();
  });

  test('selects several nodes with Shift-drag, duplicates them (Ctrl+D), deletes them (Backspace)', async () => {
    const { page, errors, context } = await openApp(browser);
    await page.getByRole('heading', { name: 'Backprop Studio' }).waitFor();
    await dragFromPalette(page, 'Dense', 150, 150);
    await dragFromPalette(page, 'Activation', 420, 150);
    await connect(page, 'n1', 'n2');
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(1);

    const flowBox = await page.locator('.svelte-flow').boundingBox();
    if (!flowBox) throw new Error('no canvas');
    await page.keyboard.down('Shift');
    await page.mouse.move(flowBox.x + 20, flowBox.y + 40);
    await page.mouse.down();
    await page.mouse.move(flowBox.x + 600, flowBox.y + 340, { steps: 10 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    await expect.poll(() => page.locator('.svelte-flow__node.selected').count()).toBe(2);
    const inspector = page.getByRole('region', { name: 'Inspector' });
    await expect(inspector.innerText()).resolves.toContain('2 nodes selected');

    await page.keyboard.press('Control+d');
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(4);
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(2);
    // The copies are the selection now; Backspace deletes them and their wire.
    await expect
      .poll(() =>
        page
          .locator('.svelte-flow__node.selected')
          .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id'))),
      )
      .toEqual(['n3', 'n4']);
    await page.keyboard.press('Backspace');
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(2);
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(4);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('builds and wires a network with the keyboard alone', async () => {
    const { page, errors, context } = await openApp(browser);
    await page.getByRole('heading', { name: 'Backprop Studio' }).waitFor();
    const palette = page.getByRole('region', { name: 'Node palette' });
    for (const name of ['Input', 'Dense', 'Loss']) {
      await palette.getByRole('button', { name, exact: true }).focus();
      await page.keyboard.press('Enter');
    }
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(3);
    // Nodes take keyboard focus; Enter selects the focused one.
    await node(page, 'n2').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => field(page, 'Input from').count()).toBe(1);
    await field(page, 'Input from').focus();
    await field(page, 'Input from').selectOption('n1');
    // An empty field is flagged where it is typed; a number out of range is explained on the node.
    await field(page, 'Units').fill('');
    await expect(field(page, 'Units').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByText('Enter a number.').count()).resolves.toBe(1);
    await field(page, 'Units').fill('0');
    await expect.poll(() => node(page, 'n2').getAttribute('aria-invalid')).toBe('true');
    await expect(node(page, 'n2').innerText()).resolves.toMatch(/Units must be from 1 to 4096/);
    await field(page, 'Units').fill('3');
    await node(page, 'n3').focus();
    await page.keyboard.press('Enter');
    await field(page, 'Input from').selectOption('n2');
    await field(page, 'Loss').selectOption('mse');
    // Undo works while a select still has the focus (it has no undo of its own).
    await field(page, 'Loss').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => field(page, 'Loss').inputValue()).toBe('cross_entropy');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => field(page, 'Loss').inputValue()).toBe('mse');
    await expect
      .poll(async () => Object.values(await edgeLabels(page)).sort())
      .toEqual(['B × 3', 'B × 4']);
    await expect(page.locator('.svelte-flow__node[aria-invalid="true"]').count()).resolves.toBe(0);
    // A Loss feeds nothing, so it is not offered as an input.
    await node(page, 'n2').focus();
    await page.keyboard.press('Enter');
    await expect(field(page, 'Input from').locator('option[value="n3"]').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('adds nodes from the keyboard and loads templates (undoably)', async () => {
    const { page, errors, context } = await openApp(browser);
    await page.getByRole('heading', { name: 'Backprop Studio' }).waitFor();
    const palette = page.getByRole('region', { name: 'Node palette' });
    await palette.getByRole('button', { name: 'Dense', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.svelte-flow__node-dense').count()).toBe(1);
    // The new node lands inside the visible canvas.
    const canvasBox = await page.locator('.svelte-flow').boundingBox();
    const nodeBox = await page.locator('.svelte-flow__node-dense').boundingBox();
    expect(canvasBox && nodeBox).toBeTruthy();
    if (canvasBox && nodeBox) {
      expect(nodeBox.x).toBeGreaterThan(canvasBox.x);
      expect(nodeBox.x + nodeBox.width).toBeLessThan(canvasBox.x + canvasBox.width);
      expect(nodeBox.y).toBeGreaterThan(canvasBox.y);
      expect(nodeBox.y + nodeBox.height).toBeLessThan(canvasBox.y + canvasBox.height);
    }

    const templates = page.getByLabel('Templates');
    const offered = await templates.locator('option').allInnerTexts();
    for (const name of ['Iris classifier', 'XOR', 'Digits', 'Runge regression']) {
      expect(offered).toContain(name);
    }
    await templates.selectOption({ label: 'Iris classifier' });
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(6);
    await expect
      .poll(() => page.locator('.svelte-flow__node[aria-invalid="true"]').count())
      .toBe(0);
    const iris = Object.values(await edgeLabels(page)).sort();
    expect(iris).toEqual(['B × 3', 'B × 3', 'B × 4', 'B × 5', 'B × 5']);
    // The whole template is in view.
    const flowBox = await page.locator('.svelte-flow').boundingBox();
    for (const box of await Promise.all(
      (await page.locator('.svelte-flow__node').all()).map((n) => n.boundingBox()),
    )) {
      expect(box && flowBox).toBeTruthy();
      if (box && flowBox) {
        expect(box.x).toBeGreaterThanOrEqual(flowBox.x);
        expect(box.x + box.width).toBeLessThanOrEqual(flowBox.x + flowBox.width);
      }
    }
    await selectNode(page, 'n4');
    await expect(field(page, 'Units')).toBeTruthy();
    await screenshot(page, 'canvas-iris-template-1280');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await screenshot(page, 'canvas-iris-template-dark-1280');
    await page.getByRole('button', { name: 'Dark theme' }).click();

    await templates.selectOption({ label: 'Digits' });
    await expect.poll(() => page.locator('.svelte-flow__node-input').innerText()).toContain('64');
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(async () => Object.values(await edgeLabels(page)).sort()).toEqual(iris);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(1);

    expect(errors).toEqual([]);
    await context.close();
  });

  test('a corrupt saved graph is ignored with a notice, not a blank page', async () => {
    const { page, errors, context } = await openApp(browser);
    await page.evaluate(() =>
      localStorage.setItem('backprop-studio.graph.v1', '{"version":1,"doc'),
    );
    await page.reload();
    await page.getByRole('heading', { name: 'Backprop Studio' }).waitFor();
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'could not be restored' }).count())
      .toBe(1);
    await expect.poll(() => page.locator('.svelte-flow__node').count()).toBe(0);
    // The editor still works.
    await page
      .getByRole('region', { name: 'Node palette' })
      .getByRole('button', { name: 'Input' })
      .click();
    await expect.poll(() => page.locator('.svelte-flow__node-input').count()).toBe(1);
    await screenshot(page, 'canvas-corrupt-notice');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('exports the graph as a model file without weights and imports it; a bad file changes nothing', async () => {
    const first = await openApp(browser);
    const { page } = first;
    await page.getByRole('heading', { name: 'Backprop Studio' }).waitFor();
    await page.getByLabel('Templates').selectOption({ label: 'Iris classifier' });
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(5);
    const irisLabels = await edgeLabels(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export graph' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.graph\.json$/);
    const path = await download.path();
    const text = readFileSync(path, 'utf8');
    const file = JSON.parse(text) as Record<string, unknown> & {
      graph: { nodes: { id: string; type: string }[]; edges: unknown[] };
      spec: { input: { size: number }; layers: { type: string }[]; loss: { type: string } };
    };
    expect(file.format).toBe('backprop-studio.model');
    expect(file.version).toBe(2);
    expect(file.weights ?? null).toBeNull();
    expect(file.graph.nodes.map((n) => n.type)).toEqual([
      'input',
      'dense',
      'activation',
      'dense',
      'activation',
      'loss',
    ]);
    expect(file.graph.edges).toHaveLength(5);
    expect(file.spec.input.size).toBe(4);
    expect(file.spec.loss.type).toBe('cross_entropy');
    expect(first.errors).toEqual([]);
    await first.context.close();

    // A fresh page (empty storage) imports the file and shows the same network.
    const second = await openApp(browser, { viewport: { width: 1920, height: 1080 } });
    const page2 = second.page;
    await page2.getByRole('heading', { name: 'Backprop Studio' }).waitFor();
    const importInput = page2.getByLabel('Import graph file');
    await importInput.setInputFiles({
      name: 'iris.model.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await expect.poll(() => page2.locator('.svelte-flow__edge').count()).toBe(5);
    await expect.poll(() => edgeLabels(page2)).toEqual(irisLabels);
    await expect
      .poll(() => page2.locator('.svelte-flow__node[aria-invalid="true"]').count())
      .toBe(0);

    // A file that is not a model file: the reason is shown where the user looks; nothing changes.
    const broken = { ...JSON.parse(text), format: 'something-else' };
    await importInput.setInputFiles({
      name: 'broken.model.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(broken)),
    });
    const notice = page2.getByRole('alert').filter({ hasText: 'was not imported' });
    await expect.poll(() => notice.count()).toBe(1);
    await expect(notice.innerText()).resolves.toMatch(/format/);
    // Valid JSON, but a wire to a node that does not exist.
    const dangling = JSON.parse(text) as { graph: { edges: { target: string }[] } };
    dangling.graph.edges[0].target = 'n99';
    await importInput.setInputFiles({
      name: 'dangling.model.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(dangling)),
    });
    await expect.poll(() => notice.innerText()).toMatch(/n99/);
    await expect.poll(() => page2.locator('.svelte-flow__node').count()).toBe(6);
    await expect(edgeLabels(page2)).resolves.toEqual(irisLabels);
    await screenshot(page2, 'canvas-import-refused-1920');
    expect(second.errors).toEqual([]);
    await second.context.close();
  });
});
