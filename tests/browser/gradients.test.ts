/**
 * Gradients in real Chromium: the wires, node bars and legend on the canvas are drawn from the
 * numbers the worker sent (the same ones the gradients panel lists); Step plays the backward pass
 * layer by layer from the loss to the input; a deep sigmoid network on digits is diagnosed with
 * vanishing gradients while the same depth with ReLU and He initialisation is not; reduced
 * motion keeps everything still; Check gradients agrees with finite differences below 1e-6.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openApp, screenshot, screenshotOf } from './harness';
import { flowColour, flowWidth, backwardOrder } from '../../src/lib/gradients/flow-encoding';
import { formatGradient } from '../../src/lib/components/gradients/format';
import { AUTOSAVE_KEY } from '../../src/lib/state/autosave';
import type { GraphDocument, GraphNode } from '../../src/lib/graph/document';
import type { ActivationName, InitName } from '../../src/lib/engine/spec';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
// A test that fails midway must not leave its worker training while the next one runs.
const open: BrowserContext[] = [];
afterEach(async () => {
  for (const context of open.splice(0)) await context.close().catch(() => undefined);
});

/** openApp, with the context closed after the test whatever happens. */
async function openPage(options: Parameters<typeof openApp>[1] = {}) {
  const app = await openApp(browser, { viewport: WIDE, ...options });
  open.push(app.context);
  return app;
}

const WIDE = { width: 1600, height: 1000 };

const trainingPanel = (page: Page) => page.getByRole('region', { name: 'Training' });
const gradientsPanel = (page: Page) => page.getByRole('region', { name: 'Gradients' });
const legend = (page: Page) => page.getByRole('figure', { name: 'Gradient flow legend' });
const button = (page: Page, name: string) =>
  trainingPanel(page).getByRole('button', { name, exact: true });

async function statusText(page: Page): Promise<string> {
  return ((await trainingPanel(page).getByRole('status').textContent()) ?? '').trim();
}

/** The Iris template with enough epochs that a run lasts until it is paused (a few seconds). */
async function loadIrisTemplate(page: Page) {
  await page.getByLabel('Templates').selectOption({ label: 'Iris classifier' });
  await expect.poll(() => trainingPanel(page).getByLabel('Dataset').inputValue()).toBe('iris');
  await setEpochs(page, 5000);
  await expect.poll(() => button(page, 'Train').isEnabled()).toBe(true);
}

/**
 * Pause a run (it may have reached its last epoch already) and wait until it has stopped. The
 * run can end between looking at the button and clicking it (the button turns back into Train):
 * so the click waits only briefly, and the status says whether the run stopped either way.
 */
async function pauseIfRunning(page: Page) {
  const pause = button(page, 'Pause');
  // Generous: a loaded machine can take seconds to make the button actionable.
  await pause.click({ timeout: 10_000 }).catch(() => undefined);
  await expect.poll(() => statusText(page)).toMatch(/· (paused|done)( · |$)/);
}

async function setEpochs(page: Page, epochs: number) {
  await trainingPanel(page)
    .getByRole('group', { name: 'Settings' })
    .getByLabel('Epochs', { exact: true })
    .fill(String(epochs));
}

/** The chain input → (dense + activation) × depth → dense 10 → softmax → cross-entropy. */
function deepChain(depth: number, fn: ActivationName, init: InitName): GraphDocument {
  const links: Pick<GraphNode, 'type' | 'params'>[] = [{ type: 'input', params: { size: 64 } }];
  for (let i = 0; i < depth; i++) {
    links.push({ type: 'dense', params: { units: 32, init } });
    links.push({ type: 'activation', params: { fn } });
  }
  links.push({ type: 'dense', params: { units: 10, init } });
  links.push({ type: 'activation', params: { fn: 'softmax' } });
  links.push({ type: 'loss', params: { loss: 'cross_entropy' } });
  const nodes = links.map((link, i) => ({
    ...link,
    id: `n${i + 1}`,
    // Two rows, so the chain stays readable when the canvas fits it into view.
    position: { x: (i % 10) * 210, y: Math.floor(i / 10) * 260 },
  })) as GraphNode[];
  const edges = nodes
    .slice(1)
    .map((node, i) => ({ id: `e${i + 1}`, source: nodes[i].id, target: node.id }));
  return { nodes, edges };
}

