/** compile() on branching graphs: skip connections, Concat order, Dropout, and what is refused. */
import { describe, expect, it } from 'vitest';
import { createNetwork } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import { compileGraph, type CompileContext } from '../../../src/lib/graph/compile';
import type { GraphDocument, GraphEdge } from '../../../src/lib/graph/document';
import { act, denseNode, inputNode, lossNode, node, type Link } from './build-doc';

/** Nodes n1.. from links, wires e1.. from [source, target] index pairs (1-based). */
function graph(links: Link[], wires: [number, number][]): GraphDocument {
  const nodes = links.map((link, i) => node(`n${i + 1}`, link, i * 200));
  const edges: GraphEdge[] = wires.map(([s, t], i) => ({
    id: `e${i + 1}`,
    source: `n${s}`,
    target: `n${t}`,
  }));
  return { nodes, edges };
}

const errorsOf = (doc: GraphDocument, context?: CompileContext) =>
  compileGraph(doc, context).errors.map((e) => [e.nodeId ?? `edge:${e.edgeId}`, e.message]);

/** Input 4 → Dense 8 → Sigmoid ─┬→ Dense 8 → Sigmoid → Add → Dense 3 → Softmax → CE
 *                               └──────────────────────↗                                 */
function skip(secondUnits = 8): GraphDocument {
  return graph(
    [
      inputNode(4),
      denseNode(8),
      act('sigmoid'),
      denseNode(secondUnits),
      act('sigmoid'),
      ['add', {}],
      denseNode(3),
      act('softmax'),
      lossNode('cross_entropy'),
    ],
    [
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [3, 6],
      [5, 6],
      [6, 7],
      [7, 8],
      [8, 9],
    ],
  );
}

