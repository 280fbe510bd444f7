/**
 * Where a "common mistake" (mistakes.ts) first shows: a copy of a network that runs the mistake,
 * and the first term, in the order the engine computes them, whose numbers part from the correct
 * network's. That order is every forward term in spec order (the Loss node's P, T, C last), then
 * every backward term in reverse spec order (the Loss node's gradients first).
 */
import type { BackpropTerm } from './backprop-term';
import type { LayerTerms } from './backprop-terms';
import type { Mistake } from './mistakes';
import { createNetwork, type Network } from './network';
import { createRng } from './rng';

/** A network with `net`'s spec, kernel and current weights that runs `mistake` (null: none). */
export function networkWithMistake(net: Network, mistake: Mistake | null): Network {
  const copy = createNetwork(net.spec, createRng(0), { kernel: net.kernel, mistake });
  copy.parameterArrays.forEach((array, k) => array.set(net.parameterArrays[k]));
  return copy;
}

export interface TermDivergence {
  layerId: string;
  term: BackpropTerm['name'];
  /** Where in the shown block the first differing entry is (row-major order). */
  row: number;
  col: number;
  correct: number;
  buggy: number;
}

/** The relative tolerance (to the larger term's largest |entry|) below which entries agree. */
const DEFAULT_TOLERANCE = 1e-9;

/** The terms a Dense node shows of the activation after it. */
const ACTIVATION_TERMS: readonly BackpropTerm['name'][] = ['A_out', 'dC/dA_out', "f'(Z)"];

/**
 * Terms tagged with their node, in computation order (see the top). Display-only terms are left
 * out, and so are a Dense node's copies of its activation's terms when that node is compared too
 * (the activation is where they are computed).
 */
function inComputationOrder(layers: readonly LayerTerms[]) {
  const byPosition = [...layers].sort((a, b) => a.position - b.position);
  const ids = new Set(layers.map((l) => l.layerId));
  const borrowed = (l: LayerTerms, t: BackpropTerm) =>
    l.kind === 'dense' &&
    l.activation !== null &&
    ids.has(l.activation.id) &&
    ACTIVATION_TERMS.includes(t.name);
  const tagged = (l: LayerTerms, pass: BackpropTerm['pass']) =>
    l.terms
      .filter((t) => t.pass === pass && !t.displayOnly && !borrowed(l, t))
      .map((term) => ({ layer: l, term }));
  return [
    ...byPosition.flatMap((l) => tagged(l, 'forward')),
    ...[...byPosition].reverse().flatMap((l) => tagged(l, 'backward')),
  ];
}

function maxAbs(values: Float64Array): number {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

/** The first entry where two terms differ beyond `tolerance`, or null when they agree. */
function firstDifference(
  correct: BackpropTerm,
  buggy: BackpropTerm,
  tolerance: number,
): { index: number; correct: number; buggy: number } | null {
  if (correct.shownRows !== buggy.shownRows || correct.shownCols !== buggy.shownCols)
    return { index: 0, correct: correct.values[0] ?? NaN, buggy: buggy.values[0] ?? NaN };
  const scale = Math.max(maxAbs(correct.values), maxAbs(buggy.values));
  for (let i = 0; i < correct.values.length; i++) {
    const a = correct.values[i],
      b = buggy.values[i];
    // NaN never equals anything: a term that turned NaN differs.
    if (!(Math.abs(a - b) <= tolerance * scale)) return { index: i, correct: a, buggy: b };
  }
  return null;
}

/**
 * The first term (computation order, see the top) where `buggy` differs from `correct`: both
 * from backpropTerms / allBackpropTerms on the same nodes, batch and weights. A term present in
 * only one of them is skipped. Null when every shown entry agrees within `tolerance`.
 */
export function firstDivergingTerm(
  correct: readonly LayerTerms[],
  buggy: readonly LayerTerms[],
  tolerance: number = DEFAULT_TOLERANCE,
): TermDivergence | null {
  const buggyTerms = new Map(
    buggy.flatMap((l) => l.terms.map((t) => [`${l.layerId}\u0000${t.name}`, t] as const)),
  );
  for (const { layer, term } of inComputationOrder(correct)) {
    const other = buggyTerms.get(`${layer.layerId}\u0000${term.name}`);
    if (!other) continue;
    const found = firstDifference(term, other, tolerance);
    if (found)
      return {
        layerId: layer.layerId,
        term: term.name,
        row: Math.floor(found.index / Math.max(1, term.shownCols)),
        col: found.index % Math.max(1, term.shownCols),
        correct: found.correct,
        buggy: found.buggy,
      };
  }
  return null;
}
