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

/** How a cell is shown in a message: quoted, with blanks called out. */
export function showCell(cell: string): string {
  return cell.trim() === '' ? 'an empty cell' : `"${cell}"`;
}
