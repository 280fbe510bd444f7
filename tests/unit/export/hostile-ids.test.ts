/**
 * Node ids and names come from outside: the generators must write valid, working files whatever
 * they are (Python keywords, nn.Module methods, "__proto__", quotes, newlines).
 */
import { writeFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetwork, forward } from '../../../src/lib/engine/network';
import { fromRows } from '../../../src/lib/engine/matrix';
import { createRng } from '../../../src/lib/engine/rng';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import { exportAs } from '../../../src/lib/export/index';
import { pythonFloat, pythonNames, pythonString } from '../../../src/lib/export/python-source';
import type { ModelFile } from '../../../src/lib/model-file/index';
import { createWorkspace, type Workspace } from '../cli/helpers';
import { PYTHON, maxDifference, pythonWithTorch, runProgram } from './fixtures';

const IDS = ['class', '__proto__', 'forward', 'half', 'n 2"\nimport os #', 'x\\'];

const spec: LayerSpec = {
  input: { id: IDS[0], size: 3 },
  layers: [
    { id: IDS[1], type: 'dense', inputs: [IDS[0]], inputSize: 3, units: 4, init: 'normal' },
    { id: IDS[2], type: 'activation', inputs: [IDS[1]], fn: 'elu', size: 4, alpha: 0.5 },
    { id: IDS[3], type: 'dense', inputs: [IDS[2]], inputSize: 4, units: 2, init: 'xavier' },
    { id: IDS[4], type: 'activation', inputs: [IDS[3]], fn: 'leaky_relu', size: 2, alpha: 0.2 },
    { id: IDS[5], type: 'activation', inputs: [IDS[4]], fn: 'softmax', size: 2 },
  ],
  loss: { id: 'loss', type: 'cross_entropy', inputs: [IDS[5]] },
};

const model = {
  format: 'backprop-studio.model',
  version: 2,
  name: 'evil """ name \\',
  graph: { nodes: [], edges: [] },
  spec,
  data: {
    dataset: 'made up',
    features: ['a"', 'b\n', 'c'],
    target: 'label',
    task: 'classification',
    classes: ['no', 'ye"s'],
    standardize: { mean: [1, -2, 0.5], std: [2, 0.25, 1] },
  },
  training: {
    optimizer: { name: 'sgd', learningRate: 0.1 },
    batchSize: 4,
    epochs: 1,
    seed: 7,
    testFraction: 0,
    l2: 0,
    l1: 0,
  },
  weights: null,
} as unknown as ModelFile;

const ROWS = [
  [0.3, -1, 2],
  [5, 4, -3],
  [1, -2, 0.5],
];

/** The engine's outputs: seed-drawn weights, standardized rows. */
function engineOutputs(): number[][] {
  const net = createNetwork(spec, createRng(7));
  const { mean, std } = model.data!.standardize!;
  const X = fromRows(ROWS.map((r) => r.map((v, j) => (v - mean[j]) / std[j])));
  const P = forward(net, X).output;
  return ROWS.map((_, i) => Array.from(P.data.subarray(i * 2, i * 2 + 2)));
}

const hasTorch = await pythonWithTorch();

let ws: Workspace;
beforeAll(() => (ws = createWorkspace()));
afterAll(() => ws.remove());

describe('Python names and literals', () => {
  it('keeps plain ids and renames the rest to unique identifiers', () => {
    const names = pythonNames([
      'n1',
      'class',
      '__proto__',
      'forward',
      'a b',
      'a_b',
      'node_a_b',
      'n1x',
    ]);
    expect([...names.values()]).toEqual([
      'n1',
      'node_class',
      'node___proto__',
      'node_forward',
      'node_a_b',
      'a_b',
      'node_a_b_2',
      'n1x',
    ]);
  });

  it('writes floats that read back as the same number and strings that stay on one line', () => {
    for (const x of [0, -0, 1, 0.1, 1e-7, 1.5e300, -2.5e-310, 123456789012345680000, Math.PI])
      expect(Number(pythonFloat(x))).toBe(x === 0 ? 0 : x);
    expect(pythonFloat(3)).toBe('3.0');
    expect(pythonString('a"\nb\u2028')).toBe('"a\\"\\nb\\u2028"');
  });
});

describe('generators with hostile ids', () => {
  it('ONNX: runs and gives the engine outputs', async () => {
    const bytes = exportAs(model, 'onnx').content as Uint8Array;
    const session = await ort.InferenceSession.create(bytes);
    const result = await session.run({
      features: new ort.Tensor('float32', Float32Array.from(ROWS.flat()), [3, 3]),
    });
    const data = result.outputs.data as Float32Array;
    const outputs = ROWS.map((_, i) => Array.from(data.subarray(i * 2, i * 2 + 2)));
    expect(maxDifference(outputs, engineOutputs())).toBeLessThan(1e-5);
  });

  it.skipIf(!hasTorch)(
    'PyTorch and NumPy: valid Python whose forward gives the engine outputs to 1e-9 (skipped without torch in /usr/bin/python3)',
    async () => {
      writeFileSync(ws.path('evil.py'), exportAs(model, 'pytorch').content);
      writeFileSync(ws.path('evil_numpy.py'), exportAs(model, 'numpy').content);
      const check = `
import json, runpy, sys, torch
rows = json.loads(sys.argv[1])
torch_module = runpy.run_path("evil.py")
numpy_module = runpy.run_path("evil_numpy.py")
with torch.no_grad():
    a = torch_module["load_model"]()(torch.tensor(rows, dtype=torch.float64)).tolist()
b = numpy_module["predict"](rows).tolist()
print(json.dumps([a, b]))
`;
      const { stdout } = await runProgram(PYTHON, ['-c', check, JSON.stringify(ROWS)], ws.dir);
      const [fromTorch, fromNumpy] = JSON.parse(stdout) as number[][][];
      const expected = engineOutputs();
      expect(maxDifference(fromTorch, expected)).toBeLessThan(1e-9);
      expect(maxDifference(fromNumpy, expected)).toBeLessThan(1e-9);
    },
    90_000,
  );
});
