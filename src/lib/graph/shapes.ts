/**
 * Shape inference along the wires: how many numbers each row carries into and out of every node
 * (the canvas writes them as "B × 5", B rows of the batch). Inferred as far as the wiring allows,
 * so a half-built graph still shows what is known.
 */
import type { GraphNode } from './document';
import { kindInfo, type Structure } from './structure';

export interface NodeShape {
  /** Width of the row coming in (null when unknown: no single input, or unknown upstream). */
  in: number | null;
  /** Width of the row going out (null when unknown, and for a Loss). */
  out: number | null;
}

export interface GraphShapes {
  nodes: Record<string, NodeShape>;
  /** Width carried along each wire: its source's output width. */
  edges: Record<string, number | null>;
}

/**
 * `ownWidth` gives a node's own output width: a number or null (unknown) for nodes that set it
 * (Input, Dense), undefined for nodes that pass their input width through (Activation).
 */
export function inferShapes(
  structure: Structure,
  ownWidth: (node: GraphNode) => number | null | undefined,
): GraphShapes {
  // Null-prototype records: ids are user data ("__proto__" must be an ordinary key).
  const nodes: Record<string, NodeShape> = Object.create(null) as Record<string, NodeShape>;
  const { incoming, outgoing } = structure;

  // Kahn's order over usable wires; nodes in or after a loop are never reached and stay unknown.
  const waiting = new Map<string, number>();
  const ready: string[] = [];
  for (const id of structure.nodes.keys()) {
    const count = incoming.get(id)?.length ?? 0;
    waiting.set(id, count);
    if (count === 0) ready.push(id);
  }
  const outOf = (id: string): number | null => nodes[id]?.out ?? null;
  while (ready.length > 0) {
    const id = ready.shift() as string;
    const node = structure.nodes.get(id) as GraphNode;
    const wiresIn = incoming.get(id) ?? [];
    const width = wiresIn.length === 1 ? outOf(wiresIn[0].source) : null;
    nodes[id] = { in: width, out: outputWidth(node, width, ownWidth) };
    for (const edge of outgoing.get(id) ?? []) {
      const left = (waiting.get(edge.target) ?? 0) - 1;
      waiting.set(edge.target, left);
      if (left === 0) ready.push(edge.target);
    }
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
