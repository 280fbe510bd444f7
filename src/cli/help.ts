/** `--help` texts, built from the commands' own flag lists so they cannot drift apart. */
import type { FlagSpec } from './args';
import type { Command } from './command';

const PREFIX = 'npm run cli --';

function flagUsage(flag: FlagSpec): string {
  return flag.kind === 'switch' ? `--${flag.name}` : `--${flag.name} ${flag.value ?? 'VALUE'}`;
}

/** Wrap `text` to `width` columns, every line after the first indented by `indent`. */
function wrap(text: string, width: number, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

export function commandHelp(command: Command): string {
  const required = command.flags.filter((f) => f.required).map(flagUsage);
  const optional = command.passThrough
    ? ['[flags]']
    : command.flags.filter((f) => !f.required).map((f) => `[${flagUsage(f)}]`);
  const parts = [
    wrap(
      `Usage: ${PREFIX} ${command.name} ${[...required, ...optional].join(' ')}`,
      96,
      '         ',
    ),
    '',
    `${command.summary.charAt(0).toUpperCase()}${command.summary.slice(1)}.`,
  ];
  if (command.details)
    parts.push(
      '',
      command.details
        .split('\n\n')
        .map((p) => wrap(p, 96))
        .join('\n\n'),
    );
  if (command.flags.length > 0) {
    const width = Math.max(...command.flags.map((f) => flagUsage(f).length));
    parts.push('', 'Flags:');
    for (const flag of command.flags)
      parts.push(
        `  ${flagUsage(flag).padEnd(width)}  ${flag.description}${flag.required ? ' (required)' : ''}`,
      );
  }
  if (command.examples?.length) {
    parts.push('', 'Examples:');
    for (const example of command.examples) parts.push(`  ${PREFIX} ${example}`);
  }
  return parts.join('\n') + '\n';
}

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `Usage: ${PREFIX} <command> [flags]`,
    '',
    'Backprop Studio from the command line: the same engine and model files as the app.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Run "${PREFIX} <command> --help" for a command's flags. Errors go to stderr with exit code 1.`,
    '',
  ].join('\n');
}
