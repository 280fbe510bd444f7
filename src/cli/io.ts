/**
 * Where a command writes and reads: the real process, or buffers in tests. Commands never touch
 * process.stdout/stderr directly, so they can be run in-process and their output checked.
 */
import { isAbsolute, resolve } from 'node:path';
import type { BytesWriter } from './atomic-write';

export interface CliIo {
  /** Results: text, or the one JSON object of --json. */
  out(text: string): void;
  /** Progress, warnings and errors. */
  err(text: string): void;
  /** True when stderr is a terminal: only then is a progress bar drawn. */
  errIsTTY: boolean;
  /** Terminal width for the progress bar. */
  columns: number;
  /** The folder relative paths are resolved against. */
  cwd: string;
  /** Milliseconds, for elapsed time and ETA (a fake clock in tests). */
  now(): number;
  /** How a file's bytes go into it; tests give one that fails midway (default: all of them). */
  writer?: BytesWriter;
}

/**
 * The real process. `npm run` starts scripts in the package folder, so relative paths are
 * resolved against the folder the user typed the command in (INIT_CWD), not the package's.
 */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    errIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns || 80,
    cwd: process.env.INIT_CWD ?? process.cwd(),
    now: () => performance.now(),
  };
}

export function resolvePath(io: CliIo, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}
