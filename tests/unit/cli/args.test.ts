import { describe, expect, it } from 'vitest';
import { parseFlags, type FlagSpec } from '../../../src/cli/args';

const FLAGS: FlagSpec[] = [
  { name: 'model', kind: 'string', value: 'FILE', description: '', required: true },
  { name: 'epochs', kind: 'integer', value: 'N', description: '' },
  { name: 'lr', kind: 'number', value: 'X', description: '' },
  { name: 'optimizer', kind: 'string', value: 'NAME', description: '', choices: ['sgd', 'adam'] },
  { name: 'no-shuffle', kind: 'switch', description: '' },
];

describe('flag parsing', () => {
  it('reads --flag value, --flag=value and switches', () => {
    expect(
      parseFlags(
        'train',
        ['--model', 'a.json', '--epochs=5', '--lr', '1e-3', '--no-shuffle'],
        FLAGS,
      ),
    ).toEqual({ model: 'a.json', epochs: 5, lr: 0.001, 'no-shuffle': true });
  });

  it('accepts negative numbers as values', () => {
    expect(parseFlags('train', ['--model', 'a', '--lr', '-1'], FLAGS).lr).toBe(-1);
  });

  it('explains each mistake', () => {
    const parse = (argv: string[]) => () => parseFlags('train', argv, FLAGS);
    expect(parse(['--model', 'a', '--epoch', '5'])).toThrow(
      'there is no flag --epoch. Did you mean --epochs? Run "npm run cli -- train --help" to see its flags.',
    );
    expect(parse(['--model', 'a', '--frobnicate'])).toThrow(
      'there is no flag --frobnicate. Run "npm run cli -- train --help"',
    );
    expect(parse(['--epochs', '5'])).toThrow('--model FILE is required.');
    expect(parse(['--model'])).toThrow('--model needs a value (FILE).');
    expect(parse(['--model', '--epochs', '3'])).toThrow('--model needs a value (FILE).');
    expect(parse(['--model', 'a', '--epochs', 'ten'])).toThrow(
      '--epochs expects a number, got "ten".',
    );
    expect(parse(['--model', 'a', '--epochs', '2.5'])).toThrow(
      '--epochs expects a whole number, got "2.5".',
    );
    expect(parse(['--model', 'a', '--lr', ''])).toThrow('--lr expects a number, got "".');
    expect(parse(['--model', 'a', '--optimizer', 'adamw'])).toThrow(
      '--optimizer must be one of sgd, adam; got "adamw".',
    );
    expect(parse(['--model', 'a', '--no-shuffle=yes'])).toThrow(
      '--no-shuffle is a switch and takes no value.',
    );
    expect(parse(['--model', 'a', '--model', 'b'])).toThrow('--model is given twice.');
    expect(parse(['a.json'])).toThrow('unexpected argument "a.json"');
  });
});
