/**
 * Who feeds whom in a (validated) LayerSpec, as indices the network loops over. Node 0 is the
 * input, node j + 1 is spec.layers[j]. Backward visits the layers in reverse order; where an
 * output fans out, the first consumer visited writes its dC/dA and the later ones add to it
 * (DESIGN.md §2: the sum of what each consumer sends back). In a chain nobody adds.
 */
import type { LayerSpec } from './spec';

export interface Topology {
  /** inputNodes[i][k]: the node of layer i's k-th input. */
  inputNodes: number[][];
  /** accumulates[i][k]: whether layer i's k-th input gradient adds to one already written. */
  accumulates: boolean[][];
}

export function topologyOf(spec: LayerSpec): Topology {
  const nodeOf = new Map<string, number>([[spec.input.id, 0]]);
  spec.layers.forEach((layer, j) => nodeOf.set(layer.id, j + 1));
  const inputNodes = spec.layers.map((layer) => layer.inputs.map((id) => nodeOf.get(id) as number));
  const written = new Set<number>();
  const accumulates: boolean[][] = new Array<boolean[]>(spec.layers.length);
  for (let i = spec.layers.length - 1; i >= 0; i--)
    accumulates[i] = inputNodes[i].map((node) => {
      const already = written.has(node);
      written.add(node);
      return already;
    });
  return { inputNodes, accumulates };
}
