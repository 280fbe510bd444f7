/**
 * Flags of one command: `--name value`, `--name=value`, and switches like `--json`. Every flag a
 * command takes is declared once (name, kind, help line); anything else is an error that says what
 * was meant where it can guess.
 */
import { CliError } from './errors';

export type FlagKind = 'string' | 'number' | 'integer' | 'switch';

export interface FlagSpec {
  /** Without the dashes: "batch-size". */
  name: string;
  kind: FlagKind;
  /** Placeholder in help: FILE, N, X, NAME. */
  value?: string;
  description: string;
  /** Allowed values of a string flag. */
  choices?: readonly string[];
  required?: boolean;
}

export type FlagValues = Record<string, string | number | boolean | undefined>;

/** Levenshtein distance, to suggest the flag a typo meant. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

function suggestion(name: string, flags: readonly FlagSpec[]): string {
  let best: FlagSpec | undefined;
  let bestDistance = Infinity;
  for (const flag of flags) {
    const d = editDistance(name, flag.name);
    if (d < bestDistance) {
      best = flag;
      bestDistance = d;
    }
  }
  return best && bestDistance <= Math.max(2, Math.floor(name.length / 3))
    ? ` Did you mean --${best.name}?`
    : '';
}

function readValue(flag: FlagSpec, text: string): string | number {
  const dashed = `--${flag.name}`;
  if (flag.kind === 'string') {
    if (flag.choices && !flag.choices.includes(text))
      throw new CliError(`${dashed} must be one of ${flag.choices.join(', ')}; got "${text}".`);
    return text;
  }
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw new CliError(`${dashed} expects a number, got "${text}".`);
  if (flag.kind === 'integer' && !Number.isInteger(value))
    throw new CliError(`${dashed} expects a whole number, got "${text}".`);
  return value;
}

/** Parse `argv` (the words after the command name) against the command's flags. */
export function parseFlags(
  command: string,
  argv: readonly string[],
  flags: readonly FlagSpec[],
): FlagValues {
  const values: FlagValues = {};
  const help = `Run "npm run cli -- ${command} --help" to see its flags.`;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith('--') || word === '--')
      throw new CliError(
        `unexpected argument "${word}": every input is a flag like --model FILE. ${help}`,
      );
    const eq = word.indexOf('=');
    const name = eq === -1 ? word.slice(2) : word.slice(2, eq);
    const flag = flags.find((f) => f.name === name);
    if (!flag) throw new CliError(`there is no flag --${name}.${suggestion(name, flags)} ${help}`);
    if (values[flag.name] !== undefined) throw new CliError(`--${name} is given twice.`);
    if (flag.kind === 'switch') {
      if (eq !== -1) throw new CliError(`--${name} is a switch and takes no value.`);
      values[flag.name] = true;
      continue;
    }
    let text: string;
    if (eq !== -1) text = word.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2))
        throw new CliError(`--${name} needs a value (${flag.value ?? 'VALUE'}).`);
      text = next;
      i++;
    }
    values[flag.name] = readValue(flag, text);
  }
  for (const flag of flags)
    if (flag.required && values[flag.name] === undefined)
      throw new CliError(`--${flag.name} ${flag.value ?? 'VALUE'} is required. ${help}`);
  return values;
}

export function stringFlag(values: FlagValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function numberFlag(values: FlagValues, name: string): number | undefined {
  const v = values[name];
  return typeof v === 'number' ? v : undefined;
}

export function switchFlag(values: FlagValues, name: string): boolean {
  return values[name] === true;
}
