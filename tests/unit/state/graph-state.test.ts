/**
 * GraphState, the editor's state, driven the way the canvas and the inspector drive it: every
 * edit compiles at once, is one undo step, and is saved; restore and undo bring back exactly
 * what was there.
 */
import { describe, expect, test } from 'vitest';
import { GraphState } from '../../../src/lib/state/graph.svelte';
import { AUTOSAVE_CORRUPT_KEY, AUTOSAVE_KEY } from '../../../src/lib/state/autosave';
import type { GraphDocument } from '../../../src/lib/graph/document';
import type { NodeKind } from '../../../src/lib/graph/document';
import { MemoryStorage } from './memory-storage';

/** A fresh state, and the chain of `kinds` added and wired left to right (ids n1, n2, …). */
function chain(kinds: NodeKind[], storage: Storage | null = null): GraphState {
  const graph = new GraphState({ storage });
  kinds.forEach((kind, i) => graph.addNode(kind, { x: i * 200, y: 0 }));
  for (let i = 1; i < kinds.length; i++) {
    const check = graph.connect(`n${i}`, `n${i + 1}`);
    if (!check.ok) throw new Error(check.reason);
  }
  return graph;
}

/** The iris network built by hand: 4 -> Dense 5 -> sigmoid -> Dense 3 -> softmax -> CE. */
function iris(storage: Storage | null = null): GraphState {
  const graph = chain(['input', 'dense', 'activation', 'dense', 'activation', 'loss'], storage);
  graph.updateParams('n1', { size: 4 });
  graph.updateParams('n2', { units: 5 });
  graph.updateParams('n3', { fn: 'sigmoid' });
  graph.updateParams('n4', { units: 3 });
  graph.updateParams('n5', { fn: 'softmax' });
  graph.updateParams('n6', { loss: 'cross_entropy' });
  return graph;
}

const copy = (doc: GraphDocument): GraphDocument => JSON.parse(JSON.stringify(doc));

