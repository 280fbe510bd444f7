/**
 * GraphState's placement verbs as the palette and the toolbar use them: nodes added at the view
 * centre sit side by side (no two overlap), and "Tidy up" lays the graph out left to right as one
 * undo step that Undo reverses exactly.
 */
import { describe, expect, test } from 'vitest';
import { GraphState } from '../../../src/lib/state/graph.svelte';
import { boxesOverlap, DEFAULT_NODE_SIZE, type Box } from '../../../src/lib/graph/layout';

function boxesOf(graph: GraphState): Box[] {
  return graph.nodes.map((node) => ({ ...node.position, ...DEFAULT_NODE_SIZE }));
}

function expectNoOverlap(graph: GraphState) {
  const boxes = boxesOf(graph);
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) expect(boxesOverlap(boxes[i], boxes[j])).toBe(false);
}

describe('placement', () => {
  test('eight nodes added at the same view centre never overlap', () => {
    const graph = new GraphState({ storage: null });
    const kinds = [
      'input',
      'dense',
      'activation',
      'dense',
      'activation',
      'dense',
      'activation',
      'loss',
    ] as const;
    for (const kind of kinds) graph.addNodeNear(kind, { x: 400, y: 300 });
    expect(graph.nodes).toHaveLength(8);
    expectNoOverlap(graph);
    // The first one is centred on the view centre.
    const first = graph.nodes[0].position;
    expect(first.x + DEFAULT_NODE_SIZE.width / 2).toBe(400);
    expect(first.y + DEFAULT_NODE_SIZE.height / 2).toBe(300);
  });

  test('Tidy up orders a heaped chain left to right, in one undo step', () => {
    const graph = new GraphState({ storage: null });
    const kinds = ['input', 'dense', 'activation', 'dense', 'activation', 'loss'] as const;
    kinds.forEach((kind, i) => graph.addNode(kind, { x: 100 + (i % 3) * 10, y: 100 }));
    for (let i = 1; i < kinds.length; i++)
      expect(graph.connect(`n${i}`, `n${i + 1}`).ok).toBe(true);
    const before = JSON.stringify(graph.document);
    graph.tidyUp();
    expectNoOverlap(graph);
    const xs = graph.nodes.map((node) => node.position.x);
    for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThan(xs[i - 1]);
    graph.undo();
    expect(JSON.stringify(graph.document)).toBe(before);
    graph.redo();
    expect(graph.nodes.map((node) => node.position.x)).toEqual(xs);
  });
});
