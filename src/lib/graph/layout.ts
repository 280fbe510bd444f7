/**
 * Where nodes go on the canvas: "Tidy up" (a layered left-to-right layout by @dagrejs/dagre, which
 * handles branches and merges of a DAG) and a free spot for a node added from the palette.
 * Pure geometry on plain sizes and positions; the canvas measures, GraphState applies.
 */
import dagre from '@dagrejs/dagre';
import type { GraphDocument } from './document';

export interface Size {
  width: number;
  height: number;
}
export interface Point {
  x: number;
  y: number;
}
/** A node's box: top-left corner and size, in flow coordinates. */
export interface Box extends Point, Size {}

/** A node not measured yet is taken to be about the size of a Dense node. */
export const DEFAULT_NODE_SIZE: Size = { width: 210, height: 150 };
/** Room between layers (it holds the wire's shape label) and between nodes of one layer. */
export const LAYER_GAP = 60;
export const NODE_GAP = 40;

/**
 * Top-left positions of every node of `document`, laid out left to right in layers (inputs on the
 * left, the loss on the right). `sizes` are measured sizes by node id; the first node's top-left
 * corner stays where it was, so tidying does not throw the view somewhere else.
 */
export function tidyPositions(
  document: GraphDocument,
  sizes: ReadonlyMap<string, Size> = new Map(),
): Map<string, Point> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', ranksep: LAYER_GAP, nodesep: NODE_GAP, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of document.nodes) {
    const size = sizes.get(node.id) ?? DEFAULT_NODE_SIZE;
    graph.setNode(node.id, { width: size.width, height: size.height });
  }
  for (const edge of document.edges)
    if (graph.hasNode(edge.source) && graph.hasNode(edge.target))
      graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);

  const positions = new Map<string, Point>();
  for (const node of document.nodes) {
    // dagre gives each node's centre; the canvas wants its top-left corner.
    const laid = graph.node(node.id);
    positions.set(node.id, { x: laid.x - laid.width / 2, y: laid.y - laid.height / 2 });
  }
  const first = document.nodes[0];
  if (!first) return positions;
  const from = positions.get(first.id) as Point;
  const shift = { x: first.position.x - from.x, y: first.position.y - from.y };
  for (const [id, at] of positions) positions.set(id, { x: at.x + shift.x, y: at.y + shift.y });
  return positions;
}

/** Whether two boxes, each grown by `gap` on every side, overlap. */
export function boxesOverlap(a: Box, b: Box, gap = 0): boolean {
  return (
    a.x < b.x + b.width + gap &&
    b.x < a.x + a.width + gap &&
    a.y < b.y + b.height + gap &&
    b.y < a.y + a.height + gap
  );
}

/**
 * The top-left corner for a new node of `size` as near `centre` as possible (its centre there
 * when that is free) without touching any of `occupied` (a gap of NODE_GAP / 2 kept). Tried on a
 * grid of half a node in rings around the centre, nearest first, so the answer is deterministic.
 */
export function freeSpot(
  occupied: readonly Box[],
  centre: Point,
  size: Size = DEFAULT_NODE_SIZE,
): Point {
  const start = { x: centre.x - size.width / 2, y: centre.y - size.height / 2 };
  const stepX = size.width / 2 + NODE_GAP / 2;
  const stepY = size.height / 2 + NODE_GAP / 2;
  const fits = (at: Point) =>
    !occupied.some((box) => boxesOverlap({ ...at, ...size }, box, NODE_GAP / 2));
  // Rings of the grid around the start; 60 rings cover far more than any graph the editor allows.
  for (let ring = 0; ring <= 60; ring++) {
    const candidates: Point[] = [];
    for (let i = -ring; i <= ring; i++)
      for (let j = -ring; j <= ring; j++)
        if (Math.max(Math.abs(i), Math.abs(j)) === ring)
          candidates.push({ x: start.x + i * stepX, y: start.y + j * stepY });
    // Nearest first; on a tie prefer right of and below the centre (reading order).
    candidates.sort(
      (a, b) =>
        Math.hypot(a.x - start.x, a.y - start.y) - Math.hypot(b.x - start.x, b.y - start.y) ||
        b.x - a.x ||
        b.y - a.y,
    );
    const free = candidates.find(fits);
    if (free) return free;
  }
  // Everything near is taken: go right of the rightmost node.
  const right = Math.max(...occupied.map((box) => box.x + box.width));
  return { x: right + NODE_GAP, y: start.y };
}
