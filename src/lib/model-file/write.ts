/**
 * Writing a model file: a ModelFile -> pretty JSON text. Objects get one field per line; lists of
 * plain values (a row of W, a history column) stay on one line, so a weight matrix reads as a
 * matrix, and so do small objects like a position. Values that JSON cannot hold (NaN, Infinity in a history) are written as null.
 */
import { parseModelFile } from './read';
import type { ModelFile } from './types';

const INDENT = '  ';
/** Small objects of plain values (a position, a node's params) stay on one line up to this width. */
const INLINE_OBJECT_WIDTH = 60;

function isPlain(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function formatValue(value: unknown, depth: number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (value === undefined) return 'null';
  if (isPlain(value)) return JSON.stringify(value);
  const pad = INDENT.repeat(depth + 1);
  const close = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPlain)) return `[${value.map((v) => formatValue(v, depth)).join(', ')}]`;
    return `[\n${value.map((v) => pad + formatValue(v, depth + 1)).join(',\n')}\n${close}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined,
  );
  if (entries.length === 0) return '{}';
  const inline = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${formatValue(v, 0)}`).join(', ')} }`;
  if (entries.every(([, v]) => isPlain(v)) && inline.length <= INLINE_OBJECT_WIDTH) return inline;
  return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${formatValue(v, depth + 1)}`).join(',\n')}\n${close}}`;
}

/** JSON text of any value in the model file's layout (also used for command line output). */
export function formatJson(value: unknown): string {
  return formatValue(value, 0) + '\n';
}

/**
 * The file's text. The model is checked first, so this never writes a file that reading would
 * reject; a model that fails the check throws an Error listing the problems.
 */
export function writeModelFile(model: ModelFile): string {
  const text = formatJson(model);
  const check = parseModelFile(JSON.parse(text));
  if (!check.ok) throw new Error(`The model cannot be saved:\n${check.error}`);
  return text;
}
