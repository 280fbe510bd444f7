import { describe, expect, it } from 'vitest';
import {
  CLASS_COLOURS,
  INK,
  INK_MUTED,
  TEST_COLOUR,
  TRAIN_COLOUR,
  classColour,
  contrastRatio,
  parseColour,
  parseHexColour,
  relativeLuminance,
  textColourOn,
} from '../../../src/lib/components/charts/palette';

const WHITE = [255, 255, 255] as const;

describe('parseHexColour / parseColour', () => {
  it('reads six- and three-digit hex and d3 rgb() strings', () => {
    expect(parseHexColour('#0072B2')).toEqual([0, 114, 178]);
    expect(parseHexColour('#fa0')).toEqual([255, 170, 0]);
    expect(parseColour('rgb(8, 48, 107)')).toEqual([8, 48, 107]);
  });
  it('rejects what is not a colour, naming it', () => {
    expect(() => parseHexColour('blue')).toThrow(/"blue"/);
    expect(() => parseHexColour('#12345')).toThrow(/hex colour/);
  });
});

describe('WCAG contrast', () => {
  it('gives the known end points: white 1, black 0, ratio 21', () => {
    expect(relativeLuminance([255, 255, 255])).toBeCloseTo(1, 12);
    expect(relativeLuminance([0, 0, 0])).toBe(0);
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 12);
  });
  it('matches published ratios: #777 on white 4.48, #767676 on white 4.54', () => {
    // Both values are quoted by the WCAG contrast checkers as the AA threshold pair.
    expect(contrastRatio(parseHexColour('#777777'), [...WHITE])).toBeCloseTo(4.48, 2);
    expect(contrastRatio(parseHexColour('#767676'), [...WHITE])).toBeCloseTo(4.54, 2);
  });
  it('is symmetric', () => {
    const a = parseHexColour('#D55E00');
    const b = parseHexColour('#0072B2');
    expect(contrastRatio(a, b)).toBeCloseTo(contrastRatio(b, a), 12);
  });
});

describe('chart colours on a white background', () => {
  it('train/test lines and class colours reach 3:1 (WCAG non-text contrast)', () => {
    for (const c of [TRAIN_COLOUR, TEST_COLOUR, ...CLASS_COLOURS.slice(0, 3)]) {
      expect(contrastRatio(parseHexColour(c), [...WHITE]), c).toBeGreaterThanOrEqual(3);
    }
  });
  it('text inks reach 4.5:1 (WCAG AA text)', () => {
    for (const c of [INK, INK_MUTED]) {
      expect(contrastRatio(parseHexColour(c), [...WHITE]), c).toBeGreaterThanOrEqual(4.5);
    }
  });
  it('class colours are all different and cycle past the end', () => {
    expect(new Set(CLASS_COLOURS).size).toBe(CLASS_COLOURS.length);
    expect(classColour(CLASS_COLOURS.length)).toBe(CLASS_COLOURS[0]);
    expect(classColour(-1)).toBe(CLASS_COLOURS[CLASS_COLOURS.length - 1]);
  });
});

describe('textColourOn', () => {
  it('picks dark text on light cells and white on dark ones', () => {
    expect(textColourOn('#ffffff')).toBe('#111111');
    expect(textColourOn('#f7fbff')).toBe('#111111'); // lightest Blues
    expect(textColourOn('rgb(8, 48, 107)')).toBe('#ffffff'); // darkest Blues
    expect(textColourOn('#000000')).toBe('#ffffff');
  });
  it('always leaves at least 4.5:1 for mid-tones of the Blues ramp', () => {
    for (const c of ['#c6dbef', '#6baed6', '#4292c6', '#2171b5', '#08519c']) {
      const text = parseHexColour(textColourOn(c));
      expect(contrastRatio(text, parseHexColour(c)), c).toBeGreaterThanOrEqual(4.5);
    }
  });
});
