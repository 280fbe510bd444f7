/** The ONNX export run in ONNX Runtime: the engine's outputs to 1e-5 (float32), names and opset. */
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkWithWeights } from '../../../src/cli/network';
import { fromRows } from '../../../src/lib/engine/matrix';
import { forward } from '../../../src/lib/engine/network';
import { exportAs } from '../../../src/lib/export/index';
import { onnxModelType } from '../../../src/lib/export/onnx-schema';
import { createWorkspace, type Workspace } from '../cli/helpers';
import { TEMPLATES, makeFixture, maxDifference, readModel, type Fixture } from './fixtures';

let ws: Workspace;
const fixtures = new Map<string, Fixture>();
beforeAll(async () => {
  ws = createWorkspace();
  for (const name of TEMPLATES) fixtures.set(name, await makeFixture(ws, name));
}, 180_000);
afterAll(() => ws.remove());

async function runOnnx(bytes: Uint8Array, features: number[][]): Promise<number[][]> {
  const session = await ort.InferenceSession.create(bytes);
  const width = features[0].length;
  const input = new ort.Tensor('float32', Float32Array.from(features.flat()), [
    features.length,
    width,
  ]);
  const result = await session.run({ features: input });
  const out = result.outputs;
  const [rows, cols] = out.dims as number[];
  const data = out.data as Float32Array;
  return Array.from({ length: rows }, (_, i) =>
    Array.from(data.subarray(i * cols, (i + 1) * cols)),
  );
}

describe('ONNX export', () => {
  it.each(TEMPLATES)('%s: ONNX Runtime gives the engine outputs to 1e-5', async (name) => {
    const fixture = fixtures.get(name)!;
    const exported = exportAs(fixture.trained, 'onnx');
    expect(exported.fileName).toBe(`${name}-mlp.onnx`);
    expect(exported.notes).toEqual([]);
    const outputs = await runOnnx(exported.content as Uint8Array, fixture.features);
    expect(outputs.length).toBe(fixture.outputs.length);
    expect(maxDifference(outputs, fixture.outputs)).toBeLessThan(1e-5);
  });

  it('declares opset 17, float32 features (N x F) and outputs, standardization inside', () => {
    const fixture = fixtures.get('iris')!;
    const bytes = exportAs(fixture.trained, 'onnx').content as Uint8Array;
    const type = onnxModelType();
    const decoded = type.toObject(type.decode(bytes), { longs: Number }) as {
      opset_import: { domain: string; version: number }[];
      graph: {
        node: { op_type: string; name: string }[];
        input: { name: string; type: { tensor_type: { elem_type: number; shape: unknown } } }[];
        output: { name: string; type: { tensor_type: { elem_type: number; shape: unknown } } }[];
      };
    };
    expect(decoded.opset_import).toEqual([{ domain: '', version: 17 }]);
    expect(decoded.graph.input.map((i) => i.name)).toEqual(['features']);
    expect(decoded.graph.output.map((o) => o.name)).toEqual(['outputs']);
    expect(decoded.graph.input[0].type.tensor_type).toEqual({
      elem_type: 1,
      shape: { dim: [{ dim_param: 'N' }, { dim_value: 4 }] },
    });
    expect(decoded.graph.output[0].type.tensor_type.elem_type).toBe(1);
    // iris: Sub, Div (standardization), then Dense sigmoid Dense softmax named by node id.
    expect(decoded.graph.node.map((n) => n.op_type)).toEqual([
      'Sub',
      'Div',
      'Gemm',
      'Sigmoid',
      'Gemm',
      'Softmax',
    ]);
    expect(decoded.graph.node.slice(2).map((n) => n.name)).toEqual(
      fixture.trained.spec!.layers.map((l) => l.id),
    );
  });

  it('merges and dropout: Sum and Concat (axis 1) read their inputs in the spec order, dropout is Identity', () => {
    type Decoded = {
      graph: {
        node: {
          op_type: string;
          name: string;
          input: string[];
          attribute?: { name: string; i?: number }[];
        }[];
      };
    };
    const type = onnxModelType();
    const decode = (name: string) => {
      const bytes = exportAs(fixtures.get(name)!.trained, 'onnx').content as Uint8Array;
      return (type.toObject(type.decode(bytes), { longs: Number }) as Decoded).graph.node;
    };
    for (const name of ['deep-sigmoid-skip', 'wide-and-deep-dropout']) {
      const spec = fixtures.get(name)!.trained.spec!;
      const nodes = decode(name);
      const expected = { add: 'Sum', concat: 'Concat', dropout: 'Identity' } as const;
      const branching = spec.layers.filter((l) => l.type in expected);
      expect(branching.length).toBeGreaterThan(0);
      for (const layer of branching) {
        const node = nodes.find((n) => n.name === layer.id)!;
        expect(node.op_type).toBe(expected[layer.type as keyof typeof expected]);
        expect(node.input).toEqual(layer.inputs.map((id) => `out:${id}`));
        if (layer.type === 'concat')
          expect(node.attribute).toEqual([{ name: 'axis', type: 2, i: 1 }]);
      }
    }
  });

  it('a model without weights exports the weights its initializer draws from the seed, and says so', async () => {
    const untrained = readModel(fixtures.get('iris')!.untrainedPath);
    expect(untrained.weights ?? null).toBeNull();
    const exported = exportAs(untrained, 'onnx');
    expect(exported.notes.join(' ')).toMatch(/no trained weights.*seed 42/);
    const rows = fixtures.get('iris')!.features.slice(0, 10);
    const net = networkWithWeights(untrained.spec!, null, untrained.training.seed);
    const P = forward(net, fromRows(rows)).output;
    const expected = rows.map((_, i) => Array.from(P.data.subarray(i * P.cols, (i + 1) * P.cols)));
    const outputs = await runOnnx(exported.content as Uint8Array, rows);
    expect(maxDifference(outputs, expected)).toBeLessThan(1e-5);
  });

  it('the bytes are what the CLI writes', async () => {
    const fixture = fixtures.get('xor')!;
    const run = await ws.cli([
      'export',
      '--model',
      fixture.trainedPath,
      '--format',
      'onnx',
      '--out',
      'xor.onnx',
    ]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(new Uint8Array(readFileSync(ws.path('xor.onnx')))).toEqual(
      exportAs(fixture.trained, 'onnx').content,
    );
  });
});
