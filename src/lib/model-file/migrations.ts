/**
 * Keeping old files loading. Each entry upgrades a file of one version to the next
 * (`from` -> `from + 1`) on the parsed JSON, before the current schema checks it. A new format
 * version bumps MODEL_VERSION, changes the schema, and adds its `from: upgrade` entry here.
 */
import { MODEL_VERSION } from './types';

/** Upgrades a parsed file (a plain object) from its version to the next one. */
export type Migration = (file: Record<string, unknown>) => Record<string, unknown>;

/**
 * Version 1 -> 2 (DESIGN.md §4): version 2 adds the layer kinds dropout, add and concat and lists
 * the optional switches `training.shuffle` and `training.standardize`. Every version 1 file is
 * already a version 2 file: chains only, and an absent switch still means its default (true).
 * So the upgrade changes nothing but the version number (which migrateToCurrent sets).
 */
export const upgradeV1ToV2: Migration = (file) => ({ ...file });

/** Keyed by the version a migration starts from. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = { 1: upgradeV1ToV2 };

export type MigrationResult =
  { ok: true; file: Record<string, unknown> } | { ok: false; error: string };

/**
 * Bring `file` (whose `version` has already been read as `version`) up to `current`, one step at a
 * time. The oldest readable version is the lowest one with an unbroken chain of migrations.
 */
export function migrateToCurrent(
  file: Record<string, unknown>,
  version: number,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  current: number = MODEL_VERSION,
): MigrationResult {
  if (version > current)
    return {
      ok: false,
      error: `version ${version} is newer than this app understands (it reads up to version ${current}): update Backprop Studio to open this file`,
    };
  let upgraded = file;
  for (let v = version; v < current; v++) {
    const step = Object.hasOwn(migrations, v) ? migrations[v] : undefined;
    if (!step) {
      const oldest = oldestReadable(migrations, current);
      const readable =
        oldest === current ? `only version ${current}` : `versions ${oldest} to ${current}`;
      return { ok: false, error: `version ${version} is too old: this app reads ${readable}` };
    }
    upgraded = { ...step(upgraded), version: v + 1 };
  }
  return { ok: true, file: upgraded };
}

function oldestReadable(migrations: Readonly<Record<number, Migration>>, current: number): number {
  let v = current;
  while (Object.hasOwn(migrations, v - 1)) v--;
  return v;
}
