/**
 * The arithmetic behind one cell of an inspected term, as the Backprop tab's hover shows it
 * ("δ[3,1] = dC/dA_out[3,1] × f'(Z)[3,1] = 0.12 × 0.25 = 0.03"), from the node's shown blocks.
 * Kept here so the page holds no maths.
 */
import type { BackpropTerm, TermName } from './backprop-term';
import type { LayerTerms } from './backprop-terms';

/** A number in three significant digits, without trailing zeros. */
export function short(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(3)));
}

/** How many products a sum spells out before "+ …". */
const SPELLED = 3;

export interface CellExplanation {
  /** The line to show: the cell, its formula with indices, the numbers, the value. */
  text: string;
  /**
   * What a hover highlights: [term, 'row' | 'col', index] — for dC/dW[r, c], column r of A_in
   * and column c of δ; for dC/dA_in[i, r], row i of δ and row r of W.
   */
  highlights: { term: TermName; axis: 'row' | 'col'; index: number }[];
}

function find(layer: LayerTerms, name: TermName): BackpropTerm | undefined {
  return layer.terms.find((t) => t.name === name);
}

/** Entry (i, j) of a term's shown block, or undefined outside it. */
function entry(t: BackpropTerm | undefined, i: number, j: number): number | undefined {
  if (!t || i < 0 || j < 0 || i >= t.shownRows || j >= t.shownCols) return undefined;
  return t.values[i * t.shownCols + j];
}

/** "a × b + c × d + … = s" over pairs, or null when an entry is outside the shown blocks. */
function sumOfProducts(
  pairs: (readonly [number | undefined, number | undefined])[],
  total: number,
) {
  if (pairs.some(([a, b]) => a === undefined || b === undefined)) return null;
  const shown = pairs.slice(0, SPELLED).map(([a, b]) => `${short(a!)} × ${short(b!)}`);
  const more = pairs.length > SPELLED ? ' + …' : '';
  return `${shown.join(' + ')}${more} = ${short(total)}`;
}

/**
 * The explanation of cell (row, col) of term `name` of an inspected node, or null when the term
 * is absent, the cell lies outside its shown block, or the numbers it needs are not shown.
 */
export function explainCell(
  layer: LayerTerms,
  name: TermName,
  row: number,
  col: number,
): CellExplanation | null {
  const t = find(layer, name);
  const value = entry(t, row, col);
  if (t === undefined || value === undefined) return null;
  const cell = `${t.symbol.split(' = ')[0]}[${row},${col}]`;
  const at = `[${row},${col}]`;
  const plain = (formula: string) => ({
    text: `${cell} = ${formula} = ${short(value)}`,
    highlights: [],
  });
  switch (name) {
    case 'delta': {
      if (layer.fused) {
        const [P, T] = layer.activation?.fn === 'sigmoid' ? ['p', 't'] : ['P', 'T'];
        return plain(`(${P}${at} − ${T}${at}) / ${layer.batchSize}`);
      }
      const dA = entry(find(layer, 'dC/dA_out'), row, col);
      const fz = entry(find(layer, "f'(Z)"), row, col);
      if (dA === undefined || fz === undefined) return plain('dC/dZ' + at);
      return {
        text: `${cell} = dC/dA_out${at} × f'(Z)${at} = ${short(dA)} × ${short(fz)} = ${short(value)}`,
        highlights: [],
      };
    }
    case 'dC/dW': {
      const A = find(layer, 'A_in'),
        d = find(layer, 'delta');
      // Every row of A_in and δ is needed to spell the sum; a cut block gives the value only.
      const whole = A !== undefined && d !== undefined && A.shownRows === A.rows;
      const pairs = whole
        ? Array.from({ length: A.rows }, (_, i) => [entry(A, i, row), entry(d, i, col)] as const)
        : [];
      const sum = whole ? sumOfProducts(pairs, value) : null;
      return {
        text: `${cell} = Σ_i A_in[i,${row}] × δ[i,${col}] = ${sum ?? short(value)}`,
        highlights: [
          { term: 'A_in', axis: 'col', index: row },
          { term: 'delta', axis: 'col', index: col },
        ],
      };
    }
    case 'dC/db': {
      const d = find(layer, 'delta');
      const parts =
        d && d.shownRows === d.rows
          ? Array.from({ length: d.rows }, (_, i) => entry(d, i, col))
          : [];
      const spelled =
        parts.length > 0 && parts.every((p) => p !== undefined)
          ? `${parts
              .slice(0, SPELLED)
              .map((p) => short(p!))
              .join(' + ')}${parts.length > SPELLED ? ' + …' : ''} = `
          : '';
      return {
        text: `${cell} = Σ_i δ[i,${col}] = ${spelled}${short(value)}`,
        highlights: [{ term: 'delta', axis: 'col', index: col }],
      };
    }
    case 'dC/dA_in': {
      const d = find(layer, 'delta'),
        W = find(layer, 'W');
      const m = d?.cols ?? 0;
      const pairs = Array.from(
        { length: m },
        (_, j) => [entry(d, row, j), entry(W, col, j)] as const,
      );
      const sum = m > 0 ? sumOfProducts(pairs, value) : null;
      return {
        text: `${cell} = Σ_j δ[${row},j] × W[${col},j] = ${sum ?? short(value)}`,
        highlights: [
          { term: 'delta', axis: 'row', index: row },
          { term: 'W', axis: 'row', index: col },
        ],
      };
    }
    case 'A_out': {
      const z = entry(find(layer, 'Z'), row, col);
      const fn = layer.activation?.fn ?? 'f';
      return plain(`${fn}(Z${at})${z === undefined ? '' : ` = ${fn}(${short(z)})`}`);
    }
    default:
      return { text: `${cell} = ${short(value)}`, highlights: [] };
  }
}
