/**
 * Problems in a model file, said in plain words and prefixed with where they are:
 * `weights.n4.W[2][1]: expected a number, got "abc"`.
 */
import type { z } from 'zod';

export type PathPart = string | number | symbol;

/** ["weights", "n4", "W", 2] -> "weights.n4.W[2]" */
export function formatPath(path: readonly PathPart[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      if (/^[A-Za-z_$][\w$-]*$/.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** One problem at a path (the empty path is the file as a whole). */
export function issueAt(path: readonly PathPart[], message: string): string {
  const where = formatPath(path);
  return where === '' ? message : `${where}: ${message}`;
}

/** How a value found in the file is shown in a message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(shown);
  }
  return String(value);
}

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
  null: 'null',
};

function quoteAll(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  if (shown.length === 1) return shown[0];
  return `one of ${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

function describeBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'array' || issue.origin === 'set')
    return small ? `expected at least ${bound} entries` : `expected at most ${bound} entries`;
  if (issue.origin === 'string')
    return small ? `expected at least ${bound} characters` : `expected at most ${bound} characters`;
  const inclusive = issue.inclusive ?? true;
  if (small) {
    if (bound === 0 && !inclusive) return 'expected a number above 0';
    return inclusive
      ? `expected a number of at least ${bound}`
      : `expected a number above ${bound}`;
  }
  return inclusive ? `expected a number of at most ${bound}` : `expected a number below ${bound}`;
}

/** The words for one zod issue (without the path). Zod is asked to report the input it saw. */
function describeZodIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  const got = input === undefined ? 'it is missing' : `got ${describeValue(input)}`;
  switch (issue.code) {
    case 'invalid_type': {
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      if (input === undefined) return `missing (expected ${expected})`;
      return `expected ${expected}, got ${describeValue(input)}`;
    }
    case 'invalid_value':
      return `expected ${quoteAll(issue.values)}, ${got}`;
    case 'too_small':
    case 'too_big':
      return `${describeBound(issue)}, got ${describeValue(input)}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (Array.isArray(options)) {
        const value = (input as Record<string, unknown> | undefined)?.type;
        return `expected ${quoteAll(options)}, ${value === undefined ? 'it is missing' : `got ${describeValue(value)}`}`;
      }
      return `does not match any allowed form`;
    }
    case 'unrecognized_keys':
      return `unknown ${issue.keys.length === 1 ? 'field' : 'fields'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'custom':
      return input === undefined ? issue.message : `${issue.message}, ${got}`;
    default:
      return issue.message;
  }
}

/** Zod's issues in plain words, each prefixed with its path. */
export function describeZodIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => issueAt(issue.path, describeZodIssue(issue)));
}
