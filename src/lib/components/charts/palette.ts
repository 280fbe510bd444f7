/**
 * Colours for charts on a light background, and the contrast arithmetic that picks legible text.
 *
 * Series and class colours come from the Okabe–Ito palette (Okabe & Ito, "Color Universal
 * Design", 2008), which stays distinguishable under the common colour-vision deficiencies.
 * Its yellow is left out: it has too little contrast against white.
 */

/** Train series: Okabe–Ito blue (5.1:1 against white). Drawn solid. */
export const TRAIN_COLOUR = '#0072B2';
/** Test series: Okabe–Ito vermillion (3.9:1 against white). Drawn dashed. */
export const TEST_COLOUR = '#D55E00';
/** Dash pattern that tells the test series apart without relying on colour. */
export const TEST_DASH = '6 4';

/** Ink for axes, labels and outlines (≈ 12.6:1 against white). */
export const INK = '#333333';
/** Muted ink for secondary text (≈ 7.5:1 against white, still AA). */
export const INK_MUTED = '#555555';

/** Class colours in order: blue, vermillion, green, reddish purple, orange, sky blue, grey. */
export const CLASS_COLOURS = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#7F7F7F',
] as const;

/** Colour of class `index`; cycles when there are more classes than colours. */
export function classColour(index: number): string {
  const n = CLASS_COLOURS.length;
  return CLASS_COLOURS[((index % n) + n) % n];
}

export type Rgb = [r: number, g: number, b: number];

/** Parses `#rgb` or `#rrggbb` into 0–255 channels. */
export function parseHexColour(hex: string): Rgb {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`Not a hex colour: "${hex}" (expected #rgb or #rrggbb)`);
  const digits =
    m[1].length === 3
      ? m[1]
          .split('')
          .map((c) => c + c)
          .join('')
      : m[1];
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)) as Rgb;
}

/** Parses the `rgb(r, g, b)` strings that d3-interpolate returns, or a hex colour. */
export function parseColour(colour: string): Rgb {
  const m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/i.exec(colour.trim());
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return parseHexColour(colour);
}

/**
 * Relative luminance as WCAG 2 defines it:
 * channel c = v/255; linear = c/12.92 if c <= 0.04045 else ((c+0.055)/1.055)^2.4;
 * L = 0.2126 R + 0.7152 G + 0.0722 B.
 */
export function relativeLuminance([r, g, b]: Rgb): number {
  const linear = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio (L_lighter + 0.05) / (L_darker + 0.05), from 1 to 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

const BLACKISH: Rgb = [17, 17, 17];
const WHITE: Rgb = [255, 255, 255];

/** The text colour, near-black or white, with more contrast against `background`. */
export function textColourOn(background: string): '#111111' | '#ffffff' {
  const bg = parseColour(background);
  return contrastRatio(bg, BLACKISH) >= contrastRatio(bg, WHITE) ? '#111111' : '#ffffff';
}
