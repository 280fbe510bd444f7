/**
 * A merge node's input order as the inspector edits it: moving a wire reorders the wires in the
 * graph's edges, which is the order compile() gives the Concat's `inputs` (DESIGN.md §3), as one
 * undo step; removing one wire leaves the others.
 */
import { expect, test } from 'vitest';
import { GraphState } from '../../../src/lib/state/graph.svelte';
import type { LayerItemSpec } from '../../../src/lib/engine/spec';

/** Input 4 -> (Dense 3 | Dense 5) -> Concat -> Dense 2 -> Softmax -> Cross-entropy. */
function wideGraph(): GraphState {
  const graph = new GraphState({ storage: null });
  for (const kind of ['input', 'dense', 'dense', 'concat', 'dense', 'activation', 'loss'] as const)
    graph.addNode(kind, { x: 0, y: 0 });
  graph.updateParams('n1', { size: 4 });
  graph.updateParams('n2', { units: 3 });
  graph.updateParams('n3', { units: 5 });
  graph.updateParams('n5', { units: 2 });
  graph.updateParams('n6', { fn: 'softmax' });
  for (const [source, target] of [
    ['n1', 'n2'],
    ['n1', 'n3'],
    ['n2', 'n4'],
    ['n3', 'n4'],
    ['n4', 'n5'],
    ['n5', 'n6'],
    ['n6', 'n7'],
  ]) {
    const check = graph.connect(source, target);
    if (!check.ok) throw new Error(check.reason);
  }
  return graph;
}

const concatOf = (graph: GraphState): LayerItemSpec | undefined =>
  graph.compiled.spec?.layers.find((layer) => layer.id === 'n4');
const wireInto = (graph: GraphState, source: string) =>
  graph.edges.find((edge) => edge.source === source && edge.target === 'n4')!.id;

test('moving a wire reorders the Concat inputs and its columns; undo restores them', () => {
  const graph = wideGraph();
  expect(graph.compiled.errors).toEqual([]);
  expect(concatOf(graph)).toMatchObject({ type: 'concat', inputs: ['n2', 'n3'], size: 8 });
  // The first wire cannot move earlier, the last not later.
  expect(graph.moveInput(wireInto(graph, 'n2'), -1)).toBe(false);
  expect(graph.moveInput(wireInto(graph, 'n3'), 1)).toBe(false);
  expect(graph.moveInput(wireInto(graph, 'n3'), -1)).toBe(true);
  expect(concatOf(graph)).toMatchObject({ inputs: ['n3', 'n2'], size: 8 });
  expect(
    graph.document.edges.filter((edge) => edge.target === 'n4').map((edge) => edge.source),
  ).toEqual(['n3', 'n2']);
  // The other wires keep their places.
  expect(graph.document.edges.filter((edge) => edge.target !== 'n4').length).toBe(5);
  graph.undo();
  expect(concatOf(graph)).toMatchObject({ inputs: ['n2', 'n3'] });
});

test('removing one wire into the Concat leaves the other (and compile says what is missing)', () => {
  const graph = wideGraph();
  graph.removeEdge(wireInto(graph, 'n2'));
  expect(graph.edges.filter((edge) => edge.target === 'n4').map((edge) => edge.source)).toEqual([
    'n3',
  ]);
  expect(graph.errorsByNode.get('n4')?.length ?? 0).toBeGreaterThan(0);
});