/** Open the app with `doc` restored from the autosave, and digits chosen as the dataset. */
async function openWithGraph(doc: GraphDocument, options: Parameters<typeof openApp>[1] = {}) {
  const app = await openPage(options);
  await app.page.evaluate(
    ([key, value]) => localStorage.setItem(key, value),
    [AUTOSAVE_KEY, JSON.stringify({ version: 1, document: doc })],
  );
  await app.page.reload();
  await trainingPanel(app.page).getByLabel('Dataset').selectOption('digits');
  await expect.poll(() => button(app.page, 'Train').isEnabled(), { timeout: 20_000 }).toBe(true);
  return app;
}

/** What the gradients panel lists for the latest update: ‖dC/dW‖ per dense layer id. */
async function panelNorms(page: Page): Promise<Record<string, { value: number; text: string }>> {
  const cells = gradientsPanel(page).locator('tr[data-layer] td[data-stat="gradWNorm"]');
  const result: Record<string, { value: number; text: string }> = {};
  for (const cell of await cells.all()) {
    const id = await cell.evaluate((el) => el.closest('tr')?.getAttribute('data-layer') ?? '');
    result[id] = {
      value: Number(await cell.getAttribute('data-value')),
      text: ((await cell.textContent()) ?? '').trim(),
    };
  }
  return result;
}

async function legendState(page: Page) {
  const l = legend(page);
  return {
    domain: [
      Number(await l.getAttribute('data-domain-lo')),
      Number(await l.getAttribute('data-domain-hi')),
    ] as [number, number],
    animating: (await l.getAttribute('data-animating')) === 'true',
    update: Number(await l.getAttribute('data-update')),
  };
}

/** Every gradient wire: the layer and number it shows, and how it is drawn. */
async function wires(page: Page) {
  return page.locator('path.gradient-flow').evaluateAll((paths) =>
    paths.map((p) => ({
      edge: p.closest('.svelte-flow__edge')?.getAttribute('data-id') ?? '',
      kind: p.getAttribute('data-grad-kind') ?? '',
      norm: Number(p.getAttribute('data-grad-norm')),
      width: Number(p.getAttribute('stroke-width')),
      colour: p.getAttribute('stroke') ?? '',
      title:
        p.closest('.svelte-flow__edge')?.querySelector(':scope > title.gradient-title')
          ?.textContent ?? '',
    })),
  );
}

/** The update number the panel's table shows ("Update 12: per dense layer"). */
async function panelUpdate(page: Page): Promise<number> {
  const caption = await gradientsPanel(page).locator('table.layer-stats caption').textContent();
  return Number(/Update (\d+)/.exec(caption ?? '')?.[1] ?? NaN);
}

