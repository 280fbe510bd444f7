/**
 * compile(): graph document -> layer spec (DESIGN.md §3), with every problem explained on the
 * node or wire it belongs to, in words a newcomer understands, and the shapes inferred along
 * the wires. It never throws: the canvas calls it on every edit of a half-built graph.
 */
import { buildSpec } from './build-spec';
import type { CompileContext, CompileResult, CompileState, TypedParams } from './compile-types';
import type { GraphDocument, GraphEdge, GraphNode } from './document';
import { ErrorCollector } from './error-collector';
import { checkAgainstDataset, checkNeighbours } from './layer-checks';
import { checkMergeWidths } from './merge-checks';
import { MAX_WIDTH } from './node-kinds';
import { inferShapes } from './shapes';
import { checkWeightLimit } from './size-checks';
import { analyseStructure, kindInfo, type Structure } from './structure';
import { checkLoops, checkOneNetwork, checkWireCounts, checkWires } from './wiring-checks';

export type { CompileContext, CompileResult, GraphError } from './compile-types';
export type { GraphShapes, NodeShape } from './shapes';

/** Starts the message of an error compile() did not expect (a bug); tests look for it. */
export const INTERNAL_ERROR_PREFIX = 'Internal error while checking the graph';

export function compileGraph(doc: GraphDocument, context: CompileContext = {}): CompileResult {
  try {
    return compileChecked(sanitize(doc), context ?? {});
  } catch (error) {
    // The page must keep working even if a check has a bug; say so instead of crashing.
    return {
      spec: null,
      errors: [{ message: `${INTERNAL_ERROR_PREFIX}: ${String(error)}` }],
      shapes: { nodes: {}, edges: {} },
    };
  }
}

function compileChecked(doc: GraphDocument, context: CompileContext): CompileResult {
  const structure = analyseStructure(doc);
  const errors = new ErrorCollector(structure);
  const typed = readAllParams(structure, context, errors);
  const shapes = inferShapes(structure, (node) => {
    const t = typed.get(node.id);
    if (node.type === 'input') return t?.kind === 'input' ? t.params.size : null;
    if (node.type === 'dense') return t?.kind === 'dense' ? t.params.units : null;
    // The other kinds pass on (or merge) the width coming in.
    return undefined;
  });
  const state: CompileState = { structure, typed, shapes, errors, context };

  checkWires(state);
  checkWireCounts(state);
  checkLoops(state);
  const mainPart = checkOneNetwork(state);
  checkNeighbours(state);
  checkMergeWidths(state);
  checkAgainstDataset(state, mainPart);
  checkWeightLimit(state);

  const spec = errors.count === 0 ? buildSpec(state) : null;
  return { spec, errors: errors.inDocumentOrder(), shapes };
}

/** Every node's parameters read with the registry; the Input's size comes from the dataset if known. */
function readAllParams(
  structure: Structure,
  context: CompileContext,
  errors: ErrorCollector,
): Map<string, TypedParams> {
  const dataSize = datasetInputSize(context);
  const typed = new Map<string, TypedParams>();
  for (const node of structure.duplicateNodes)
    errors.node(
      node.id,
      `Two nodes share the id "${node.id}"; only the first is used. Delete the copy.`,
    );
  for (const node of structure.nodes.values()) {
    const info = kindInfo(node);
    if (!info) {
      errors.node(node.id, `Unknown kind of node "${String(node.type)}". Delete it.`);
    } else if (node.type === 'input' && dataSize !== undefined) {
      typed.set(node.id, { kind: 'input', params: { size: dataSize } });
    } else {
      const read = info.readParams(node.params);
      if (read.ok) typed.set(node.id, { kind: node.type, params: read.params } as TypedParams);
      else for (const problem of read.problems) errors.node(node.id, problem.message);
    }
  }
  return typed;
}

/** The dataset's number of features when it is a usable width, else undefined. */
function datasetInputSize(context: CompileContext): number | undefined {
  const size = context.inputSize;
  return typeof size === 'number' && Number.isInteger(size) && size >= 1 && size <= MAX_WIDTH
    ? size
    : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops entries that are not nodes or wires at all (no string ids), so every check can rely on them. */
function sanitize(doc: GraphDocument): GraphDocument {
  const raw: Record<string, unknown> = isRecord(doc) ? doc : {};
  const nodes = (Array.isArray(raw.nodes) ? (raw.nodes as unknown[]) : [])
    .filter((n): n is GraphNode => isRecord(n) && typeof n.id === 'string')
    .map((n) => ({ ...n, params: isRecord(n.params) ? n.params : {} }));
  const edges = (Array.isArray(raw.edges) ? (raw.edges as unknown[]) : []).filter(
    (e): e is GraphEdge =>
      isRecord(e) &&
      typeof e.id === 'string' &&
      typeof e.source === 'string' &&
      typeof e.target === 'string',
  );
  return { nodes, edges };
}
