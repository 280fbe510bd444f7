/**
 * compile() on generated graphs: random kinds, random wires (loops, repeats, wires to nowhere),
 * missing and garbage parameters, random dataset contexts; valid chains of random depth; and
 * valid DAGs (branches, Add, Concat, Dropout, fan-out) whose spec the engine builds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateSpec } from '../../../src/lib/engine/network';
import { ACTIVATION_NAMES, layerOutputSize, type LayerSpec } from '../../../src/lib/engine/spec';
import {
  compileGraph,
  INTERNAL_ERROR_PREFIX,
  type CompileContext,
  type CompileResult,
} from '../../../src/lib/graph/compile';
import type { GraphDocument, GraphEdge, GraphNode } from '../../../src/lib/graph/document';
import { NODE_KINDS } from '../../../src/lib/graph/node-kinds';
import { chain, node, type Link } from './build-doc';

const garbageValue = fc.oneof(
  fc.integer({ min: -10, max: 5000 }),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.constantFrom(
    'relu',
    'softmax',
    'sigmoid',
    'mse',
    'cross_entropy',
    'binary_cross_entropy',
    'auto',
    'he',
    '__proto__',
  ),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.integer(), { maxLength: 2 }),
);

const params = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(
    fc.constantFrom('size', 'units', 'init', 'fn', 'alpha', 'rate', 'loss', 'other'),
    garbageValue,
    {
      maxKeys: 4,
    },
  ),
);

const kind = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.constantFrom('input', 'dense', 'activation', 'dropout', 'add', 'concat', 'loss'),
  },
  { weight: 1, arbitrary: fc.constantFrom('conv', '', 'constructor') },
);

const ids = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7', '__proto__'];

const randomDoc: fc.Arbitrary<GraphDocument> = fc
  .tuple(
    fc.array(
      fc.record({ id: fc.constantFrom(...ids), type: kind, params, useDefaults: fc.boolean() }),
      {
        maxLength: 8,
      },
    ),
    fc.array(
      fc.record({
        id: fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9'),
        source: fc.constantFrom(...ids, 'ghost'),
        target: fc.constantFrom(...ids, 'ghost'),
      }),
      { maxLength: 12 },
    ),
  )
  .map(([nodes, edges]) => ({
    nodes: nodes.map(
      (n, i) =>
        ({
          id: n.id,
          type: n.type,
          position: { x: i * 100, y: 0 },
          params:
            n.useDefaults && Object.hasOwn(NODE_KINDS, n.type)
              ? NODE_KINDS[n.type as keyof typeof NODE_KINDS].defaultParams()
              : n.params,
        }) as unknown as GraphNode,
    ),
    edges,
  }));

const context: fc.Arbitrary<CompileContext> = fc.record(
  {
    inputSize: fc.oneof(fc.integer({ min: -1, max: 10 }), fc.double()),
    task: fc.constantFrom('classification' as const, 'regression' as const),
    classCount: fc.integer({ min: 0, max: 12 }),
    datasetLabel: fc.string({ maxLength: 6 }),
  },
  { requiredKeys: [] },
);

/** Output width of each node along the spec: input size, dense units, activation size. */
function checkSpecChain(spec: LayerSpec, doc: GraphDocument, result: CompileResult): void {
  let previous = spec.input.id;
  let width = spec.input.size;
  expect(result.shapes.nodes[spec.input.id].out).toBe(width);
  for (const layer of spec.layers) {
    expect(layer.inputs).toEqual([previous]);
    if (layer.type === 'dense') {
      expect(layer.inputSize).toBe(width);
      width = layer.units;
    } else {
      expect(layer.size).toBe(width);
    }
    expect(result.shapes.nodes[layer.id]).toEqual({
      in: layer.type === 'dense' ? layer.inputSize : layer.size,
      out: width,
    });
    previous = layer.id;
  }
  expect(spec.loss.inputs).toEqual([previous]);
  expect(result.shapes.nodes[spec.loss.id].in).toBe(width);
  // Every node appears once, and every wire joins neighbours of the chain.
  const order = [spec.input.id, ...spec.layers.map((l) => l.id), spec.loss.id];
  expect([...order].sort()).toEqual(doc.nodes.map((n) => n.id).sort());
  for (const edge of doc.edges)
    expect(order.indexOf(edge.target)).toBe(order.indexOf(edge.source) + 1);
  expect(doc.edges).toHaveLength(order.length - 1);
}

/**
 * Any spec against its document: every node once, layers in topological order, each layer's
 * inputs the sources of its wires in document order, widths that fit, shapes that agree, and a
 * spec the engine accepts.
 */
