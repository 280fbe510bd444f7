/**
 * Keeping old files loading. Each entry upgrades a file of one version to the next
 * (`from` -> `from + 1`) on the parsed JSON, before the current schema checks it. When format
 * version 2 arrives: bump MODEL_VERSION, write the v2 schema, and add `1: upgradeV1ToV2` here, so
 * version 1 files keep opening.
 */
import { MODEL_VERSION } from './types';

/** Upgrades a parsed file (a plain object) from its version to the next one. */
export type Migration = (file: Record<string, unknown>) => Record<string, unknown>;

/** Keyed by the version a migration starts from. Version 1 is the first: nothing to upgrade yet. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

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
    const step = migrations[v];
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
  while (migrations[v - 1]) v--;
  return v;
}
