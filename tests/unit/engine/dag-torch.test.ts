/**
 * Backprop through random branching networks against PyTorch autograd in float64 (DESIGN.md §6:
 * an independent reference): every activation and head, branches, Add, Concat, fan-out, dropout
 * in evaluation. Agreement to 1e-9 relative, which float32 TensorFlow.js (dag-tfjs.test.ts)
 * cannot resolve. Needs Debian's python3 with torch (/usr/bin/python3); skipped, and says so,
 * where it is missing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toRows } from '../../../src/lib/engine/matrix';
import { createNetwork, getWeights, lossAndGradients } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import type { WeightsJson } from '../../../src/lib/engine/types';
import { HIDDEN_ACTIVATIONS, randomDagSpec, scaleWeights } from './dag-helpers';
import { HEADS, outputsFor, randomMatrix, targetsFor } from './helpers';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./reference/torch_dag_grads.py', import.meta.url));
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) console.warn(`dag-torch.test.ts skipped: ${PYTHON} cannot import torch.`);

interface Case {
  spec: LayerSpec;
  weights: WeightsJson;
  X: number[][];
  T: number[][];
}
interface Reference {
  loss: number;
  grads: Record<string, { W: number[][]; b: number[] }>;
}

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
function relativeError(a: number[], b: number[]): number {
  const scale = Math.max(norm(a), norm(b));
  return scale === 0 ? 0 : norm(a.map((v, i) => v - b[i])) / scale;
}

describe.skipIf(!hasTorch)('DAG gradients agree with PyTorch autograd (float64)', () => {
  it('to 1e-9 relative on random DAGs, every activation and head', () => {
    const cases: Case[] = [];
    const ours: { loss: number; grads: Record<string, number[]> }[] = [];
    let seed = 0;
    for (const head of HEADS)
      for (const activation of HIDDEN_ACTIVATIONS)
        for (let k = 0; k < 2; k++) {
          seed++;
          const outputs = outputsFor(head);
          const spec = randomDagSpec({ seed, inputs: 3, outputs, steps: 7, head, activation });
          const rng = createRng(1000 + seed);
          const net = createNetwork(spec, rng);
          scaleWeights(net.params, rng, 0.7);
          const batch = 1 + rng.int(7);
          const X = randomMatrix(batch, 3, rng);
          const T = targetsFor(head, batch, outputs, rng);
          const { loss, grads } = lossAndGradients(net, X, T);
          ours.push({
            loss,
            grads: Object.fromEntries(grads.map((g) => [g.id, [...g.dW.data, ...g.db]])),
          });
          cases.push({ spec, weights: getWeights(net), X: toRows(X), T: toRows(T) });
        }
    const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(cases), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const theirs: Reference[] = JSON.parse(run.stdout);
    expect(theirs).toHaveLength(cases.length);
    theirs.forEach((reference, i) => {
      expect(
        Math.abs(ours[i].loss - reference.loss) / Math.max(1, Math.abs(reference.loss)),
      ).toBeLessThan(1e-12);
      const all = (g: Record<string, number[]>) =>
        Object.keys(reference.grads).flatMap((id) => g[id]);
      const theirsFlat = Object.fromEntries(
        Object.entries(reference.grads).map(([id, g]) => [id, [...g.W.flat(), ...g.b]]),
      );
      expect(Object.keys(ours[i].grads).sort()).toEqual(Object.keys(reference.grads).sort());
      expect(relativeError(all(ours[i].grads), all(theirsFlat)), `case ${i}`).toBeLessThan(1e-9);
    });
  }, 120_000);
});
