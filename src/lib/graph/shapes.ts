/**
 * Shape inference along the wires: how many numbers each row carries into and out of every node
 * (the canvas writes them as "B × 5", B rows of the batch). Inferred as far as the wiring allows,
 * so a half-built graph still shows what is known.
 */
import type { GraphNode } from './document';
import { kindInfo, topologicalOrder, type Structure } from './structure';

export interface NodeShape {
  /**
   * Width of the row coming in (null when unknown: no input, unknown upstream, or inputs that do
   * not fit together). For an Add, the width all its inputs share; for a Concat, their sum.
   */
  in: number | null;
  /** Width of the row going out (null when unknown, and for a Loss). */
  out: number | null;
}

export interface GraphShapes {
  nodes: Record<string, NodeShape>;
  /** Width carried along each wire: its source's output width. */
  edges: Record<string, number | null>;
}

/** The width coming into a node from its inputs' widths (in wire order). */
function inWidth(node: GraphNode, widths: (number | null)[]): number | null {
  if (widths.length === 0 || widths.some((w) => w === null)) return null;
  const known = widths as number[];
  if (node.type === 'concat') return known.reduce((a, b) => a + b, 0);
  if (node.type === 'add') return known.every((w) => w === known[0]) ? known[0] : null;
  return known.length === 1 ? known[0] : null;
}

/**
 * `ownWidth` gives a node's own output width: a number or null (unknown) for nodes that set it
 * (Input, Dense), undefined for nodes that pass on the width coming in (Activation, Dropout,
 * Add, Concat).
 */
export function inferShapes(
  structure: Structure,
  ownWidth: (node: GraphNode) => number | null | undefined,
): GraphShapes {
  // Null-prototype records: ids are user data ("__proto__" must be an ordinary key).
  const nodes: Record<string, NodeShape> = Object.create(null) as Record<string, NodeShape>;
  const outOf = (id: string): number | null => nodes[id]?.out ?? null;
  // Nodes in or after a loop are never placed and stay unknown.
  for (const id of topologicalOrder(structure)) {
    const node = structure.nodes.get(id) as GraphNode;
    const width = inWidth(
      node,
      (structure.incoming.get(id) ?? []).map((e) => outOf(e.source)),
    );
    nodes[id] = { in: width, out: outputWidth(node, width, ownWidth) };
  }
  for (const [id, node] of structure.nodes) {
    nodes[id] ??= { in: null, out: outputWidth(node, null, ownWidth) };
  }

  const edges = Object.create(null) as Record<string, number | null>;
  for (const { edge } of structure.edgeFaults) {
    if (!(edge.id in edges)) edges[edge.id] = outOf(edge.source);
  }
  return { nodes, edges };
}

function outputWidth(
  node: GraphNode,
  inWidth: number | null,
  ownWidth: (node: GraphNode) => number | null | undefined,
): number | null {
  const info = kindInfo(node);
  if (!info || !info.hasOutput) return null;
  const own = ownWidth(node);
  return own === undefined ? inWidth : own;
}
