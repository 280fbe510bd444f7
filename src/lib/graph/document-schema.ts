/**
 * The zod schema of the graph document's shape (DESIGN.md §4 `graph`): the one schema that both
 * the model file reader and the autosave restore validate against. Node kinds and their params
 * come from the registry, so adding a kind or a field there is enough. Params are checked per
 * kind: only the kind's fields, each of its type (a number field may be empty while being edited;
 * ranges are compile()'s job, where the message lands on the node). Whether ids are unique and
 * edges point at nodes is left to each caller, which words those problems for its own reader.
 */
import { z } from 'zod';
import type { NodeKind } from './document';
import { NODE_KINDS, NODE_KIND_ORDER, type FieldSpec } from './node-kinds';

const id = z.string().min(1);

/** A number field holds a number, or nothing yet ('' or null while the user is typing). */
const numberParam = z
  .custom<number | '' | null>((v) => typeof v === 'number' || v === '' || v === null, {
    message: 'expected a number',
  })
  .optional();
const choiceParam = z.string().optional();

function paramSchema(field: FieldSpec) {
  return field.type === 'number' ? numberParam : choiceParam;
}

/** The params of one kind: its registry fields and nothing else. */
export function paramsSchemaOf(kind: NodeKind) {
  const shape: Record<string, ReturnType<typeof paramSchema>> = {};
  for (const field of NODE_KINDS[kind].fields) shape[field.key] = paramSchema(field);
  return z.strictObject(shape);
}

const position = z.object({ x: z.number(), y: z.number() });

function nodeSchemaOf<K extends NodeKind>(kind: K) {
  return z.object({ id, type: z.literal(kind), position, params: paramsSchemaOf(kind) });
}

const nodeSchemas = NODE_KIND_ORDER.map((kind) => nodeSchemaOf(kind));

export const graphNodeSchema = z.discriminatedUnion(
  'type',
  nodeSchemas as unknown as [ReturnType<typeof nodeSchemaOf>, ...ReturnType<typeof nodeSchemaOf>[]],
);

export const graphEdgeSchema = z.object({ id, source: id, target: id });

export const graphDocumentSchema = z.object({
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
});
