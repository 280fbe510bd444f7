/**
 * `cli grad` on random branching model files (Add, Concat, fan-out, dropout, every hidden
 * activation and head) against PyTorch autograd in float64 — the engine tests' reference script
 * (tests/unit/engine/reference/torch_dag_grads.py) — to 1e-9 relative. The files go through the
 * reader (spec = compile(graph), merge inputs in wire order) and the CLI's CSV and
 * standardization. Skipped, with a warning, only where /usr/bin/python3 cannot import torch.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { GradOutput } from '../../../src/cli/commands/grad';
import { writeModelFile } from '../../../src/lib/model-file/index';
import { HEADS } from '../engine/helpers';
import { randomDagCase, type DagCase } from './dag-model-files';
import { createWorkspace } from './helpers';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../engine/reference/torch_dag_grads.py', import.meta.url));
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) console.warn(`grad-dag-torch.test.ts skipped: ${PYTHON} cannot import torch.`);

const ws = createWorkspace();
afterAll(() => ws.remove());

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
function relativeError(a: number[], b: number[]): number {
  const scale = Math.max(norm(a), norm(b));
  return scale === 0 ? 0 : norm(a.map((v, i) => v - b[i])) / scale;
}

/** What the reference is given: the spec, weights, inputs after the file's standardization. */
function referenceInput(c: DagCase) {
  const s = c.model.data!.standardize;
  const X = s ? c.X.map((row) => row.map((x, j) => (x - s.mean[j]) / s.std[j])) : c.X;
  return { spec: c.model.spec, weights: c.model.weights, X, T: c.T };
}

describe.skipIf(!hasTorch)(
  'cli grad on branching model files agrees with PyTorch (float64)',
  () => {
    it('to 1e-9 relative, every head, with and without standardization', async () => {
      const cases: DagCase[] = [];
      let seed = 0;
      for (const head of HEADS)
        for (let k = 0; k < 6; k++) cases.push(randomDagCase(++seed, head, k % 2 === 0));
      const kinds = new Set(cases.flatMap((c) => c.model.spec!.layers.map((l) => l.type)));
      expect([...kinds].sort()).toEqual(['activation', 'add', 'concat', 'dense', 'dropout']);

      const ours: GradOutput[] = [];
      for (const [i, c] of cases.entries()) {
        writeFileSync(ws.path(`dag${i}.model.json`), writeModelFile(c.model));
        writeFileSync(ws.path(`dag${i}.csv`), c.csv);
        const run = await ws.cli([
          'grad',
          '--model',
          `dag${i}.model.json`,
          '--data',
          `dag${i}.csv`,
          '--json',
        ]);
        expect(run.code, run.stderr).toBe(0);
        ours.push(JSON.parse(run.stdout) as GradOutput);
      }
      const reference = spawnSync(PYTHON, [SCRIPT], {
        input: JSON.stringify(cases.map(referenceInput)),
        encoding: 'utf8',
      });
      expect(reference.stderr).toBe('');
      // The script answers { loss, grads }: the same content as grad's JSON.
      const theirs = (
        JSON.parse(reference.stdout) as { loss: number; grads: GradOutput['gradients'] }[]
      ).map((r): GradOutput => ({ loss: r.loss, gradients: r.grads }));
      expect(theirs).toHaveLength(cases.length);
      theirs.forEach((expected, i) => {
        const got = ours[i];
        const flat = (g: GradOutput, id: string) => [
          ...g.gradients[id].W.flat(),
          ...g.gradients[id].b,
        ];
        const ids = Object.keys(expected.gradients).sort();
        expect(Object.keys(got.gradients).sort(), `case ${i}`).toEqual(ids);
        expect(
          Math.abs(got.loss - expected.loss) / Math.max(1, Math.abs(expected.loss)),
        ).toBeLessThan(1e-9);
        const a = ids.flatMap((id) => flat(got, id));
        const b = ids.flatMap((id) => flat(expected, id));
        expect(norm(b), `case ${i}: a gradient to compare`).toBeGreaterThan(0);
        expect(relativeError(a, b), `case ${i}`).toBeLessThan(1e-9);
      });
    }, 120_000);
  },
);
