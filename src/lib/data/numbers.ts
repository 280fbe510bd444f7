/**
 * Reading numbers from CSV cells. Stricter than Number(): "" is not 0, and "0x10", "Infinity" or
 * "1,5" are not numbers a dataset should hold.
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The cell's value, or undefined when it is not a plain decimal number. */
export function parseNumberCell(cell: string): number | undefined {
  const text = cell.trim();
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

const ZERO = 48;
const ONE = 49;
const NINE = 57;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
/** Lower-case letters of Number()'s radix prefixes 0x, 0b, 0o (char code | 32 folds the case). */
const X = 120;
const B = 98;
const O = 111;

/**
 * The cell's value, or NaN when parseNumberCell would say undefined: the same numbers, without a
 * regular expression per cell (the CSV pipeline reads millions of cells).
 *
 * Number() already rejects everything DECIMAL rejects except blanks ("" -> 0) and the radix
 * literals 0x.., 0b.., 0o..; a cell that starts with a digit 1-9, a sign or a dot can be neither,
 * one that starts with 0 is a radix literal only if a letter x/b/o follows. Anything else (a
 * leading blank, a letter) takes the exact path.
 */
export function cellNumberOrNaN(cell: string): number {
  const first = cell.charCodeAt(0);
  if ((first >= ONE && first <= NINE) || first === MINUS || first === PLUS || first === DOT) {
    const value = +cell;
    return value - value === 0 ? value : NaN; // NaN and ±Infinity fail x - x === 0
  }
  if (first === ZERO) {
    const second = cell.charCodeAt(1) | 32;
    if (second === X || second === B || second === O) return NaN;
    const value = +cell;
    return value - value === 0 ? value : NaN;
  }
  return parseNumberCell(cell) ?? NaN;
}

/** How a cell is shown in a message: quoted, with blanks called out. */
export function showCell(cell: string): string {
  return cell.trim() === '' ? 'an empty cell' : `"${cell}"`;
}
