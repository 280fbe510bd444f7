/**
 * compile()'s check of the network's size against MAX_WEIGHTS (limits.ts), shown on its widest
 * Dense, in memory for the optimizer in the context (Adam when none is given).
 */
import type { CompileState } from './compile-types';
import { weightLimitProblem } from './limits';

export function checkWeightLimit({
  structure,
  typed,
  shapes,
  errors,
  context,
}: CompileState): void {
  let total = 0;
  const units: number[] = [];
  let largest: { id: string; count: number } | null = null;
  for (const id of structure.nodes.keys()) {
    const t = typed.get(id);
    const inWidth = shapes.nodes[id]?.in;
    if (t?.kind !== 'dense' || typeof inWidth !== 'number') continue;
    const count = (inWidth + 1) * t.params.units;
    total += count;
    units.push(t.params.units);
    if (!largest || count > largest.count) largest = { id, count };
  }
  const problem = weightLimitProblem(total, context.optimizer, units);
  if (problem && largest) errors.node(largest.id, problem);
}
