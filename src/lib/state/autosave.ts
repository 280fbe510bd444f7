/**
 * Autosave of the graph document to localStorage, and a careful restore: whatever is stored is
 * validated before use (node params per kind, as in the model file), and a corrupt value is
 * reported in words, at most MAX_LISTED_PROBLEMS problems (and kept aside), never a blank crash.
 */
import { z } from 'zod';
import type { GraphDocument } from '../graph/document';
import { graphDocumentSchema } from '../graph/document-schema';
import { capProblems, MAX_LISTED_PROBLEMS } from '../model-file/read';
import { describeZodIssues } from '../model-file/issues';

export const AUTOSAVE_KEY = 'backprop-studio.graph.v1';
/** Where an unreadable saved value is moved, so the next autosave does not destroy it. */
export const AUTOSAVE_CORRUPT_KEY = 'backprop-studio.graph.v1.corrupt';

/** The shared shape, plus what a restore needs: unique ids and edges that end at nodes. */
const soundGraphDocumentSchema = graphDocumentSchema.superRefine((doc, ctx) => {
  const nodeIds = new Set<string>();
  for (const node of doc.nodes) {
    if (nodeIds.has(node.id))
      ctx.addIssue({ code: 'custom', message: `duplicate node id ${node.id}` });
    nodeIds.add(node.id);
  }
  const edgeIds = new Set<string>();
  for (const edge of doc.edges) {
    if (edgeIds.has(edge.id))
      ctx.addIssue({ code: 'custom', message: `duplicate edge id ${edge.id}` });
    edgeIds.add(edge.id);
    for (const end of [edge.source, edge.target]) {
      if (!nodeIds.has(end))
        ctx.addIssue({
          code: 'custom',
          message: `edge ${edge.id} points at missing node ${end}`,
        });
    }
  }
});

const savedGraphSchema = z.object({ version: z.literal(1), document: soundGraphDocumentSchema });

/** Zod's problems in words, the first MAX_LISTED_PROBLEMS of them and a count of the rest. */
function describeProblems(error: z.ZodError): string {
  const issues = error.issues;
  return capProblems(describeZodIssues(issues.slice(0, MAX_LISTED_PROBLEMS)), issues.length).join(
    '\n',
  );
}

export type RestoreResult =
  | { status: 'empty' }
  | { status: 'restored'; document: GraphDocument }
  | { status: 'corrupt'; message: string };

/** Check that `value` is a structurally sound graph document (kinds' params are compile's job). */
export function parseGraphDocument(
  value: unknown,
): { ok: true; document: GraphDocument } | { ok: false; error: string } {
  const result = soundGraphDocumentSchema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, document: result.data as GraphDocument };
  return { ok: false, error: describeProblems(result.error) };
}

/** Read the autosaved graph. A corrupt value is copied to AUTOSAVE_CORRUPT_KEY and explained. */
export function restoreGraph(storage: Storage, key = AUTOSAVE_KEY): RestoreResult {
  let text: string | null;
  try {
    text = storage.getItem(key);
  } catch (error) {
    return { status: 'corrupt', message: `the browser refused to read it (${String(error)})` };
  }
  if (text === null) return { status: 'empty' };
  let message: string;
  try {
    const parsed = savedGraphSchema.safeParse(JSON.parse(text), { reportInput: true });
    if (parsed.success)
      return { status: 'restored', document: parsed.data.document as GraphDocument };
    message = describeProblems(parsed.error);
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  try {
    storage.setItem(AUTOSAVE_CORRUPT_KEY, text);
  } catch {
    // Keeping a copy is a courtesy; the notice below still tells the user what happened.
  }
  return { status: 'corrupt', message };
}

/** Save the document; returns an error message instead of throwing (e.g. storage full). */
export function saveGraph(
  storage: Storage,
  document: GraphDocument,
  key = AUTOSAVE_KEY,
): string | null {
  try {
    storage.setItem(key, JSON.stringify({ version: 1, document }));
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
