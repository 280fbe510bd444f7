/**
 * Node placement: Tidy up puts every wire's source left of its target with no two boxes
 * overlapping (a chain, a branching template, a heap of nodes); a new node's free spot is at the
 * centre when that is empty and never on top of a node.
 */
import { describe, expect, test } from 'vitest';
import {
  boxesOverlap,
  DEFAULT_NODE_SIZE,
  freeSpot,
  tidyPositions,
  type Box,
  type Size,
} from '../../../src/lib/graph/layout';
import { createTemplateDocument } from '../../../src/lib/graph/templates';
import type { GraphDocument } from '../../../src/lib/graph/document';

/** A chain of `count` nodes all at the same spot, wired n1 -> n2 -> ... */
function heapedChain(count: number): GraphDocument {
  return {
    nodes: Array.from({ length: count }, (_, i) => ({
      id: `n${i + 1}`,
      type: i === 0 ? ('input' as const) : ('dense' as const),
      position: { x: 300 + (i % 5) * 24, y: 200 + (i % 5) * 24 },
      params: i === 0 ? { size: 4 } : { units: 3, init: 'xavier' },
    })),
    edges: Array.from({ length: count - 1 }, (_, i) => ({
      id: `e${i + 1}`,
      source: `n${i + 1}`,
      target: `n${i + 2}`,
    })),
  };
}

function boxes(document: GraphDocument, sizes: Map<string, Size>): Map<string, Box> {
  const at = tidyPositions(document, sizes);
  return new Map(
    document.nodes.map((node) => {
      const size = sizes.get(node.id) ?? DEFAULT_NODE_SIZE;
      return [node.id, { ...(at.get(node.id) as { x: number; y: number }), ...size }];
    }),
  );
}

function expectTidy(document: GraphDocument, sizes = new Map<string, Size>()) {
  const laid = boxes(document, sizes);
  const all = [...laid.values()];
  for (let i = 0; i < all.length; i++)
    for (let j = i + 1; j < all.length; j++) expect(boxesOverlap(all[i], all[j])).toBe(false);
  for (const edge of document.edges) {
    const source = laid.get(edge.source) as Box;
    const target = laid.get(edge.target) as Box;
    // Left to right: the target starts after the source ends.
    expect(target.x).toBeGreaterThanOrEqual(source.x + source.width);
  }
  return laid;
}

describe('tidyPositions', () => {
  test('a 24-node heap becomes one left-to-right row without overlaps', () => {
    const document = heapedChain(24);
    const laid = expectTidy(document);
    const ys = new Set([...laid.values()].map((box) => box.y));
    expect(ys.size).toBe(1);
  });

  test('measured sizes are respected (wide nodes get wide room)', () => {
    const document = heapedChain(4);
    const sizes = new Map<string, Size>([
      ['n2', { width: 400, height: 90 }],
      ['n3', { width: 120, height: 300 }],
    ]);
    expectTidy(document, sizes);
  });

  test('the first node keeps its place', () => {
    const document = heapedChain(6);
    const at = tidyPositions(document);
    expect(at.get('n1')).toEqual(document.nodes[0].position);
  });

  test('a branching template (skip connections) lays out with merges right of both inputs', () => {
    const document = createTemplateDocument('deep-sigmoid-skip');
    expect(document.nodes.length).toBeGreaterThan(6);
    expectTidy(document);
  });

  test('nodes without wires are laid out too, apart', () => {
    const document = heapedChain(5);
    expectTidy({ nodes: document.nodes, edges: [] });
  });
});

describe('freeSpot', () => {
  const size = { width: 200, height: 100 };

  test('an empty canvas puts the node centred on the view centre', () => {
    expect(freeSpot([], { x: 500, y: 300 }, size)).toEqual({ x: 400, y: 250 });
  });

  test('five adds in a row never overlap each other', () => {
    const placed: Box[] = [];
    for (let i = 0; i < 5; i++) {
      const at = freeSpot(placed, { x: 500, y: 300 }, size);
      const box = { ...at, ...size };
      for (const other of placed) expect(boxesOverlap(box, other)).toBe(false);
      placed.push(box);
    }
    // All near the centre: within two node widths.
    for (const box of placed)
      expect(Math.hypot(box.x + 100 - 500, box.y + 50 - 300)).toBeLessThan(2 * 200 + 100);
  });

  test('a node already at the centre pushes the new one beside it, not on top', () => {
    const occupied = [{ x: 400, y: 250, ...size }];
    const at = freeSpot(occupied, { x: 500, y: 300 }, size);
    expect(boxesOverlap({ ...at, ...size }, occupied[0])).toBe(false);
  });
});