function checkSpecDag(spec: LayerSpec, doc: GraphDocument, result: CompileResult): void {
  const width = new Map<string, number>([[spec.input.id, spec.input.size]]);
  const wiredInto = (id: string) => doc.edges.filter((e) => e.target === id).map((e) => e.source);
  for (const layer of spec.layers) {
    expect(layer.inputs).toEqual(wiredInto(layer.id));
    const widths = layer.inputs.map((id) => width.get(id));
    for (const w of widths) expect(w).toBeDefined();
    const inWidth =
      layer.type === 'concat' ? (widths as number[]).reduce((a, b) => a + b, 0) : widths[0];
    if (layer.type === 'add') for (const w of widths) expect(w).toBe(inWidth);
    if (layer.type === 'dense') expect(layer.inputSize).toBe(inWidth);
    else expect(layer.size).toBe(inWidth);
    width.set(layer.id, layerOutputSize(layer));
    expect(result.shapes.nodes[layer.id]).toEqual({ in: inWidth, out: width.get(layer.id) });
  }
  expect(spec.loss.inputs).toEqual(wiredInto(spec.loss.id));
  const order = [spec.input.id, ...spec.layers.map((l) => l.id), spec.loss.id];
  expect([...order].sort()).toEqual(doc.nodes.map((n) => n.id).sort());
  expect(() => validateSpec(spec)).not.toThrow();
}

function checkInvariants(doc: GraphDocument, result: CompileResult): void {
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  const places = new Set<string>();
  for (const error of result.errors) {
    expect(error.message).not.toContain(INTERNAL_ERROR_PREFIX);
    expect(error.message.length).toBeGreaterThan(10);
    // Names exactly one thing, and it exists.
    expect((error.nodeId === undefined) !== (error.edgeId === undefined)).toBe(true);
    if (error.nodeId !== undefined) expect(nodeIds.has(error.nodeId)).toBe(true);
    if (error.edgeId !== undefined) expect(edgeIds.has(error.edgeId)).toBe(true);
    // The canvas lists a node's messages keyed by text: never the same one twice in one place.
    const target = doc.edges.find((e) => e.id === error.edgeId)?.target;
    const place = JSON.stringify([
      error.nodeId ?? (target !== undefined && nodeIds.has(target) ? target : error.edgeId),
      error.message,
    ]);
    expect(places.has(place)).toBe(false);
    places.add(place);
  }
  if (result.spec) {
    expect(result.errors).toEqual([]);
    checkSpecDag(result.spec, doc, result);
  } else {
    // Nothing compiles without a reason, except an empty canvas.
    expect(result.errors.length > 0 || doc.nodes.length === 0).toBe(true);
  }
  for (const id of nodeIds) expect(result.shapes.nodes[id]).toBeDefined();
  for (const id of edgeIds) expect(id in result.shapes.edges).toBe(true);
}

