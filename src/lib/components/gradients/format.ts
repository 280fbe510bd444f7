/** How the gradient views write numbers: three significant digits, exponent when small or large. */
import { format } from 'd3-format';

const exponent = format('.2e');
const fixed = format('.3~r');

export function formatGradient(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const a = Math.abs(value);
  return a >= 1e-2 && a < 1e4 ? fixed(value) : exponent(value);
}
