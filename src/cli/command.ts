/** What every command file exports: its name, help and flags, and the function that runs it. */
import type { FlagSpec, FlagValues } from './args';
import type { CliIo } from './io';

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Paragraphs after the usage line in `--help`. */
  details?: string;
  /** Example invocations (after `npm run cli -- `). */
  examples?: string[];
  flags: FlagSpec[];
  /**
   * Run with parsed flags; resolves to the exit code. Errors the user can fix are thrown as
   * CliError. `rawArgs` are the words after the command name (bench passes them on).
   */
  run(flags: FlagValues, io: CliIo, rawArgs: readonly string[]): Promise<number>;
  /** Pass the words on unparsed (bench): no flag checking here. */
  passThrough?: boolean;
}

/** The --json switch, shared by the commands that print results. */
export const JSON_FLAG: FlagSpec = {
  name: 'json',
  kind: 'switch',
  description: 'print one JSON object on stdout instead of text (progress still goes to stderr)',
};
