/**
 * Contrast of the page's colour pairs (src/app.css), light and dark, against WCAG 2.2: 4.5:1 for
 * text (1.4.3) and 3:1 for the parts of controls and graphics one must see (1.4.11).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const css = readFileSync(new URL('../../../src/app.css', import.meta.url), 'utf8');

/** The custom properties declared in the block that starts with `selector {`. */
function variables(selector: string): Map<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no ${selector} block in app.css`);
  const block = css.slice(start, css.indexOf('}', start));
  return new Map(
    [...block.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()] as const),
  );
}

const light = variables(':root');
const dark = new Map([...light, ...variables(":root[data-theme='dark']")]);

/** sRGB channel -> linear light (WCAG's relative luminance). */
function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function luminance(hex: string): number {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = parseInt(match[1], 16);
  const [r, g, b] = [n >> 16, (n >> 8) & 255, n & 255].map(linear);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** [foreground, background, minimum ratio]: every pair the page draws. */
const PAIRS: [string, string, number][] = [
  ...['--bg', '--surface', '--surface-raised', '--surface-hover', '--info-bg'].map(
    (bg): [string, string, number] => ['--text', bg, 4.5],
  ),
  ...['--bg', '--surface', '--surface-raised', '--surface-sunken'].map(
    (bg): [string, string, number] => ['--text-muted', bg, 4.5],
  ),
  ['--error-text', '--error-bg', 4.5],
  ['--error-text', '--surface', 4.5],
  ['--ok-text', '--surface-raised', 4.5],
  // Outlines, handles, wires, field borders.
  ['--accent', '--surface', 3],
  ['--accent', '--bg', 3],
  ['--error', '--surface', 3],
  ['--error', '--bg', 3],
  ['--border-strong', '--surface', 3],
  ['--edge', '--bg', 3],
  ...['--kind-input', '--kind-dense', '--kind-activation', '--kind-loss'].map(
    (kind): [string, string, number] => [kind, '--surface', 3],
  ),
];

describe.each([
  ['light', light],
  ['dark', dark],
])('%s theme', (_name, theme) => {
  test.each(PAIRS)('%s on %s reaches %s:1', (fg, bg, minimum) => {
    const ratio = contrast(theme.get(fg) as string, theme.get(bg) as string);
    expect(ratio).toBeGreaterThanOrEqual(minimum);
  });
});
