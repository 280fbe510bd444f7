/**
 * The zod schema of the graph document's shape (DESIGN.md §4 `graph`): the one schema that both
 * the model file reader and the autosave restore validate against. Node kinds come from the
 * registry, so adding a kind there is enough. Whether ids are unique and edges point at nodes is
 * left to each caller, which words those problems for its own reader.
 */
import { z } from 'zod';
import { NODE_KIND_ORDER } from './node-kinds';

const id = z.string().min(1);

export const graphNodeSchema = z.object({
  id,
  type: z.enum(NODE_KIND_ORDER),
  position: z.object({ x: z.number(), y: z.number() }),
  params: z.record(z.string(), z.unknown()),
});

export const graphEdgeSchema = z.object({ id, source: id, target: id });

export const graphDocumentSchema = z.object({
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
});
