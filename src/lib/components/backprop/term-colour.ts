/**
 * How a term's heatmap is coloured and labelled: a d3 diverging scale centred at 0 (blue below,
 * white at 0, red above, symmetric around the term's largest |entry|), and its numbers and shape
 * as text.
 */
import { format } from 'd3-format';
import { scaleDiverging } from 'd3-scale';
import { interpolateRdBu } from 'd3-scale-chromatic';
import type { BackpropTerm } from '../../engine/backprop-term';

/** Colour of each value of `values`, on a scale symmetric around 0 (all zeros: white). */
export function divergingColour(values: ArrayLike<number>): (value: number) => string {
  let extent = 0;
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i])) extent = Math.max(extent, Math.abs(values[i]));
  const half = extent > 0 ? extent : 1;
  // RdBu runs red → blue; reversed so that positive is red and negative is blue.
  const scale = scaleDiverging((t: number) => interpolateRdBu(1 - t)).domain([-half, 0, half]);
  return (value) => (Number.isFinite(value) ? scale(value) : '#000000');
}

const fourDigits = format('.4~g');

/** A value as the cells' labels show it (four significant digits). */
export function valueText(value: number): string {
  return Number.isFinite(value) ? fourDigits(value) : String(value);
}

/** The full shape as written beside the heatmap: "8 × 5", "(5)" for a vector, "scalar". */
export function shapeText(term: Pick<BackpropTerm, 'shape' | 'rows' | 'cols'>): string {
  if (term.shape === 'scalar') return 'scalar';
  if (term.shape === 'vector') return `(${term.cols})`;
  return `${term.rows} × ${term.cols}`;
}

/** True when only the top-left block of the term crossed (the heatmap ends with "…"). */
export function isCut(term: Pick<BackpropTerm, 'rows' | 'cols' | 'shownRows' | 'shownCols'>) {
  return term.shownRows < term.rows || term.shownCols < term.cols;
}
