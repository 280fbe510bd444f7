/** The real thing: `npx tsx src/cli/main.ts ...` in a child process, exit codes and streams. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFile } from '../../../src/lib/model-file/index';
import { createWorkspace, type Workspace } from './helpers';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync('npx', ['tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    // A pipe, not a terminal: no progress bar, no colours.
    env: { ...process.env, INIT_CWD: ROOT },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let ws: Workspace;
beforeAll(() => (ws = createWorkspace()));
afterAll(() => ws.remove());

describe('npx tsx src/cli/main.ts', () => {
  it('init, train --json and predict --json end to end', () => {
    const model = ws.path('xor.model.json');
    const init = cli(['init', '--template', 'xor', '--out', model]);
    expect(init).toMatchObject({ code: 0, stderr: '' });

    const train = cli(['train', '--model', model, '--data', 'xor', '--json']);
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    const summary = JSON.parse(train.stdout);
    expect(summary).toMatchObject({ model, dataset: 'xor', task: 'classification' });
    expect(summary.metrics.testAccuracy).toBeGreaterThanOrEqual(0.9);
    const read = readModelFile(readFileSync(model, 'utf8'));
    expect(read.ok).toBe(true);

    const predict = cli(['predict', '--model', model, '--data', 'xor', '--json']);
    expect(predict.code).toBe(0);
    const result = JSON.parse(predict.stdout);
    expect(result.classes).toEqual(read.ok ? read.model.data!.classes : []);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
  }, 60_000);

  it('an error: message on stderr, nothing on stdout, exit code 1', () => {
    const run = cli(['predict', '--model', ws.path('missing.model.json'), '--data', 'iris']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `predict: Cannot read the model file "${ws.path('missing.model.json')}": there is no such file.\n`,
    );
  }, 30_000);

  it('--help exits 0 and lists the commands', () => {
    const run = cli(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['init', 'train', 'predict', 'grad', 'gradcheck', 'bench'])
      expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  }, 30_000);
});
