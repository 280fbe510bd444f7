/**
 * The wiring of a graph document as compile() sees it: which nodes and wires are usable, who
 * feeds whom, the separate parts, and the loops. Works on any document, however broken (ids
 * that repeat, wires to nowhere, unknown kinds) and never throws.
 */
import type { GraphDocument, GraphEdge, GraphNode, NodeKind } from './document';
import { NODE_KINDS, isNodeKind, type NodeKindInfo } from './node-kinds';

/** Why a wire cannot be used, or null when it can. */
export type EdgeFault =
  'duplicate-id' | 'missing-node' | 'self-loop' | 'duplicate' | 'out-of-loss' | 'into-input' | null;

export interface Structure {
  /** Nodes by id (the first node with an id wins; later ones are `duplicateNodes`). */
  nodes: Map<string, GraphNode>;
  duplicateNodes: GraphNode[];
  /** Each edge of the document with its fault (null when usable). */
  edgeFaults: { edge: GraphEdge; fault: EdgeFault }[];
  /** Usable wires into / out of each node id, in document order. */
  incoming: Map<string, GraphEdge[]>;
  outgoing: Map<string, GraphEdge[]>;
  /** Weakly connected parts over usable wires, each in document order; parts in order of first node. */
  parts: string[][];
  /** Parts that are loops: strongly connected sets of more than one node (self-loops are faults). */
  loops: string[][];
}

export function kindInfo(node: GraphNode | undefined): NodeKindInfo<NodeKind> | undefined {
  return node && isNodeKind(node.type) ? NODE_KINDS[node.type] : undefined;
}

function edgeFault(
  edge: GraphEdge,
  nodes: Map<string, GraphNode>,
  seen: Set<string>,
  seenIds: Set<string>,
): EdgeFault {
  // A second wire with an id already taken cannot be told apart from the first by the canvas.
  if (seenIds.has(edge.id)) return 'duplicate-id';
  seenIds.add(edge.id);
  const source = nodes.get(edge.source);
  const target = nodes.get(edge.target);
  if (!source || !target) return 'missing-node';
  if (edge.source === edge.target) return 'self-loop';
  const key = JSON.stringify([edge.source, edge.target]);
  if (seen.has(key)) return 'duplicate';
  seen.add(key);
  if (kindInfo(source)?.hasOutput === false) return 'out-of-loss';
  if (kindInfo(target)?.hasInput === false) return 'into-input';
  return null;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Ids reachable from `start` along `next` (start included). */
export function reachable(start: string, next: (id: string) => string[]): Set<string> {
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const id of next(stack.pop() as string)) {
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(id);
    }
  }
  return seen;
}

/**
 * Kahn's topological order over usable wires: sources in document order first, then each node
 * once all its inputs are placed, in the order its last input's wires appear. Nodes in or after a
 * loop are left out. A chain comes out in chain order.
 */
export function topologicalOrder(structure: Structure): string[] {
  const waiting = new Map<string, number>();
  const ready: string[] = [];
  for (const id of structure.nodes.keys()) {
    const count = structure.incoming.get(id)?.length ?? 0;
    waiting.set(id, count);
    if (count === 0) ready.push(id);
  }
  const order: string[] = [];
  for (let next = 0; next < ready.length; next++) {
    const id = ready[next];
    order.push(id);
    for (const edge of structure.outgoing.get(id) ?? []) {
      const left = (waiting.get(edge.target) ?? 0) - 1;
      waiting.set(edge.target, left);
      if (left === 0) ready.push(edge.target);
    }
  }
  return order;
}

export function analyseStructure(doc: GraphDocument): Structure {
  const nodes = new Map<string, GraphNode>();
  const duplicateNodes: GraphNode[] = [];
  for (const node of doc.nodes) {
    if (nodes.has(node.id)) duplicateNodes.push(node);
    else nodes.set(node.id, node);
  }

  const seenPairs = new Set<string>();
  const seenIds = new Set<string>();
  const edgeFaults = doc.edges.map((edge) => ({
    edge,
    fault: edgeFault(edge, nodes, seenPairs, seenIds),
  }));
  const incoming = new Map<string, GraphEdge[]>();
  const outgoing = new Map<string, GraphEdge[]>();
  for (const { edge, fault } of edgeFaults) {
    if (fault !== null) continue;
    push(incoming, edge.target, edge);
    push(outgoing, edge.source, edge);
  }
  const successors = (id: string) => (outgoing.get(id) ?? []).map((edge) => edge.target);
  const predecessors = (id: string) => (incoming.get(id) ?? []).map((edge) => edge.source);

  const parts: string[][] = [];
  const placed = new Set<string>();
  for (const id of nodes.keys()) {
    if (placed.has(id)) continue;
    const part = reachable(id, (n) => [...successors(n), ...predecessors(n)]);
    for (const member of part) placed.add(member);
    parts.push([...nodes.keys()].filter((n) => part.has(n)));
  }

  // A node is in a loop when it reaches one of its own predecessors; its loop is everything it
  // reaches that also reaches it. Documents are small, so plain reachability is enough.
  const loops: string[][] = [];
  const inLoop = new Set<string>();
  for (const id of nodes.keys()) {
    if (inLoop.has(id)) continue;
    const forward = reachable(id, successors);
    if (!predecessors(id).some((p) => forward.has(p))) continue;
    const backward = reachable(id, predecessors);
    const loop = [...nodes.keys()].filter((n) => forward.has(n) && backward.has(n));
    for (const member of loop) inLoop.add(member);
    loops.push(loop);
  }

  return { nodes, duplicateNodes, edgeFaults, incoming, outgoing, parts, loops };
}
