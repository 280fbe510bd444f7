/** canConnect: what the canvas refuses while a wire is dragged, and why; never a loop. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canConnect } from '../../../src/lib/graph/can-connect';
import type { GraphDocument, GraphEdge, NodeKind } from '../../../src/lib/graph/document';
import {
  act,
  chain,
  denseNode,
  inputNode,
  irisChain,
  lossNode,
  node,
  withNodes,
} from './build-doc';

function reason(doc: GraphDocument, source: string, target: string): string {
  const check = canConnect(doc, source, target);
  return check.ok ? 'ok' : check.reason;
}

describe('canConnect', () => {
  const loose = withNodes(
    chain(inputNode(4), denseNode(3), act('relu')),
    node('n4', denseNode(2)),
    node('n5', lossNode('mse')),
    node('n6', inputNode(2)),
  );

  it('allows the next link of a chain', () => {
    expect(canConnect(loose, 'n3', 'n4')).toEqual({ ok: true });
    expect(canConnect(loose, 'n6', 'n4')).toEqual({ ok: true });
  });

  it('refuses a wire into an Input or out of a Loss', () => {
    expect(reason(loose, 'n3', 'n6')).toMatch(/Input starts the network; nothing can feed into it/);
    expect(reason(withNodes(irisChain(), node('n7', denseNode(2))), 'n6', 'n7')).toMatch(
      /Loss ends the network; nothing can come after it/,
    );
  });

  it('refuses a node wired to itself', () => {
    expect(reason(loose, 'n4', 'n4')).toMatch(/cannot feed itself/);
  });

  it('refuses the same wire twice', () => {
    expect(reason(loose, 'n1', 'n2')).toMatch(/already wired/);
  });

  it('refuses a loop, however long, saying "cycle"', () => {
    expect(reason(loose, 'n3', 'n2')).toMatch(/loop \(a cycle\)/);
    // The canvas test's case: Dense n1 -> Dense n2 -> Activation n3, then n3 -> n1.
    const three = chain(denseNode(3), denseNode(3), act('relu'));
    expect(reason(three, 'n3', 'n1')).toMatch(/cycle/);
  });

  it('refuses a second wire into a one-input node, but lets an output feed several nodes', () => {
    expect(reason(loose, 'n6', 'n2')).toBe(
      'Dense already has an input; remove that wire first, or join both with an Add or a Concat.',
    );
    expect(canConnect(loose, 'n1', 'n4')).toEqual({ ok: true });
  });

  it('lets Add and Concat take several wires, still never a loop', () => {
    for (const kind of ['add', 'concat'] as const) {
      const doc = withNodes(loose, node('n7', [kind, {}]));
      const first = { ...doc, edges: [...doc.edges, { id: 'e9', source: 'n3', target: 'n7' }] };
      expect(canConnect(first, 'n1', 'n7')).toEqual({ ok: true });
      expect(canConnect(first, 'n6', 'n7')).toEqual({ ok: true });
      expect(reason(first, 'n3', 'n7')).toMatch(/already wired/);
      const back = { ...first, edges: [...first.edges, { id: 'e10', source: 'n7', target: 'n4' }] };
      expect(reason(back, 'n4', 'n7')).toMatch(/cycle/);
    }
  });

  it('refuses nodes that are not there', () => {
    expect(reason(loose, 'n1', 'ghost')).toMatch(/no longer exists/);
  });
});

const KINDS: NodeKind[] = ['input', 'dense', 'activation', 'dropout', 'add', 'concat', 'loss'];

/** Kahn's algorithm, independent of the code under test. */
function isAcyclic(doc: GraphDocument): boolean {
  const indegree = new Map(doc.nodes.map((n) => [n.id, 0]));
  for (const e of doc.edges) indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  const ready = [...indegree].filter(([, d]) => d === 0).map(([id]) => id);
  let removed = 0;
  while (ready.length > 0) {
    const id = ready.pop() as string;
    removed++;
    for (const e of doc.edges.filter((edge) => edge.source === id)) {
      const d = (indegree.get(e.target) ?? 0) - 1;
      indegree.set(e.target, d);
      if (d === 0) ready.push(e.target);
    }
  }
  return removed === indegree.size;
}

describe('canConnect (properties)', () => {
  it('wiring only what it allows never makes a loop, a second wire into a one-input node, or a wire into an Input / out of a Loss', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 9 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }),
        (kinds, attempts) => {
          const doc: GraphDocument = {
            nodes: kinds.map((kind, i) => node(`n${i + 1}`, [kind, {}])),
            edges: [],
          };
          for (const [a, b] of attempts) {
            const source = doc.nodes[a % kinds.length].id;
            const target = doc.nodes[b % kinds.length].id;
            if (!canConnect(doc, source, target).ok) continue;
            const edge: GraphEdge = { id: `e${doc.edges.length + 1}`, source, target };
            doc.edges = [...doc.edges, edge];
          }
          expect(isAcyclic(doc)).toBe(true);
          const kindOf = new Map(doc.nodes.map((n) => [n.id, n.type]));
          const ins = new Map<string, number>();
          const outs = new Map<string, number>();
          for (const e of doc.edges) {
            expect(e.source).not.toBe(e.target);
            expect(kindOf.get(e.target)).not.toBe('input');
            expect(kindOf.get(e.source)).not.toBe('loss');
            ins.set(e.target, (ins.get(e.target) ?? 0) + 1);
            outs.set(e.source, (outs.get(e.source) ?? 0) + 1);
          }
          for (const [id, count] of ins)
            if (kindOf.get(id) !== 'add' && kindOf.get(id) !== 'concat') expect(count).toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never allows a wire that closes a loop in any graph, even one that already has loops', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 7 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }),
        fc.nat(),
        fc.nat(),
        (kinds, pairs, a, b) => {
          const nodes = kinds.map((kind, i) => node(`n${i + 1}`, [kind, {}]));
          const id = (k: number) => nodes[k % nodes.length].id;
          const doc: GraphDocument = {
            nodes,
            edges: pairs.map(([s, t], i) => ({ id: `e${i + 1}`, source: id(s), target: id(t) })),
          };
          const source = id(a);
          const target = id(b);
          if (!canConnect(doc, source, target).ok) return;
          // The new wire is on a loop exactly when its target already reaches its source.
          const next = (n: string) => doc.edges.filter((e) => e.source === n).map((e) => e.target);
          const seen = new Set([target]);
          const stack = [target];
          while (stack.length > 0) {
            for (const t of next(stack.pop() as string)) {
              if (seen.has(t)) continue;
              seen.add(t);
              stack.push(t);
            }
          }
          expect(seen.has(source)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
