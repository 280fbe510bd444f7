/**
 * One term of the chain rule as the backprop inspector shows it: its name, its formula, its full
 * shape and the top-left block of its values (a plain Float64Array, transferable to the page).
 */
import type { Matrix } from './matrix';

/** Stable keys of the terms (what the page and firstDivergingTerm match on). */
export type TermName =
  | 'A_in'
  | 'W'
  | 'b'
  | 'Z'
  | 'A_out'
  | 'dC/dA_out'
  | "f'(Z)"
  | 'delta'
  | 'dC/dW'
  | 'dC/db'
  | 'dC/dA_in'
  | 'P'
  | 'T'
  | 'C'
  | 'dC/dP'
  | 'fused';

export interface BackpropTerm {
  name: TermName;
  /** How it is written on screen: "δ = dC/dZ", "dC/dW". */
  symbol: string;
  /** The formula that made it: "δ = dC/dA_out ⊙ f'(Z)". */
  formula: string;
  /** Computed by the forward pass, or by the backward pass (loss gradients included). */
  pass: 'forward' | 'backward';
  /** A matrix (rows × cols), a vector (rows = 1, cols entries) or a scalar (1 × 1). */
  shape: 'matrix' | 'vector' | 'scalar';
  /** The full shape. */
  rows: number;
  cols: number;
  /** The copied top-left block: values has shownRows × shownCols entries, row-major. */
  shownRows: number;
  shownCols: number;
  values: Float64Array;
  /** Set when the term needs a word: it is not used by backward, computed only for display, … */
  note?: string;
  /**
   * True for a term the network's pass does not use, computed only to be shown (dC/dP when the
   * loss is fused): firstDivergingTerm skips it.
   */
  displayOnly?: boolean;
}

/** How much of each term to copy: the top-left maxRows × maxCols block (default: all of it). */
export interface BlockLimits {
  maxRows?: number;
  maxCols?: number;
}

type TermText = Pick<BackpropTerm, 'name' | 'symbol' | 'formula' | 'pass'> & {
  note?: string;
  displayOnly?: boolean;
};

/** The top-left block of `m` (a copy), within `limits`. */
export function matrixTerm(text: TermText, m: Matrix, limits: BlockLimits): BackpropTerm {
  const shownRows = Math.min(m.rows, Math.max(0, limits.maxRows ?? m.rows));
  const shownCols = Math.min(m.cols, Math.max(0, limits.maxCols ?? m.cols));
  const values = new Float64Array(shownRows * shownCols);
  for (let i = 0; i < shownRows; i++)
    values.set(m.data.subarray(i * m.cols, i * m.cols + shownCols), i * shownCols);
  return withoutEmptyNote({
    ...text,
    shape: 'matrix',
    rows: m.rows,
    cols: m.cols,
    shownRows,
    shownCols,
    values,
  });
}

/** A vector (b, dC/db) as a 1 × n term, its first maxCols entries copied. */
export function vectorTerm(text: TermText, v: Float64Array, limits: BlockLimits): BackpropTerm {
  const shownCols = Math.min(v.length, Math.max(0, limits.maxCols ?? v.length));
  return withoutEmptyNote({
    ...text,
    shape: 'vector',
    rows: 1,
    cols: v.length,
    shownRows: 1,
    shownCols,
    values: v.slice(0, shownCols),
  });
}

export function scalarTerm(text: TermText, value: number): BackpropTerm {
  return withoutEmptyNote({
    ...text,
    shape: 'scalar',
    rows: 1,
    cols: 1,
    shownRows: 1,
    shownCols: 1,
    values: Float64Array.of(value),
  });
}

function withoutEmptyNote(term: BackpropTerm): BackpropTerm {
  if (term.note === undefined) delete term.note;
  if (!term.displayOnly) delete term.displayOnly;
  return term;
}

/** The buffers of the terms' values, each its own: what the worker transfers to the page. */
export function termBuffers(terms: readonly BackpropTerm[]): ArrayBuffer[] {
  return terms.map((t) => t.values.buffer as ArrayBuffer);
}
