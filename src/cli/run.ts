/**
 * The command line's front door: pick the command, parse its flags, run it, and turn every error
 * into a message on stderr and exit code 1. Errors the user can fix (a CliError, a DataError from
 * reading a CSV) print their message alone; anything else is a bug and says so.
 */
import { DataError } from '../lib/data/errors';
import { parseFlags } from './args';
import { COMMANDS } from './commands/index';
import { CliError } from './errors';
import { commandHelp, mainHelp } from './help';
import type { CliIo } from './io';

function isHelp(word: string | undefined): boolean {
  return word === '--help' || word === '-h' || word === 'help';
}

/** Run the command line with `argv` (the words after `cli`); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || isHelp(name)) {
    const topic = isHelp(name) ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    if (topic) io.out(commandHelp(topic));
    else (name === undefined ? io.err : io.out)(mainHelp(COMMANDS));
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(
      `Unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}. Run "npm run cli -- --help" for more.\n`,
    );
    return 1;
  }
  if (rest.some((w) => w === '--help' || w === '-h')) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    const flags = command.passThrough ? {} : parseFlags(command.name, rest, command.flags);
    return await command.run(flags, io, rest);
  } catch (error) {
    if (error instanceof CliError || error instanceof DataError) {
      io.err(`${command.name}: ${error.message}\n`);
      return 1;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.err(`${command.name}: unexpected error (a bug, please report it):\n${detail}\n`);
    return 1;
  }
}
