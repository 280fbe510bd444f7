/** The display label of a select field's value ("cross_entropy" -> "Cross-entropy"), from the registry. */
import type { NodeKind } from '../../graph/document';
import { NODE_KINDS } from '../../graph/node-kinds';

export function optionLabel(kind: NodeKind, key: string, value: unknown): string {
  if (typeof value !== 'string') return '?';
  const field = NODE_KINDS[kind].fields.find((f) => f.key === key);
  return field?.options?.find((option) => option.value === value)?.label ?? value;
}
