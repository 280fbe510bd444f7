/**
 * The registry entries (node-kinds.ts) of the kinds that make a graph branch: Dropout, and Add
 * and Concat, whose input handle takes two or more wires (DESIGN.md §2, §3).
 */
import type { ParamsByKind } from './document';
import type { NodeKindInfo, NumberField } from './node-kinds';

/** Dropout's rate field: 0 <= r < 1 (readParams refuses 1; the input stops at 0.99). */
export const DROPOUT_RATE_FIELD: NumberField = {
  type: 'number',
  key: 'rate',
  label: 'Rate',
  min: 0,
  max: 0.99,
  step: 0.05,
};

export const dropout: NodeKindInfo<'dropout'> = {
  kind: 'dropout',
  label: 'Dropout',
  description:
    'While training, zeroes each number with probability Rate (and scales the rest up); does nothing when predicting.',
  hasInput: true,
  hasOutput: true,
  fields: [DROPOUT_RATE_FIELD],
  defaultParams: () => ({ rate: 0.5 }),
  readParams(params) {
    const rate = params.rate;
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0 || rate >= 1)
      return {
        ok: false,
        problems: [
          { key: 'rate', message: 'Rate must be a number from 0 up to (not including) 1.' },
        ],
      };
    return { ok: true, params: { rate } };
  },
};

/** A kind without parameters (Add, Concat) that merges two or more wires. */
function mergeKind<K extends 'add' | 'concat'>(
  kind: K,
  label: string,
  description: string,
): NodeKindInfo<K> {
  return {
    kind,
    label,
    description,
    hasInput: true,
    hasOutput: true,
    mergesInputs: true,
    fields: [],
    defaultParams: () => ({}) as ParamsByKind[K],
    readParams: () => ({ ok: true, params: {} as ParamsByKind[K] }),
  };
}

export const add = mergeKind(
  'add',
  'Add',
  'Adds two or more inputs of one width, number by number: a skip connection adds a layer’s input to its output.',
);
export const concat = mergeKind(
  'concat',
  'Concat',
  'Puts two or more inputs side by side, in the order of their wires: the widths add up.',
);
