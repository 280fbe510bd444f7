/**
 * Every reader of outside input, fuzzed (DESIGN.md §6): a result or problems, never a throw.
 * 2,000 cases each here; `npm run fuzz -- --runs N` runs the same properties longer.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { READER_PROPERTIES } from './properties';

const RUNS = 2000;

describe('readers never throw on mutated and hostile input', () => {
  for (const { name, property } of READER_PROPERTIES)
    it(`${name}: ${RUNS} cases`, { timeout: 300_000 }, () => {
      fc.assert(property(), { numRuns: RUNS });
    });
});