describe('gradient flow on the canvas', () => {
  test('wire widths, colours and node bars agree with the numbers the worker sent', async () => {
    const { page, errors } = await openPage();
    await loadIrisTemplate(page);
    await button(page, 'Train').click();
    // While training, passes play: the legend reports movement at some point.
    await expect
      .poll(async () => (await legendState(page)).animating, { timeout: 15_000, interval: 50 })
      .toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'gradients-training');
    await pauseIfRunning(page);
    // The last pass ends and shows the update the panel lists.
    await expect
      .poll(
        async () => {
          const s = await legendState(page);
          return !s.animating && s.update === (await panelUpdate(page));
        },
        { timeout: 10_000 },
      )
      .toBe(true);

    const { domain } = await legendState(page);
    const listed = await panelNorms(page);
    const drawn = await wires(page);
    // Iris: 5 wires; dense layers n2 and n4 (the template's ids follow the chain).
    expect(drawn).toHaveLength(5);
    expect(Object.keys(listed).length).toBe(2);
    for (const wire of drawn) {
      // Each wire shows the ‖dC/dA‖ sent back along it, drawn on the legend's scale.
      expect(wire.kind, `wire ${wire.edge}`).toBe('wire');
      expect(wire.norm).toBeGreaterThan(0);
      expect(wire.width).toBeCloseTo(flowWidth(wire.norm, domain), 2);
      expect(wire.colour).toBe(flowColour(wire.norm, domain));
      // Hovering the wire shows its number.
      expect(wire.title).toContain(`: ${formatGradient(wire.norm)} (update`);
    }
    // The wires carry different gradients: the encoding is not decoration.
    expect(new Set(drawn.map((w) => w.norm)).size).toBeGreaterThan(1);
    const [a, b] = Object.values(listed).map((r) => r.value);
    expect(a).not.toBe(b);
    // Node bars carry the same numbers.
    for (const [id, row] of Object.entries(listed)) {
      const bar = page.locator(`.svelte-flow__node[data-id="${id}"] [role="meter"]`);
      expect(Number(await bar.getAttribute('data-grad-norm'))).toBe(row.value);
      expect(await bar.getAttribute('aria-valuetext')).toBe(row.text);
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'gradients-paused');
    expect(errors).toEqual([]);
  });

  test('Step plays the backward pass layer by layer, from the loss back to the input', async () => {
    const { page, errors } = await openPage();
    await loadIrisTemplate(page);
    // Record when each node's flash lights up (opacity > 0.5), sampled every animation frame
    // from just before Step is pressed.
    const watching = page.evaluate(async () => {
      const start = performance.now();
      const lit: Record<string, number> = {};
      while (performance.now() - start < 4500) {
        for (const flash of document.querySelectorAll<HTMLElement>('.grad-flash')) {
          const id = flash.closest('.svelte-flow__node')?.getAttribute('data-id') ?? '';
          if (lit[id] === undefined && Number(getComputedStyle(flash).opacity) > 0.5)
            lit[id] = performance.now() - start;
        }
        await new Promise(requestAnimationFrame);
      }
      return lit;
    });
    await button(page, 'Step').click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(1000);
    await screenshot(page, 'gradients-step');
    const litAt = await watching;
    expect(await statusText(page)).toMatch(/paused/);
    const order = ['n6', 'n5', 'n4', 'n3', 'n2', 'n1'];
    expect(Object.keys(litAt).sort()).toEqual([...order].sort());
    const times = order.map((id) => litAt[id]);
    for (let i = 1; i < times.length; i++) {
      // Each layer lights after the one before it (backprop order), paced (about 400 ms apart);
      // only a lower bound far from the noise is asserted, so a loaded machine cannot fail it.
      expect(times[i] - times[i - 1]).toBeGreaterThan(150);
    }
    // The spec's backward order is the one just watched.
    expect(
      backwardOrder({
        input: { id: 'n1', size: 4 },
        layers: ['n2', 'n3', 'n4', 'n5'].map((id) => ({
          id,
          type: 'activation',
          inputs: [],
          fn: 'sigmoid',
          size: 1,
        })),
        loss: { id: 'n6', type: 'cross_entropy', inputs: [] },
      }),
    ).toEqual(order);
    expect(errors).toEqual([]);
  });

  test('reduced motion: the encoding is drawn, nothing moves', async () => {
    const { page, errors } = await openPage({ reducedMotion: 'reduce' });
    await loadIrisTemplate(page);
    await expect(
      gradientsPanel(page)
        .getByText(/asks for reduced motion/)
        .isVisible(),
    ).resolves.toBe(true);
    await button(page, 'Train').click();
    // Sample the page every frame for 2 s of training: no pass moves, no pulse shows, no flash.
    const seen = await page.evaluate(async () => {
      const start = performance.now();
      const result = { frames: 0, animating: 0, pulses: 0, flashes: 0, wires: 0, animations: 0 };
      while (performance.now() - start < 2000) {
        result.frames++;
        const legend = document.querySelector('[aria-label="Gradient flow legend"]');
        if (legend?.getAttribute('data-animating') === 'true') result.animating++;
        for (const c of document.querySelectorAll('.gradient-pulse'))
          if (Number(getComputedStyle(c).opacity) > 0) result.pulses++;
        for (const f of document.querySelectorAll<HTMLElement>('.grad-flash'))
          if (Number(getComputedStyle(f).opacity) > 0) result.flashes++;
        result.wires = Math.max(
          result.wires,
          document.querySelectorAll('path.gradient-flow').length,
        );
        result.animations += document.getAnimations().length;
        await new Promise(requestAnimationFrame);
      }
      return result;
    });
    expect(seen.frames).toBeGreaterThan(10);
    expect(seen.wires).toBe(5);
    expect(seen).toMatchObject({ animating: 0, pulses: 0, flashes: 0, animations: 0 });
    await pauseIfRunning(page);
    // Static, yet exact: widths and colours already match the listed numbers.
    await expect
      .poll(async () => (await legendState(page)).update === (await panelUpdate(page)))
      .toBe(true);
    const { domain } = await legendState(page);
    const listed = await panelNorms(page);
    expect(Object.keys(listed).length).toBe(2);
    for (const wire of await wires(page)) {
      expect(wire.width).toBeCloseTo(flowWidth(wire.norm, domain), 2);
      expect(wire.colour).toBe(flowColour(wire.norm, domain));
    }
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'gradients-reduced-motion');
    expect(errors).toEqual([]);
  });
});

