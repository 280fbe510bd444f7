/** What every exporter starts from: the spec's order, seed-drawn weights, the count of draws. */
import { describe, expect, it } from 'vitest';
import { createNetwork, getWeights } from '../../../src/lib/engine/network';
import { createRng } from '../../../src/lib/engine/rng';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import { ExportError, exportModel } from '../../../src/lib/export/index';
import type { ModelFile } from '../../../src/lib/model-file/index';

/** He (normal) draws an odd number of weights, so a Box–Muller spare is left between layers. */
const spec: LayerSpec = {
  input: { id: 'in', size: 3 },
  layers: [
    { id: 'd1', type: 'dense', inputs: ['in'], inputSize: 3, units: 5, init: 'auto' },
    { id: 'a1', type: 'activation', inputs: ['d1'], fn: 'relu', size: 5 },
    { id: 'd2', type: 'dense', inputs: ['a1'], inputSize: 5, units: 3, init: 'he' },
    { id: 'd3', type: 'dense', inputs: ['d2'], inputSize: 3, units: 1, init: 'uniform' },
  ],
  loss: { id: 'loss', type: 'mse', inputs: ['d3'] },
};

const file = (s: LayerSpec, seed = 11): ModelFile =>
  ({
    format: 'backprop-studio.model',
    version: 2,
    name: 'm',
    graph: { nodes: [], edges: [] },
    spec: s,
    training: {
      optimizer: { name: 'sgd', learningRate: 0.1 },
      batchSize: 4,
      epochs: 1,
      seed,
      testFraction: 0,
      l1: 0,
      l2: 0,
    },
    weights: null,
  }) as unknown as ModelFile;

describe('exportModel', () => {
  it('draws the weights of an untrained model from its seed, as training would start', () => {
    const prepared = exportModel(file(spec));
    expect(prepared.weightsFromSeed).toBe(true);
    expect(prepared.weights).toEqual(getWeights(createNetwork(spec, createRng(11))));
  });

  it('counts the uniform draws the initializer used, so the next draw is the first shuffle draw', () => {
    const { initDraws } = exportModel(file(spec));
    const afterInit = createRng(11);
    createNetwork(spec, afterInit);
    const skipped = createRng(11);
    for (let k = 0; k < initDraws; k++) skipped.next();
    expect([skipped.next(), skipped.next()]).toEqual([afterInit.next(), afterInit.next()]);
    // 15 + 15 normals (he) take 30 uniforms; 3 + 1 uniform draws for d3's W and b; d1 is he too.
    expect(initDraws).toBe(2 * Math.ceil((15 + 15) / 2) + 3 + 1);
  });

  it('refuses a spec whose layer reads one that comes later, naming both', () => {
    const reordered: LayerSpec = {
      ...spec,
      layers: [spec.layers[1], spec.layers[0], ...spec.layers.slice(2)],
    };
    expect(() => exportModel(file(reordered))).toThrow(ExportError);
    expect(() => exportModel(file(reordered))).toThrow(
      'Layer "a1" reads "d1", which is not a layer before it in the spec.',
    );
  });

  it('refuses a model without a spec', () => {
    expect(() => exportModel(file(null as unknown as LayerSpec))).toThrow(/no layer spec/);
  });
});