describe('GraphState', () => {
  test('added nodes get short ids, their kind defaults, and become the only selection', () => {
    const graph = new GraphState({ storage: null });
    expect(graph.addNode('input', { x: 10, y: 20 })).toBe('n1');
    expect(graph.addNode('dense', { x: 200, y: 20 })).toBe('n2');
    expect(graph.document.nodes).toEqual([
      { id: 'n1', type: 'input', position: { x: 10, y: 20 }, params: { size: 2 } },
      { id: 'n2', type: 'dense', position: { x: 200, y: 20 }, params: { units: 8, init: 'auto' } },
    ]);
    expect(graph.selectedNodes.map((node) => node.id)).toEqual(['n2']);
  });

  test('a hand-built iris network compiles to the spec of DESIGN §3 with shapes on every wire', () => {
    const graph = iris();
    expect(graph.compiled.errors).toEqual([]);
    expect(graph.compiled.spec).toEqual({
      input: { id: 'n1', size: 4 },
      layers: [
        { id: 'n2', type: 'dense', inputs: ['n1'], inputSize: 4, units: 5, init: 'auto' },
        { id: 'n3', type: 'activation', inputs: ['n2'], fn: 'sigmoid', size: 5 },
        { id: 'n4', type: 'dense', inputs: ['n3'], inputSize: 5, units: 3, init: 'auto' },
        { id: 'n5', type: 'activation', inputs: ['n4'], fn: 'softmax', size: 3 },
      ],
      loss: { id: 'n6', type: 'cross_entropy', inputs: ['n5'] },
    });
    expect(graph.compiled.shapes.edges).toEqual({ e1: 4, e2: 5, e3: 5, e4: 3, e5: 3 });
  });

  test('connections that can never be valid are refused with a reason and add nothing', () => {
    const graph = chain(['input', 'dense', 'activation']);
    const cycle = graph.connect('n3', 'n2');
    expect(cycle.ok).toBe(false);
    if (!cycle.ok) expect(cycle.reason).toMatch(/loop|cycle/i);
    const intoInput = graph.checkConnection('n2', 'n1');
    expect(intoInput.ok).toBe(false);
    expect(graph.newEdge('n3', 'n1')).toBeNull();
    expect(graph.document.edges).toHaveLength(2);
  });

  test('errors are listed under the node they belong to', () => {
    const graph = iris();
    graph.select('n5');
    graph.removeSelected();
    graph.connect('n4', 'n6');
    const messages = graph.errorsByNode.get('n6') ?? [];
    expect(messages.join(' ')).toMatch(/softmax/i);
    // The node elements get aria-invalid through Svelte Flow's domAttributes.
    graph.watchErrors();
    const loss = graph.nodes.find((node) => node.id === 'n6');
    expect(loss?.domAttributes?.['aria-invalid']).toBe('true');
    expect(
      graph.nodes.filter((node) => node.domAttributes?.['aria-invalid']).map((node) => node.id),
    ).toEqual([...graph.errorsByNode.keys()].sort());
  });

  test('typing into one field is one undo step; undo and redo walk the edits exactly', () => {
    const graph = chain(['input', 'dense']);
    const wired = copy(graph.document);
    for (const units of [1, 12, 128]) graph.updateParams('n2', { units });
    graph.updateParams('n2', { init: 'he' });
    const edited = copy(graph.document);
    expect(edited.nodes[1].params).toEqual({ units: 128, init: 'he' });

    graph.undo();
    expect(graph.document.nodes[1].params).toEqual({ units: 128, init: 'auto' });
    graph.undo();
    expect(graph.document).toEqual(wired);
    expect(graph.canRedo).toBe(true);
    graph.redo();
    graph.redo();
    expect(graph.document).toEqual(edited);
    expect(graph.canRedo).toBe(false);

    // A new edit after an undo drops the redo branch.
    graph.undo();
    graph.updateParams('n1', { size: 3 });
    expect(graph.canRedo).toBe(false);
  });

  test('deleting nodes takes their wires; undo brings both back', () => {
    const graph = iris();
    const before = copy(graph.document);
    graph.select('n3');
    graph.removeSelected();
    expect(graph.document.nodes.map((node) => node.id)).toEqual(['n1', 'n2', 'n4', 'n5', 'n6']);
    expect(graph.document.edges.map((edge) => [edge.source, edge.target])).toEqual([
      ['n1', 'n2'],
      ['n4', 'n5'],
      ['n5', 'n6'],
    ]);
    graph.undo();
    expect(graph.document).toEqual(before);
  });

  test('duplicating copies the selected nodes and the wires among them, with fresh ids', () => {
    const graph = iris();
    graph.nodes = graph.nodes.map((node) => ({
      ...node,
      selected: node.id === 'n2' || node.id === 'n3',
    }));
    graph.duplicateSelected();
    const doc = graph.document;
    expect(doc.nodes).toHaveLength(8);
    const [dense, act] = doc.nodes.slice(6);
    expect(dense).toMatchObject({ id: 'n7', type: 'dense', params: { units: 5, init: 'auto' } });
    expect(act).toMatchObject({ id: 'n8', type: 'activation', params: { fn: 'sigmoid' } });
    expect(dense.position.x).toBeGreaterThan(doc.nodes[1].position.x);
    expect(doc.edges.at(-1)).toEqual({ id: 'e6', source: 'n7', target: 'n8' });
    expect(graph.selectedNodes.map((node) => node.id)).toEqual(['n7', 'n8']);
    graph.undo();
    expect(graph.document.nodes).toHaveLength(6);
  });

  test('"Input from" rewires a node by keyboard and refuses a loop', () => {
    const graph = chain(['input', 'dense', 'activation', 'dense']);
    const choices = graph.inputChoices('n2');
    expect(choices.map((choice) => [choice.id, choice.check.ok])).toEqual([
      ['n1', true],
      ['n3', false],
      ['n4', false],
    ]);
    expect(graph.setInput('n4', null)).toBeNull();
    expect(graph.document.edges.some((edge) => edge.target === 'n4')).toBe(false);
    const loop = graph.setInput('n2', 'n3');
    expect(loop?.ok).toBe(false);
    expect(graph.document.edges.find((edge) => edge.target === 'n2')?.source).toBe('n1');
    expect(graph.setInput('n4', 'n3')?.ok).toBe(true);
    expect(graph.document.edges.find((edge) => edge.target === 'n4')?.source).toBe('n3');
  });

  test('moving a node (as Svelte Flow does) is an undoable edit that changes no shape', () => {
    const graph = iris();
    const compiled = graph.compiled;
    graph.nodes = graph.nodes.map((node) =>
      node.id === 'n2' ? { ...node, position: { x: 999, y: 50 } } : node,
    );
    graph.watchEdits();
    expect(graph.canUndo).toBe(true);
    expect(graph.compiled).toEqual(compiled);
    graph.undo();
    expect(graph.document.nodes[1].position).toEqual({ x: 200, y: 0 });
  });

  test('the dataset sets the Input size (the training panel hook)', () => {
    const graph = iris();
    graph.setContext({ inputSize: 7 });
    expect(graph.compiled.shapes.edges.e1).toBe(7);
    expect(graph.compiled.spec?.layers[0]).toMatchObject({ inputSize: 7 });
  });

  test('templates replace the canvas in one undoable step', () => {
    const graph = chain(['dense']);
    const before = copy(graph.document);
    graph.select('n1');
    graph.loadTemplate('runge');
    expect(graph.selectedNodes).toEqual([]);
    expect(graph.compiled.errors).toEqual([]);
    expect(graph.template?.id).toBe('runge');
    expect(graph.name).toBe('runge');
    expect(graph.compiled.spec?.loss.type).toBe('mse');
    graph.undo();
    expect(graph.document).toEqual(before);
  });

  test('every edit is autosaved and a new page restores it', () => {
    const storage = new MemoryStorage();
    const graph = iris(storage);
    graph.undo(); // undo is saved too: the loss is back to its default
    const restored = new GraphState({ storage });
    expect(restored.document).toEqual(graph.document);
    expect(restored.notice).toBeNull();
  });

  test('a corrupt autosave gives a notice and an empty, working editor; the text is kept aside', () => {
    const storage = new MemoryStorage();
    storage.setItem(AUTOSAVE_KEY, '{"version":1,"document":{"nodes":[{"id":');
    const graph = new GraphState({ storage });
    expect(graph.notice?.kind).toBe('error');
    expect(graph.notice?.message).toMatch(/could not be restored/);
    expect(graph.document).toEqual({ nodes: [], edges: [] });
    expect(storage.getItem(AUTOSAVE_CORRUPT_KEY)).toContain('"nodes"');
    graph.addNode('input', { x: 0, y: 0 });
    expect(JSON.parse(storage.getItem(AUTOSAVE_KEY) as string).document.nodes).toHaveLength(1);
  });

  test('a failing autosave says so instead of throwing', () => {
    const storage = new MemoryStorage();
    const graph = new GraphState({ storage });
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    graph.addNode('input', { x: 0, y: 0 });
    expect(graph.notice?.message).toMatch(/Autosave failed.*QuotaExceededError/);
    expect(graph.document.nodes).toHaveLength(1);
  });
});
