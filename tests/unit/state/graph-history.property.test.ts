/**
 * Undo history under random editing (fast-check): whatever sequence of edits is made, undoing
 * everything gives back the empty canvas, every state on the way back is one the graph really
 * was in, and redoing everything ends exactly where the edits ended. Autosave always holds the
 * document on screen.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { GraphState } from '../../../src/lib/state/graph.svelte';
import { AUTOSAVE_KEY } from '../../../src/lib/state/autosave';
import { NODE_KIND_ORDER } from '../../../src/lib/graph/node-kinds';
import { TEMPLATE_IDS } from '../../../src/lib/graph/templates';
import { MemoryStorage } from './memory-storage';

type Edit =
  | { op: 'add'; kind: (typeof NODE_KIND_ORDER)[number]; x: number; y: number }
  | { op: 'connect'; from: number; node: number }
  | { op: 'units'; node: number; units: number }
  | { op: 'fn'; node: number; fn: string }
  | { op: 'remove'; node: number }
  | { op: 'duplicate'; node: number }
  | { op: 'move'; node: number; x: number; y: number }
  | { op: 'setInput'; node: number; from: number }
  | { op: 'template'; id: (typeof TEMPLATE_IDS)[number] };

const coordinate = fc.integer({ min: -500, max: 1500 });
const index = fc.nat({ max: 12 });

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    op: fc.constant('add' as const),
    kind: fc.constantFrom(...NODE_KIND_ORDER),
    x: coordinate,
    y: coordinate,
  }),
  fc.record({ op: fc.constant('connect' as const), from: index, node: index }),
  fc.record({
    op: fc.constant('units' as const),
    node: index,
    units: fc.integer({ min: -2, max: 5000 }),
  }),
  fc.record({
    op: fc.constant('fn' as const),
    node: index,
    fn: fc.constantFrom('relu', 'sigmoid', 'softmax', 'tanh'),
  }),
  fc.record({ op: fc.constant('remove' as const), node: index }),
  fc.record({ op: fc.constant('duplicate' as const), node: index }),
  fc.record({ op: fc.constant('move' as const), node: index, x: coordinate, y: coordinate }),
  fc.record({ op: fc.constant('setInput' as const), node: index, from: index }),
  fc.record({ op: fc.constant('template' as const), id: fc.constantFrom(...TEMPLATE_IDS) }),
);

/** The id of the `i`-th node (modulo the count), or null on an empty canvas. */
function nodeAt(graph: GraphState, i: number): string | null {
  const nodes = graph.document.nodes;
  return nodes.length === 0 ? null : nodes[i % nodes.length].id;
}

function apply(graph: GraphState, e: Edit): void {
  if (e.op === 'add') graph.addNode(e.kind, { x: e.x, y: e.y });
  else if (e.op === 'template') graph.loadTemplate(e.id);
  else {
    const id = nodeAt(graph, e.node);
    if (id === null) return;
    if (e.op === 'connect') {
      const from = nodeAt(graph, e.from) as string;
      graph.connect(from, id);
    } else if (e.op === 'units') graph.updateParams(id, { units: e.units });
    else if (e.op === 'fn') graph.updateParams(id, { fn: e.fn });
    else if (e.op === 'remove') {
      graph.select(id);
      graph.removeSelected();
    } else if (e.op === 'duplicate') {
      graph.select(id);
      graph.duplicateSelected();
    } else if (e.op === 'move') {
      // As Svelte Flow does: it writes the position, the canvas's effect records the edit.
      graph.nodes = graph.nodes.map((n) =>
        n.id === id ? { ...n, position: { x: e.x, y: e.y } } : n,
      );
      graph.watchEdits();
    } else if (e.op === 'setInput') {
      graph.setInput(id, nodeAt(graph, e.from));
    }
  }
}

describe('undo history under random edits', () => {
  test('undo all, redo all; every state on the way is one the graph was in', () => {
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 40 }), (edits) => {
        const storage = new MemoryStorage();
        const graph = new GraphState({ storage });
        const seen = new Set<string>([JSON.stringify(graph.document)]);
        for (const e of edits) {
          apply(graph, e);
          seen.add(JSON.stringify(graph.document));
          // No edit ever leaves a wire to a missing node.
          const ids = new Set(graph.document.nodes.map((n) => n.id));
          for (const edge of graph.document.edges) {
            expect(ids.has(edge.source) && ids.has(edge.target)).toBe(true);
          }
        }
        const final = JSON.stringify(graph.document);
        const saved = () =>
          JSON.stringify(
            JSON.parse(storage.getItem(AUTOSAVE_KEY) ?? 'null')?.document ?? {
              nodes: [],
              edges: [],
            },
          );
        expect(saved()).toBe(final);

        let steps = 0;
        while (graph.canUndo) {
          graph.undo();
          steps++;
          expect(seen.has(JSON.stringify(graph.document))).toBe(true);
          expect(saved()).toBe(JSON.stringify(graph.document));
        }
        expect(graph.document).toEqual({ nodes: [], edges: [] });
        for (let i = 0; i < steps; i++) graph.redo();
        expect(graph.canRedo).toBe(false);
        expect(JSON.stringify(graph.document)).toBe(final);
      }),
      { numRuns: 150 },
    );
  });
});