describe('compileGraph on branching graphs', () => {
  it('a skip connection: topological order, Add inputs in wire order, shapes through the merge', () => {
    const result = compileGraph(skip());
    expect(result.errors).toEqual([]);
    expect(result.spec?.layers.map((l) => [l.id, l.inputs])).toEqual([
      ['n2', ['n1']],
      ['n3', ['n2']],
      ['n4', ['n3']],
      ['n5', ['n4']],
      ['n6', ['n3', 'n5']],
      ['n7', ['n6']],
      ['n8', ['n7']],
    ]);
    expect(result.spec?.layers[4]).toEqual({
      id: 'n6',
      type: 'add',
      inputs: ['n3', 'n5'],
      size: 8,
    });
    expect(result.shapes.nodes.n6).toEqual({ in: 8, out: 8 });
    expect(result.shapes.edges.e5).toBe(8);
    // The engine builds it as it is.
    expect(() => createNetwork(result.spec!, createRng(1))).not.toThrow();
  });

  it('reordering the wires into an Add reorders its inputs', () => {
    const doc = skip();
    const [e5, e6] = [doc.edges[4], doc.edges[5]];
    const swapped = { ...doc, edges: [...doc.edges.slice(0, 4), e6, e5, ...doc.edges.slice(6)] };
    expect(compileGraph(swapped).spec?.layers[4].inputs).toEqual(['n5', 'n3']);
  });

  it('an Add of two widths: on the Add, naming both sides', () => {
    expect(errorsOf(skip(5))).toEqual([
      [
        'n6',
        'Add needs inputs of one shape: n3 gives B × 8, n5 gives B × 5. Give them the same width (e.g. the Dense units), or use a Concat.',
      ],
    ]);
    expect(compileGraph(skip(5)).shapes.nodes.n6).toEqual({ in: null, out: null });
  });

  it('Concat puts its inputs side by side in wire order; Dropout keeps the width', () => {
    // Input 3 → Dense 4 ─┐
    //         → Dense 2 ─┴→ Concat → Dropout 0.2 → Dense 1 → mse
    const doc = graph(
      [
        inputNode(3),
        denseNode(4),
        denseNode(2),
        ['concat', {}],
        ['dropout', { rate: 0.2 }],
        denseNode(1),
        lossNode('mse'),
      ],
      [
        [1, 2],
        [1, 3],
        [3, 4],
        [2, 4],
        [4, 5],
        [5, 6],
        [6, 7],
      ],
    );
    const result = compileGraph(doc, { inputSize: 3, task: 'regression' });
    expect(result.errors).toEqual([]);
    expect(result.spec?.layers.slice(2, 4)).toEqual([
      { id: 'n4', type: 'concat', inputs: ['n3', 'n2'], size: 6 },
      { id: 'n5', type: 'dropout', inputs: ['n4'], rate: 0.2, size: 6 },
    ]);
    expect(result.shapes.nodes.n4).toEqual({ in: 6, out: 6 });
    expect(() => createNetwork(result.spec!, createRng(1))).not.toThrow();
  });

  it('an Add or a Concat with one wire: on that node', () => {
    for (const kind of ['add', 'concat'] as const) {
      const doc = graph(
        [inputNode(2), denseNode(2), [kind, {}], lossNode('mse')],
        [
          [1, 2],
          [2, 3],
          [3, 4],
        ],
      );
      expect(errorsOf(doc)).toEqual([
        ['n3', expect.stringMatching(/has one wire coming in, but it needs two or more/)],
      ]);
    }
  });

  it('a branch nothing feeds, and a branch that leads nowhere: on those nodes', () => {
    const fedByNothing = skip();
    fedByNothing.nodes.push(node('n10', denseNode(8)));
    fedByNothing.edges.push({ id: 'e10', source: 'n10', target: 'n6' });
    expect(errorsOf(fedByNothing)).toEqual([
      ['n10', expect.stringMatching(/Nothing feeds this Dense/)],
    ]);
    const deadEnd = skip();
    deadEnd.nodes.push(node('n10', act('relu')));
    deadEnd.edges.push({ id: 'e10', source: 'n3', target: 'n10' });
    expect(errorsOf(deadEnd)).toEqual([['n10', expect.stringMatching(/leads nowhere/)]]);
  });

  it('a second Input merged in, and a second Loss on a branch: each reported', () => {
    const doc = skip();
    doc.nodes.push(node('n10', inputNode(8)), node('n11', lossNode('mse')));
    doc.edges.push(
      { id: 'e10', source: 'n10', target: 'n6' },
      { id: 'e11', source: 'n7', target: 'n11' },
    );
    const errors = errorsOf(doc);
    expect(errors).toContainEqual(['n10', expect.stringMatching(/2 Input nodes/)]);
    expect(errors).toContainEqual(['n11', expect.stringMatching(/2 Loss nodes/)]);
  });

  it('a Softmax that also feeds another branch is not last', () => {
    const doc = skip();
    doc.nodes.push(node('n10', act('relu')));
    doc.edges.push(
      { id: 'e10', source: 'n8', target: 'n10' },
      { id: 'e11', source: 'n10', target: 'n9' },
    );
    expect(errorsOf(doc)).toContainEqual([
      'n8',
      expect.stringMatching(/Softmax must be the last layer/),
    ]);
  });

  it('looks through a Dropout for the Dense that sets the output width', () => {
    const doc = graph(
      [inputNode(2), denseNode(3), ['dropout', { rate: 0.1 }], lossNode('mse')],
      [
        [1, 2],
        [2, 3],
        [3, 4],
      ],
    );
    expect(errorsOf(doc, { task: 'regression' })).toEqual([
      ['n2', expect.stringMatching(/must output 1; it outputs 3\. Set this Dense to 1 units/)],
    ]);
  });

  it('a Dropout rate of 1 or more: on the node', () => {
    const doc = graph(
      [inputNode(2), ['dropout', { rate: 1 }], lossNode('mse')],
      [
        [1, 2],
        [2, 3],
      ],
    );
    expect(errorsOf(doc)).toEqual([
      ['n2', expect.stringMatching(/Rate must be a number from 0 up to/)],
    ]);
  });
});