test('"Animate gradient flow" off: each update is drawn at once, nothing moves', async () => {
  const { page, errors } = await openPage();
  await loadIrisTemplate(page);
  const toggle = gradientsPanel(page).getByRole('checkbox', { name: 'Animate gradient flow' });
  expect(await toggle.isChecked()).toBe(true);
  await toggle.uncheck();
  await button(page, 'Train').click();
  const seen = await page.evaluate(async () => {
    const start = performance.now();
    const result = { frames: 0, animating: 0, pulses: 0, updates: new Set<string>() };
    while (performance.now() - start < 1500) {
      result.frames++;
      const legend = document.querySelector('[aria-label="Gradient flow legend"]');
      if (legend?.getAttribute('data-animating') === 'true') result.animating++;
      result.updates.add(legend?.getAttribute('data-update') ?? '');
      for (const c of document.querySelectorAll('.gradient-pulse'))
        if (Number(getComputedStyle(c).opacity) > 0) result.pulses++;
      await new Promise(requestAnimationFrame);
    }
    return { ...result, updates: result.updates.size };
  });
  expect(seen.frames).toBeGreaterThan(10);
  expect(seen).toMatchObject({ animating: 0, pulses: 0 });
  // The canvas kept up with the updates meanwhile (many distinct ones were drawn).
  expect(seen.updates).toBeGreaterThan(5);
  await pauseIfRunning(page);
  expect(errors).toEqual([]);
});

