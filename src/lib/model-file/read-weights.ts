/**
 * Reading the `weights` block by hand rather than with a schema: its keys are layer ids (plain
 * strings, also "__proto__" or "constructor"), so the result is a null-prototype object filled
 * key by key, and a row of 100,000 wrong entries gives one short problem, not 100,000.
 */
import type { WeightsJson } from '../engine/types';
import { describeValue, issueAt } from './issues';

export type ReadWeightsResult =
  { ok: true; weights: WeightsJson | null } | { ok: false; issues: string[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The problem with a list that should hold only finite numbers, or null. */
function numbersProblem(value: unknown, path: (string | number)[], what: string): string | null {
  if (!Array.isArray(value)) return issueAt(path, `expected ${what}, got ${describeValue(value)}`);
  let bad = 0;
  let first = -1;
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      bad++;
      if (first === -1) first = i;
    }
  }
  if (bad === 0) return null;
  const more = bad > 1 ? ` (and ${bad - 1} more entries that are not numbers)` : '';
  return issueAt([...path, first], `expected a number, got ${describeValue(value[first])}${more}`);
}

/** One layer's { W, b }: W a list of rows of numbers, b a list of numbers. */
function layerProblems(id: string, entry: unknown): string[] {
  if (!isRecord(entry))
    return [
      issueAt(['weights', id], `expected an object with W and b, got ${describeValue(entry)}`),
    ];
  const issues: string[] = [];
  const extra = Object.keys(entry).filter((k) => k !== 'W' && k !== 'b');
  if (extra.length > 0)
    issues.push(
      issueAt(
        ['weights', id],
        `unknown ${extra.length === 1 ? 'field' : 'fields'} ${extra
          .slice(0, 5)
          .map((k) => JSON.stringify(k))
          .join(', ')}`,
      ),
    );
  const W = entry.W;
  if (!Array.isArray(W))
    issues.push(issueAt(['weights', id, 'W'], `expected a list of rows, got ${describeValue(W)}`));
  else {
    // One problem per bad row, at most a few rows: the rest are counted.
    let badRows = 0;
    for (let r = 0; r < W.length; r++) {
      const problem = numbersProblem(W[r], ['weights', id, 'W', r], 'a list of numbers');
      if (problem === null) continue;
      badRows++;
      if (badRows <= 3) issues.push(problem);
    }
    if (badRows > 3)
      issues.push(
        issueAt(['weights', id, 'W'], `and ${badRows - 3} more rows with the same kind of problem`),
      );
  }
  const bProblem = numbersProblem(entry.b, ['weights', id, 'b'], 'a list of numbers');
  if (bProblem) issues.push(bProblem);
  return issues;
}

/** The weights block as found in the file (absent and null both mean an untrained design). */
export function readWeights(value: unknown): ReadWeightsResult {
  if (value === undefined || value === null) return { ok: true, weights: null };
  if (!isRecord(value))
    return {
      ok: false,
      issues: [
        issueAt(
          ['weights'],
          `expected an object keyed by layer id, or null, got ${describeValue(value)}`,
        ),
      ],
    };
  const weights = Object.create(null) as WeightsJson;
  const issues: string[] = [];
  for (const id of Object.keys(value)) {
    const entry = value[id];
    const problems = layerProblems(id, entry);
    if (problems.length > 0) issues.push(...problems.slice(0, 20));
    else {
      const layer = entry as { W: number[][]; b: number[] };
      weights[id] = { W: layer.W, b: layer.b };
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, weights };
}
