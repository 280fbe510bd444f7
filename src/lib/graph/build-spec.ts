/**
 * The layer spec (DESIGN.md §3) of a graph that passed every check: its nodes in topological
 * order, each layer with its inputs in the order of its wires in `edges` (Concat's column order).
 */
import type { LayerItemSpec, LayerSpec } from '../engine/spec';
import type { CompileState, TypedParams } from './compile-types';
import { topologicalOrder } from './structure';

/** The spec entry of one node, given its inputs and the width coming in; null for Input/Loss. */
function layerOf(
  id: string,
  t: TypedParams,
  inputs: string[],
  width: number,
): LayerItemSpec | null {
  switch (t.kind) {
    case 'dense':
      return { id, type: 'dense', inputs, inputSize: width, ...t.params };
    case 'activation': {
      const { fn, alpha } = t.params;
      return {
        id,
        type: 'activation',
        inputs,
        fn,
        size: width,
        ...(alpha !== undefined ? { alpha } : {}),
      };
    }
    case 'dropout':
      return { id, type: 'dropout', inputs, rate: t.params.rate, size: width };
    case 'add':
    case 'concat':
      return { id, type: t.kind, inputs, size: width };
    default:
      return null;
  }
}

export function buildSpec({ structure, typed, shapes }: CompileState): LayerSpec | null {
  const layers: LayerItemSpec[] = [];
  let input: LayerSpec['input'] | null = null;
  for (const id of topologicalOrder(structure)) {
    const t = typed.get(id);
    const inputs = (structure.incoming.get(id) ?? []).map((edge) => edge.source);
    const width = shapes.nodes[id]?.in ?? null;
    if (!t) return null;
    if (t.kind === 'input') {
      input = { id, size: t.params.size };
      continue;
    }
    if (!input || width === null) return null;
    if (t.kind === 'loss')
      // Every node leads to the Loss through its one input, so the Loss comes last.
      return { input, layers, loss: { id, type: t.params.loss, inputs } };
    const layer = layerOf(id, t, inputs, width);
    if (!layer) return null;
    layers.push(layer);
  }
  return null;
}
