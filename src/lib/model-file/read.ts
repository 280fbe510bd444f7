/**
 * Reading a model file: JSON text -> a checked ModelFile, or one clear message per problem, each
 * saying where it is. Reading never throws and never half-loads: a bad file changes nothing.
 *
 * Order: JSON syntax, then the format tag, then the version (upgrading older versions, see
 * migrations.ts), then the schema, then whether the parts agree (consistency.ts).
 */
import { checkModelConsistency } from './consistency';
import { describeValue, describeZodIssues } from './issues';
import { MIGRATIONS, migrateToCurrent, type Migration } from './migrations';
import { readWeights } from './read-weights';
import { modelFileSchema } from './schema';
import { MODEL_FORMAT, type ModelFile, type ReadModelResult } from './types';

/** Problems listed in full; past these, the rest are counted (a broken file can have millions). */
export const MAX_LISTED_PROBLEMS = 20;

/**
 * The first MAX_LISTED_PROBLEMS problems, then how many more there are. `total` counts problems
 * found but not worded (zod's list is cut before it is described).
 */
export function capProblems(issues: readonly string[], total = issues.length): string[] {
  if (total <= MAX_LISTED_PROBLEMS) return [...issues];
  const more = total - MAX_LISTED_PROBLEMS;
  return [
    ...issues.slice(0, MAX_LISTED_PROBLEMS),
    `and ${more} more ${more === 1 ? 'problem' : 'problems'}`,
  ];
}

function failure(found: readonly string[], total = found.length): ReadModelResult {
  const issues = capProblems(found, total);
  return { ok: false, error: issues.join('\n'), issues };
}

/** Line and column (1-based) of a character offset in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** JSON.parse's message with the character position turned into a line and column. */
function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /^(.*?)(?: in JSON)? at position (\d+)/.exec(message);
  if (match) {
    const { line, column } = lineAndColumn(text, Number(match[2]));
    return `not JSON: ${match[1]} at line ${line} column ${column}`;
  }
  if (/Unexpected end of JSON input/.test(message) || text.trim() === '')
    return text.trim() === '' ? 'not JSON: the file is empty' : 'not JSON: the text ends too early';
  return `not JSON: ${message}`;
}

/**
 * Check a parsed value (e.g. from JSON.parse or structured clone) as a model file. `migrations`
 * is for tests of the upgrade path; callers leave it out.
 */
export function parseModelFile(
  value: unknown,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
): ReadModelResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return failure([`not a model file: expected a JSON object, got ${describeValue(value)}`]);
  const file = value as Record<string, unknown>;
  if (file.format !== MODEL_FORMAT)
    return failure([
      `format: expected "${MODEL_FORMAT}", got ${describeValue(file.format)} (this is not a Backprop Studio model file)`,
    ]);
  const version = file.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0)
    return failure([`version: expected a whole number, got ${describeValue(version)}`]);
  const migrated = migrateToCurrent(file, version, migrations);
  if (!migrated.ok) return failure([migrated.error]);

  const parsed = modelFileSchema.safeParse(migrated.file, { reportInput: true });
  const weights = readWeights(migrated.file.weights);
  if (!parsed.success || !weights.ok) {
    const schemaIssues = parsed.success ? [] : parsed.error.issues;
    const weightIssues = weights.ok ? [] : weights.issues;
    // Only the listed ones are worded: a file can hold millions of wrong values.
    const listed = [
      ...describeZodIssues(schemaIssues.slice(0, MAX_LISTED_PROBLEMS)),
      ...weightIssues.slice(0, MAX_LISTED_PROBLEMS),
    ];
    return failure(listed, schemaIssues.length + weightIssues.length);
  }
  // The schema checked every block but weights, which read-weights.ts read by hand.
  const model = parsed.data as ModelFile;
  if (model.weights !== undefined) model.weights = weights.weights;
  const inconsistencies = checkModelConsistency(model);
  if (inconsistencies.length > 0) return failure(inconsistencies);
  return { ok: true, model };
}

/** Read a model file's text. */
export function readModelFile(text: string): ReadModelResult {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return failure([describeJsonError(text, error)]);
  }
  return parseModelFile(value);
}