describe('compileGraph (properties)', () => {
  it('never throws on random graphs, and every error names an existing node or wire', () => {
    fc.assert(
      fc.property(randomDoc, fc.option(context, { nil: undefined }), (doc, ctx) => {
        checkInvariants(doc, compileGraph(doc, ctx));
      }),
      { numRuns: 2000 },
    );
  }, 30_000);

  // Valid chains: hidden layers, then a head that fits its loss.
  const hidden = fc.array(
    fc.oneof(
      fc.integer({ min: 1, max: 64 }).map((units): Link => ['dense', { units, init: 'auto' }]),
      fc
        .constantFrom(...ACTIVATION_NAMES.filter((fn) => fn !== 'softmax'))
        .map((fn): Link => ['activation', { fn }]),
    ),
    { maxLength: 6 },
  );
  const head = fc.oneof(
    fc.constant<Link[]>([['loss', { loss: 'mse' }]]),
    fc.integer({ min: 2, max: 12 }).map((k): Link[] => [
      ['dense', { units: k, init: 'he' }],
      ['activation', { fn: 'softmax' }],
      ['loss', { loss: 'cross_entropy' }],
    ]),
    fc.constant<Link[]>([
      ['dense', { units: 1, init: 'xavier' }],
      ['activation', { fn: 'sigmoid' }],
      ['loss', { loss: 'binary_cross_entropy' }],
    ]),
  );
  const validChain = fc
    .tuple(fc.integer({ min: 1, max: 64 }), hidden, head, fc.integer())
    .map(([size, layers, tail, seed]) => {
      const doc = chain(['input', { size }], ...layers, ...tail);
      // Document order is not chain order: shuffle nodes and wires deterministically.
      const shuffle = <T>(items: T[]) =>
        items
          .map((item, i) => ({ item, key: Math.sin(seed + i * 7919) }))
          .sort((a, b) => a.key - b.key)
          .map(({ item }) => item);
      return { nodes: shuffle(doc.nodes), edges: shuffle(doc.edges) };
    });

  it('compiles every valid chain, and its shapes chain from Input to Loss', () => {
    fc.assert(
      fc.property(validChain, (doc) => {
        const result = compileGraph(doc);
        expect(result.errors).toEqual([]);
        expect(result.spec).not.toBeNull();
        checkSpecChain(result.spec!, doc, result);
        checkInvariants(doc, result);
      }),
      { numRuns: 500 },
    );
  });

  it('a valid chain with one wire removed does not compile, and says where', () => {
    fc.assert(
      fc.property(validChain, fc.nat(), (doc, k) => {
        const cut = {
          nodes: doc.nodes,
          edges: doc.edges.filter((_, i) => i !== k % doc.edges.length),
        };
        const result = compileGraph(cut);
        expect(result.spec).toBeNull();
        expect(result.errors.length).toBeGreaterThan(0);
        checkInvariants(cut, result);
      }),
      { numRuns: 300 },
    );
  });

  /**
   * Valid DAGs grown from the Input: each step hangs a Dense (+ activation) or a Dropout off a
   * random node, adds a skip connection (Add of a node and a branch back to its width), or a
   * Concat of two or three nodes; the loose ends are joined by a Concat before the head.
   */
  const validDag = fc
    .record({
      size: fc.integer({ min: 1, max: 16 }),
      steps: fc.array(fc.tuple(fc.nat(4), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 9 })), {
        maxLength: 8,
      }),
      tail: head,
      seed: fc.integer(),
    })
    .map(({ size, steps, tail, seed }) => {
      const nodes: GraphNode[] = [node('n1', ['input', { size }])];
      const edges: GraphEdge[] = [];
      const widths = new Map<string, number>([['n1', size]]);
      const used = new Set<string>();
      const add = (link: Link, from: string[], width: number): string => {
        const id = `n${nodes.length + 1}`;
        nodes.push(node(id, link, nodes.length * 100));
        for (const source of from) {
          edges.push({ id: `e${edges.length + 1}`, source, target: id });
          used.add(source);
        }
        widths.set(id, width);
        return id;
      };
      const at = (k: number) => nodes[k % nodes.length].id;
      for (const [op, a, b, units] of steps) {
        const from = at(a);
        const w = widths.get(from)!;
        if (op === 0)
          add(
            ['activation', { fn: 'tanh' }],
            [add(['dense', { units, init: 'auto' }], [from], units)],
            units,
          );
        else if (op === 1) add(['dropout', { rate: 0.3 }], [from], w);
        else if (op === 2) {
          const branch = add(
            ['dense', { units: w, init: 'auto' }],
            [add(['dense', { units, init: 'auto' }], [from], units)],
            w,
          );
          add(['add', {}], [from, branch], w);
        } else {
          const other = at(b);
          if (other !== from) add(['concat', {}], [from, other], w + widths.get(other)!);
        }
      }
      const loose = nodes.map((n) => n.id).filter((id) => !used.has(id));
      const end =
        loose.length > 1
          ? add(
              ['concat', {}],
              loose,
              loose.reduce((t, id) => t + widths.get(id)!, 0),
            )
          : loose[0];
      let last = end;
      for (const link of tail) {
        const w = link[0] === 'dense' ? (link[1]!.units as number) : widths.get(last)!;
        last = add(link, [last], w);
      }
      // Document order is not topological order: shuffle nodes (not wires: their order is Concat's column order).
      const shuffled = nodes
        .map((item, i) => ({ item, key: Math.sin(seed + i * 7919) }))
        .sort((x, y) => x.key - y.key)
        .map(({ item }) => item);
      return { nodes: shuffled, edges };
    });

  it('compiles every valid DAG into a topological spec the engine accepts', () => {
    fc.assert(
      fc.property(validDag, (doc) => {
        const result = compileGraph(doc);
        expect(result.errors).toEqual([]);
        expect(result.spec).not.toBeNull();
        checkInvariants(doc, result);
      }),
      { numRuns: 500 },
    );
  });

  it('a valid DAG with one wire removed or one more wire does not compile, never throws', () => {
    fc.assert(
      fc.property(validDag, fc.nat(), fc.nat(), fc.boolean(), (doc, k, j, remove) => {
        const ids = doc.nodes.map((n) => n.id);
        const changed = remove
          ? { nodes: doc.nodes, edges: doc.edges.filter((_, i) => i !== k % doc.edges.length) }
          : {
              nodes: doc.nodes,
              edges: [
                ...doc.edges,
                { id: 'extra', source: ids[k % ids.length], target: ids[j % ids.length] },
              ],
            };
        const result = compileGraph(changed);
        checkInvariants(changed, result);
        if (remove) expect(result.spec).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
