/**
 * The one rule that ties a file's `spec` to its `graph` (DESIGN.md §4): the spec must be what
 * compile() makes of the graph, with the file's dataset as compile's context. The command line
 * runs the spec and the app edits the graph, so a file where they differ would be two networks.
 * Used by the reader, so the CLI and the app refuse the same files with the same words.
 */
import type { LayerSpec } from '../engine/spec';
import { compileGraph, type CompileContext } from '../graph/compile';
import type { GraphDocument } from '../graph/document';
import type { ModelData } from './types';

/**
 * What compile() is told about the data: the input size, which decides the spec (the app
 * compiles with its dataset's). Whether the outputs fit the classes is consistency.ts's check
 * for a trained file; a design may still be on its way to its data.
 */
export function compileContextOf(data: ModelData | undefined): CompileContext {
  return data ? { inputSize: data.features.length } : {};
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Where two JSON values first differ ("layers[0].units"), with both sides; at most `limit`. */
export function jsonDifferences(
  a: unknown,
  b: unknown,
  path = '',
  out: string[] = [],
  limit = 3,
): string[] {
  if (out.length >= limit || Object.is(a, b)) return out;
  const bothArrays = Array.isArray(a) && Array.isArray(b);
  const bothObjects =
    typeof a === 'object' &&
    a !== null &&
    typeof b === 'object' &&
    b !== null &&
    !bothArrays &&
    !Array.isArray(a) &&
    !Array.isArray(b);
  if (bothArrays) {
    const [x, y] = [a as unknown[], b as unknown[]];
    if (x.length !== y.length) {
      out.push(
        `${path || 'the whole'}: ${x.length} entries in the spec, ${y.length} from the graph`,
      );
      return out;
    }
    for (let i = 0; i < x.length && out.length < limit; i++)
      jsonDifferences(x[i], y[i], `${path}[${i}]`, out, limit);
    return out;
  }
  if (bothObjects) {
    const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const key of keys) {
      if (out.length >= limit) break;
      const left = Object.hasOwn(x, key) ? x[key] : undefined;
      const right = Object.hasOwn(y, key) ? y[key] : undefined;
      jsonDifferences(left, right, path === '' ? key : `${path}.${key}`, out, limit);
    }
    return out;
  }
  out.push(`${path || 'the whole'}: the spec says ${show(a)}, the graph gives ${show(b)}`);
  return out;
}

/**
 * The problems with `spec` against `graph` (empty when the spec is what the graph compiles to).
 * A file without a spec is a design whose graph did not compile when saved: nothing to compare.
 */
export function specGraphProblems(
  spec: LayerSpec | null | undefined,
  graph: GraphDocument,
  data: ModelData | undefined,
): string[] {
  if (!spec) return [];
  const { spec: compiled, errors } = compileGraph(graph, compileContextOf(data));
  if (!compiled) {
    const shown = errors.slice(0, 5).map((e) => {
      const where = e.nodeId ? `node "${e.nodeId}": ` : e.edgeId ? `wire "${e.edgeId}": ` : '';
      return `${where}${e.message}`;
    });
    const more = errors.length > 5 ? ` (and ${errors.length - 5} more)` : '';
    return [
      `spec: the file has a spec but its graph does not compile, so the two disagree: ${shown.join(' ')}${more}`,
    ];
  }
  return jsonDifferences(spec, compiled).map(
    (difference) => `spec.${difference} (spec must be what the graph compiles to)`,
  );
}
