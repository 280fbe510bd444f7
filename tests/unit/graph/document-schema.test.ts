/** The one graph-document schema that the model file and the autosave both read with. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { graphDocumentSchema } from '../../../src/lib/graph/document-schema';
import { NODE_KIND_ORDER, NODE_KINDS } from '../../../src/lib/graph/node-kinds';

function documentOf(type: string) {
  return {
    nodes: [{ id: 'n1', type, position: { x: 10, y: -4 }, params: {} }],
    edges: [{ id: 'e1', source: 'n1', target: 'n1' }],
  };
}

describe('graphDocumentSchema', () => {
  it('accepts a node of every kind in the registry, with its default params', () => {
    for (const kind of NODE_KIND_ORDER) {
      const doc = {
        nodes: [
          {
            id: 'a',
            type: kind,
            position: { x: 0, y: 0 },
            params: NODE_KINDS[kind].defaultParams(),
          },
        ],
        edges: [],
      };
      expect(graphDocumentSchema.parse(doc)).toEqual(doc);
    }
  });

  it('refuses a kind the registry does not have, naming the registered ones', () => {
    const result = graphDocumentSchema.safeParse(documentOf('conv'));
    expect(result.success).toBe(false);
    const message = z.prettifyError(result.error!);
    expect(message).toContain('nodes[0].type');
    for (const kind of NODE_KIND_ORDER) expect(message).toContain(`'${kind}'`);
  });

  it('refuses empty ids and non-numeric positions', () => {
    const emptyId = documentOf('dense');
    emptyId.edges[0].source = '';
    expect(graphDocumentSchema.safeParse(emptyId).success).toBe(false);
    const badPosition = { ...documentOf('dense') };
    badPosition.nodes[0].position = { x: 'left', y: 0 } as unknown as { x: number; y: number };
    expect(graphDocumentSchema.safeParse(badPosition).success).toBe(false);
  });

  it('leaves uniqueness of ids and edge ends to its callers', () => {
    const doc = documentOf('loss');
    doc.nodes.push({ ...doc.nodes[0] });
    doc.edges.push({ id: 'e1', source: 'n1', target: 'nowhere' });
    expect(graphDocumentSchema.safeParse(doc).success).toBe(true);
  });
});
