/** The layer spec (DESIGN.md §3) of a graph that passed every check: walk the chain from the Input. */
import type { LayerItemSpec, LayerSpec } from '../engine/spec';
import type { CompileState } from './compile-types';

export function buildSpec({ structure, typed }: CompileState): LayerSpec | null {
  const input = [...structure.nodes.values()].find((node) => node.type === 'input');
  const start = input ? typed.get(input.id) : undefined;
  if (!input || start?.kind !== 'input') return null;
  const layers: LayerItemSpec[] = [];
  let previous = input.id;
  let width = start.params.size;
  // At most one step per node: a chain that does not end at a Loss gives no spec.
  for (let step = 0; step < structure.nodes.size; step++) {
    const wire = structure.outgoing.get(previous)?.[0];
    const t = wire ? typed.get(wire.target) : undefined;
    if (!wire || !t || t.kind === 'input') return null;
    const id = wire.target;
    if (t.kind === 'loss')
      return {
        input: { id: input.id, size: start.params.size },
        layers,
        loss: { id, type: t.params.loss, inputs: [previous] },
      };
    if (t.kind === 'dense') {
      const { units, init } = t.params;
      layers.push({ id, type: 'dense', inputs: [previous], inputSize: width, units, init });
      width = units;
    } else {
      const { fn, alpha } = t.params;
      layers.push({
        id,
        type: 'activation',
        inputs: [previous],
        fn,
        size: width,
        ...(alpha !== undefined ? { alpha } : {}),
      });
    }
    previous = id;
  }
  return null;
}
