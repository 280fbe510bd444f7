/**
 * Lay a chain out in rows that fit the visible canvas, read like text: left to right, then on
 * to the next row. A template is one long row; on a narrow window that row would be zoomed
 * out until its labels are too small to read.
 */
import type { GraphDocument } from '../../graph/document';

/** Room per node: the widest node (about 210 px) plus its outgoing edge label. */
export const COLUMN_WIDTH = 250;
/** Room per row: the tallest node (a Dense, about 150 px) plus a gap for the wire to the next row. */
export const ROW_HEIGHT = 210;

/** How many nodes fit side by side in `width` screen pixels at `zoom` (at least 2). */
export function columnsFor(width: number, zoom = 0.9): number {
  if (!Number.isFinite(width) || width <= 0) return Number.POSITIVE_INFINITY;
  return Math.max(2, Math.floor(width / zoom / COLUMN_WIDTH));
}

/**
 * `document` with its nodes, in document order, placed in rows of at most `maxColumns`, the
 * rows as even as possible (7 nodes in rows of up to 6 give 4 + 3, not 6 + 1).
 */
export function wrapRows(document: GraphDocument, maxColumns: number): GraphDocument {
  const count = document.nodes.length;
  if (count <= maxColumns) return document;
  const rows = Math.ceil(count / maxColumns);
  const columns = Math.ceil(count / rows);
  return {
    nodes: document.nodes.map((node, index) => ({
      ...node,
      position: {
        x: (index % columns) * COLUMN_WIDTH,
        y: Math.floor(index / columns) * ROW_HEIGHT,
      },
    })),
    edges: document.edges,
  };
}
