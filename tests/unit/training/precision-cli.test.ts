/** `train --precision`: float32 trains the iris template as well as float64; bad values are said. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmFloat32Kernel } from '../../../src/lib/engine/matmul';
import { readModelFile, type ModelFile } from '../../../src/lib/model-file/index';
import { createWorkspace, type Workspace } from '../cli/helpers';

let ws: Workspace;
beforeAll(() => (ws = createWorkspace()));
afterAll(() => ws.remove());

function readModel(path: string): ModelFile {
  const result = readModelFile(readFileSync(path, 'utf8'));
  if (!result.ok) throw new Error(result.error);
  return result.model;
}

describe('train --precision', () => {
  it('float32 trains iris to the accuracy float64 reaches, and says it used float32', async () => {
    expect((await ws.cli(['init', '--template', 'iris', '--out', 'iris.json'])).code).toBe(0);
    const accuracy: number[] = [];
    for (const precision of ['float64', 'float32']) {
      const out = `${precision}.json`;
      const run = await ws.cli([
        'train',
        '--model',
        'iris.json',
        '--data',
        'iris',
        '--precision',
        precision,
        '--out',
        out,
      ]);
      expect(run.code).toBe(0);
      if (precision === 'float32') expect(run.stdout).toContain('float32 steps');
      else expect(run.stdout).not.toContain('float32');
      accuracy.push(readModel(ws.path(out)).training.metrics!.testAccuracy!);
    }
    expect(accuracy[0]).toBeGreaterThanOrEqual(0.9);
    // 30 test rows: within half a point means the same rows right.
    if (wasmFloat32Kernel) expect(Math.abs(accuracy[1] - accuracy[0])).toBeLessThanOrEqual(0.005);
  });

  it('an unknown precision is refused with the choices', async () => {
    const run = await ws.cli([
      'train',
      '--model',
      'iris.json',
      '--data',
      'iris',
      '--precision',
      'float16',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--precision must be one of float64, float32; got "float16"/);
  });
});
