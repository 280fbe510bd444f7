/** Small builders for graph documents in tests. */
import type {
  GraphDocument,
  GraphEdge,
  GraphNode,
  NodeKind,
} from '../../../src/lib/graph/document';

export type Link = [NodeKind, Record<string, unknown>?];

export const inputNode = (size = 4): Link => ['input', { size }];
export const denseNode = (units: unknown = 5, init: unknown = 'auto'): Link => [
  'dense',
  { units, init },
];
export const act = (fn: unknown): Link => ['activation', { fn }];
export const lossNode = (loss: unknown): Link => ['loss', { loss }];

export function node(id: string, [type, params = {}]: Link, x = 0): GraphNode {
  return { id, type, position: { x, y: 0 }, params: { ...params } };
}

/** A chain n1 -> n2 -> ... with edges e1, e2, ... */
export function chain(...links: Link[]): GraphDocument {
  const nodes = links.map((link, i) => node(`n${i + 1}`, link, i * 200));
  const edges: GraphEdge[] = nodes
    .slice(1)
    .map((n, i) => ({ id: `e${i + 1}`, source: nodes[i].id, target: n.id }));
  return { nodes, edges };
}

/** The course's iris network: n1 input 4, n2 dense 5, n3 sigmoid, n4 dense 3, n5 softmax, n6 CE. */
export function irisChain(): GraphDocument {
  return chain(
    inputNode(4),
    denseNode(5),
    act('sigmoid'),
    denseNode(3),
    act('softmax'),
    lossNode('cross_entropy'),
  );
}

export function withEdges(doc: GraphDocument, ...edges: [string, string, string][]): GraphDocument {
  return {
    nodes: doc.nodes,
    edges: [...doc.edges, ...edges.map(([id, source, target]) => ({ id, source, target }))],
  };
}

export function withoutEdges(doc: GraphDocument, ...ids: string[]): GraphDocument {
  return { nodes: doc.nodes, edges: doc.edges.filter((e) => !ids.includes(e.id)) };
}

export function withNodes(doc: GraphDocument, ...nodes: GraphNode[]): GraphDocument {
  return { nodes: [...doc.nodes, ...nodes], edges: doc.edges };
}