describe('diagnostics', () => {
  const vanishing = (page: Page) => gradientsPanel(page).locator('[data-diagnostic="vanishing"]');

  test('8 × Dense 32 + Sigmoid with Xavier init on digits: vanishing gradients', async () => {
    const { page, errors } = await openWithGraph(deepChain(8, 'sigmoid', 'xavier'));
    await button(page, 'Train').click();
    await expect.poll(() => vanishing(page).count(), { timeout: 30_000 }).toBe(1);
    const text = (await vanishing(page).textContent()) ?? '';
    expect(text).toMatch(/Gradients reaching Dense n2 are [\d,]+× smaller than at the output/);
    expect(text).toMatch(/Try ReLU with He initialisation/);
    // The badge is on the first dense layer's node too.
    await expect
      .poll(() =>
        page.locator('.svelte-flow__node[data-id="n2"] [data-diagnostic="vanishing"]').count(),
      )
      .toBe(1);
    await screenshot(page, 'gradients-vanishing-canvas');
    // "Show Dense n2" in the panel selects that node on the canvas.
    await vanishing(page).getByRole('button', { name: 'Show Dense n2' }).click();
    await expect
      .poll(() => page.locator('.svelte-flow__node[data-id="n2"]').getAttribute('class'))
      .toMatch(/\bselected\b/);
    await gradientsPanel(page).scrollIntoViewIfNeeded();
    await screenshot(page, 'gradients-vanishing-panel');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'gradients-vanishing-dark');
    await pauseIfRunning(page);
    // The panel's own numbers show it: first dense layer below 1e-3 × the output layer.
    const listed = await panelNorms(page);
    expect(listed.n2.value).toBeLessThan(1e-3 * listed.n18.value);
    expect(errors).toEqual([]);
  });

  test('with Normal init (std 1) the warning follows the numbers, not the recipe', async () => {
    // Standard-normal weights are large enough to offset the sigmoid slopes: in this engine the
    // first layer's gradient stays within 1e-3 of the output layer's, so no warning is due. The
    // panel's own numbers must say the same as the diagnosis, update after update.
    const { page, errors } = await openWithGraph(deepChain(8, 'sigmoid', 'normal'));
    await button(page, 'Train').click();
    await expect.poll(() => panelUpdate(page), { timeout: 20_000 }).toBeGreaterThan(50);
    await pauseIfRunning(page);
    const listed = await panelNorms(page);
    const ratio = listed.n2.value / listed.n18.value;
    expect(ratio).toBeGreaterThan(1e-3);
    expect(await vanishing(page).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  test('the same depth with ReLU and He initialisation: no vanishing gradients', async () => {
    const { page, errors } = await openWithGraph(deepChain(8, 'relu', 'he'));
    await button(page, 'Train').click();
    // Watch a good stretch of training (well past the 5 updates the check needs).
    let everVanishing = false;
    let updates = 0;
    const until = Date.now() + 8000;
    while (Date.now() < until || updates < 100) {
      everVanishing ||= (await vanishing(page).count()) > 0;
      updates = (await panelUpdate(page)) || 0;
      await page.waitForTimeout(150);
      if (Date.now() > until + 30_000) break;
    }
    expect(updates).toBeGreaterThanOrEqual(100);
    expect(everVanishing).toBe(false);
    await pauseIfRunning(page);
    const listed = await panelNorms(page);
    expect(listed.n2.value).toBeGreaterThan(1e-3 * listed.n18.value);
    await screenshot(page, 'gradients-relu-he');
    expect(errors).toEqual([]);
  });
});

test('8 × Dense 32 + ReLU with Normal init: exploding gradients, in the panel and on the nodes', async () => {
  // Standard-normal weights multiply the signal by about 4 per ReLU layer of 32 units, so the
  // very first update already carries gradient norms far above 1e3.
  const { page, errors } = await openWithGraph(deepChain(8, 'relu', 'normal'));
  await button(page, 'Step').click();
  const exploding = gradientsPanel(page).locator('[data-diagnostic="exploding"]');
  await expect.poll(() => exploding.count(), { timeout: 20_000 }).toBe(1);
  expect(await exploding.textContent()).toMatch(/Lower the learning rate/);
  // Every flagged node's norm, as the panel lists it, is above 1e3 (or no longer a number).
  const listed = await panelNorms(page);
  const flagged = await page
    .locator('.svelte-flow__node:has([data-diagnostic="exploding"])')
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id') ?? ''));
  expect(flagged.length).toBeGreaterThan(0);
  for (const id of flagged) {
    const v = listed[id].value;
    expect(Number.isNaN(v) || v > 1e3).toBe(true);
  }
  // Its mark is drawn (SVG, not an emoji a system font may lack: ⛔ was an empty box in
  // Debian's fonts), in the panel and on a flagged node (smaller there: the canvas is zoomed out),
  // one em square.
  const marks = [
    exploding.locator('[data-severity-icon]'),
    page.locator('.svelte-flow__node [data-diagnostic="exploding"] [data-severity-icon]').first(),
  ];
  for (const mark of marks) {
    expect(await mark.getAttribute('data-severity-icon')).toMatch(/^(error|warning)$/);
    const box = await mark.boundingBox();
    expect(box?.width).toBeGreaterThan(3);
    expect(box?.height).toBeCloseTo(box?.width ?? 0, 1);
  }
  await screenshotOf(exploding, 'gradients-exploding-diagnosis');
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'gradients-exploding');
  expect(errors).toEqual([]);
});

test('Check gradients: backprop agrees with finite differences below 1e-6', async () => {
  const { page, errors } = await openPage();
  await loadIrisTemplate(page);
  await button(page, 'Step').click();
  await expect.poll(() => statusText(page)).toMatch(/paused/);
  await gradientsPanel(page).getByRole('button', { name: 'Check gradients' }).click();
  const rows = gradientsPanel(page)
    .getByRole('table', { name: 'Gradient check per layer' })
    .locator('tr[data-layer]');
  await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
  for (const row of await rows.all()) {
    const error = Number(await row.getAttribute('data-max-relative-error'));
    expect(Number.isFinite(error)).toBe(true);
    expect(error).toBeLessThan(1e-6);
  }
  await expect(
    gradientsPanel(page)
      .getByText(/^Passed:/)
      .isVisible(),
  ).resolves.toBe(true);
  await gradientsPanel(page).scrollIntoViewIfNeeded();
  await screenshot(page, 'gradients-check');
  expect(errors).toEqual([]);
});

test('during a run the diagnostics keep their height, filled by the all-clear message; a pause releases it', async () => {
  const { page, errors } = await openPage();
  await loadIrisTemplate(page);
  await setEpochs(page, 100_000);
  await button(page, 'Train').click();
  const slot = gradientsPanel(page).locator('.diagnostics-slot');
  const allClear = gradientsPanel(page).getByText(
    'No gradient problems seen in the recent updates.',
  );
  await expect.poll(() => allClear.isVisible(), { timeout: 20_000 }).toBe(true);
  await expect.poll(() => slot.evaluate((el) => (el as HTMLElement).style.minHeight)).not.toBe('');
  const natural = (await slot.boundingBox())!.height;
  // As if a warning 150 px tall had come and gone: the slot is held at that height.
  await slot.evaluate((el, h) => ((el as HTMLElement).style.minHeight = `${h}px`), natural + 150);
  await page.waitForTimeout(400);
  expect(await statusText(page)).not.toMatch(/· (paused|done)( · |$)/);
  const held = (await slot.boundingBox())!;
  const message = (await allClear.boundingBox())!;
  expect(held.height).toBeCloseTo(natural + 150, 0);
  // The message's box reaches the bottom of the held space: no blank gap under it.
  expect(message.y + message.height).toBeCloseTo(held.y + held.height, 0);
  expect(message.height).toBeGreaterThan(150);
  await gradientsPanel(page).scrollIntoViewIfNeeded();
  await screenshot(page, 'gradients-diagnostics-held');
  await pauseIfRunning(page);
  await expect.poll(() => slot.evaluate((el) => (el as HTMLElement).style.minHeight)).toBe('');
  await expect.poll(async () => (await slot.boundingBox())!.height).toBeCloseTo(natural, 0);
  expect(errors).toEqual([]);
});
