/**
 * What an Add needs of its inputs: one width, so the numbers can be added one by one. The message
 * names both sides ("Add needs inputs of one shape: n3 gives B × 8, n5 gives B × 5"). Concat
 * takes any widths, so it has nothing to check here.
 */
import type { CompileState } from './compile-types';

export function checkMergeWidths({ structure, shapes, errors }: CompileState): void {
  for (const node of structure.nodes.values()) {
    if (node.type !== 'add') continue;
    const sides = (structure.incoming.get(node.id) ?? []).map((edge) => ({
      id: edge.source,
      width: shapes.nodes[edge.source]?.out ?? null,
    }));
    const [first] = sides;
    const other = sides.find(
      (side) => first.width !== null && side.width !== null && side.width !== first.width,
    );
    if (other)
      errors.node(
        node.id,
        `Add needs inputs of one shape: ${first.id} gives B × ${first.width}, ${other.id} gives B × ${other.width}. Give them the same width (e.g. the Dense units), or use a Concat.`,
      );
  }
}
