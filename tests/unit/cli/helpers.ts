/** Run the command line in-process with captured output, in a temporary folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BytesWriter } from '../../../src/cli/atomic-write';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/run';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Workspace {
  dir: string;
  path(name: string): string;
  /** Run `npm run cli -- <argv>` in-process with this folder as the working directory. */
  cli(
    argv: string[],
    options?: { tty?: boolean; columns?: number; writer?: BytesWriter },
  ): Promise<CliRun>;
  remove(): void;
}

export function createWorkspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-cli-'));
  return {
    dir,
    path: (name) => join(dir, name),
    async cli(argv, options = {}) {
      let stdout = '',
        stderr = '',
        clock = 0;
      const io: CliIo = {
        out: (text) => (stdout += text),
        err: (text) => (stderr += text),
        errIsTTY: options.tty ?? false,
        columns: options.columns ?? 100,
        cwd: dir,
        // A clock that advances 50 ms per reading, so progress and ETA are deterministic.
        now: () => (clock += 50),
        ...(options.writer ? { writer: options.writer } : {}),
      };
      const code = await runCli(argv, io);
      return { code, stdout, stderr };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
