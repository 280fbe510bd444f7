import { describe, expect, test } from 'vitest';
import {
  AUTOSAVE_CORRUPT_KEY,
  AUTOSAVE_KEY,
  parseGraphDocument,
  restoreGraph,
  saveGraph,
} from '../../../src/lib/state/autosave';
import type { GraphDocument } from '../../../src/lib/graph/document';
import { MemoryStorage } from './memory-storage';

const doc: GraphDocument = {
  nodes: [
    { id: 'n1', type: 'input', position: { x: 0, y: 0 }, params: { size: 4 } },
    { id: 'n2', type: 'dense', position: { x: 200, y: 0 }, params: { units: 3, init: 'auto' } },
  ],
  edges: [{ id: 'e1', source: 'n1', target: 'n2' }],
};

describe('autosave', () => {
  test('nothing saved reads as empty', () => {
    expect(restoreGraph(new MemoryStorage())).toEqual({ status: 'empty' });
  });

  test('a saved document comes back equal', () => {
    const storage = new MemoryStorage();
    expect(saveGraph(storage, doc)).toBeNull();
    expect(restoreGraph(storage)).toEqual({ status: 'restored', document: doc });
  });

  test.each([
    ['not JSON', '{"version":1,'],
    ['wrong version', JSON.stringify({ version: 2, document: doc })],
    [
      'unknown node kind',
      JSON.stringify({
        version: 1,
        document: { ...doc, nodes: [{ ...doc.nodes[0], type: 'conv' }] },
      }),
    ],
    [
      'edge to a missing node',
      JSON.stringify({
        version: 1,
        document: { ...doc, edges: [{ id: 'e1', source: 'n1', target: 'n9' }] },
      }),
    ],
  ])('a corrupt value (%s) is reported and set aside, not returned', (_name, text) => {
    const storage = new MemoryStorage();
    storage.setItem(AUTOSAVE_KEY, text);
    const result = restoreGraph(storage);
    expect(result.status).toBe('corrupt');
    if (result.status === 'corrupt') expect(result.message.length).toBeGreaterThan(0);
    expect(storage.getItem(AUTOSAVE_CORRUPT_KEY)).toBe(text);
  });

  test('a missing edge end names the edge and the node', () => {
    const result = parseGraphDocument({
      ...doc,
      edges: [{ id: 'e7', source: 'n1', target: 'n9' }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain('edge e7 points at missing node n9');
  });

  test('a full storage gives a message instead of throwing', () => {
    const storage = new MemoryStorage();
    storage.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    expect(saveGraph(storage, doc)).toContain('QuotaExceededError');
  });
});
