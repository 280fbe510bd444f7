/**
 * Every template compiles, fits its own dataset, and trains to its target with its own settings
 * through the same path the app and the command line take: template -> document -> compile ->
 * prepareData -> new Trainer. The thresholds are the product's targets, not measurements.
 */
import { describe, expect, it } from 'vitest';
import { prepareData, type Dataset } from '../../../src/lib/data/index';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { applyStandardization } from '../../../src/lib/data/standardize';
import { fromRows } from '../../../src/lib/engine/matrix';
import { Trainer } from '../../../src/lib/engine/trainer';
import { compileGraph } from '../../../src/lib/graph/compile';
import {
  createTemplateDocument,
  TEMPLATE_IDS,
  TEMPLATES,
  templateById,
  type TemplateId,
} from '../../../src/lib/graph/templates';
import { diagnose } from '../../../src/lib/gradients/diagnostics';
import type { NormColumn } from '../../../src/lib/gradients/types';
import { isFeatureRows } from '../../../src/lib/engine/feature-rows';

async function trainTemplate(
  id: TemplateId,
  shrink: (dataset: Dataset) => Dataset = (d) => d,
  epochs?: number,
): Promise<{ trainer: Trainer; standardize?: { mean: number[]; std: number[] } }> {
  const template = templateById(id);
  if (!template) throw new Error(`no template ${id}`);
  const dataset = shrink(await loadBuiltinDatasetNode(template.dataset));
  const compiled = compileGraph(createTemplateDocument(id), {
    inputSize: dataset.features.length,
    task: dataset.task,
    classCount: dataset.task === 'classification' ? dataset.classes.length : undefined,
    datasetLabel: dataset.name,
  });
  expect(compiled.errors).toEqual([]);
  if (!compiled.spec) throw new Error('no spec');
  const training = { ...template.training, ...(epochs ? { epochs } : {}) };
  const data = prepareData(
    dataset,
    { testFraction: training.testFraction, seed: training.seed, standardize: training.standardize },
    compiled.spec.loss.type,
  );
  const trainer = new Trainer({ spec: compiled.spec, data, settings: training });
  while (trainer.status === 'ready') trainer.runEpoch();
  expect(trainer.status).toBe('done');
  return { trainer, standardize: data.standardize };
}

describe('templates', () => {
  it('offers the twelve templates by short id and label', () => {
    expect(TEMPLATES.map((t) => [t.id, t.label])).toEqual([
      ['iris', 'Iris classifier'],
      ['xor', 'XOR'],
      ['digits', 'Digits'],
      ['runge', 'Runge regression'],
      ['deep-sigmoid', 'Deep sigmoid'],
      ['deep-sigmoid-skip', 'Deep sigmoid + skip connections'],
      ['wide-and-deep', 'Wide and deep'],
      ['fashion_mnist', 'Fashion-MNIST MLP'],
      ['one-dense-layer', 'One dense layer'],
      ['two-dense-layers', 'Two dense layers'],
      ['n-layers-batched', 'N layers (batched)'],
      ['iris-momentum', 'Iris with momentum'],
    ]);
    expect([...TEMPLATE_IDS]).toEqual(TEMPLATES.map((t) => t.id));
    expect(templateById('nope')).toBeUndefined();
    expect(() => createTemplateDocument('nope')).toThrow(
      /iris, xor, digits, runge, deep-sigmoid, deep-sigmoid-skip, wide-and-deep, fashion_mnist, one-dense-layer, two-dense-layers, n-layers-batched, iris-momentum/,
    );
  });

  it('lays each template out left to right in one row, every wire pointing right, as a fresh copy', () => {
    const chains = [
      'iris',
      'xor',
      'digits',
      'runge',
      'deep-sigmoid',
      'one-dense-layer',
      'two-dense-layers',
      'n-layers-batched',
      'iris-momentum',
      'fashion_mnist',
    ];
    for (const id of TEMPLATE_IDS) {
      const doc = createTemplateDocument(id);
      const xs = doc.nodes.map((n) => n.position.x);
      expect(xs).toEqual([...xs].sort((a, b) => a - b));
      expect(new Set(xs).size).toBe(xs.length);
      const x = new Map(doc.nodes.map((n) => [n.id, n.position.x]));
      for (const edge of doc.edges) expect(x.get(edge.source)!).toBeLessThan(x.get(edge.target)!);
      if (chains.includes(id))
        expect(doc.edges).toEqual(
          doc.nodes
            .slice(1)
            .map((n, i) => ({ id: `e${i + 1}`, source: doc.nodes[i].id, target: n.id })),
        );
      // Editing one copy leaves the template (and the next copy) alone.
      (doc.nodes[1].params as Record<string, unknown>).units = 999;
      expect(createTemplateDocument(id).nodes[1].params.units).not.toBe(999);
    }
  });

  it('iris: the course network, 4 → 5 → sigmoid → 3 → softmax → cross-entropy, momentum 0.9', () => {
    const spec = compileGraph(createTemplateDocument('iris')).spec;
    expect(spec).toEqual({
      input: { id: 'n1', size: 4 },
      layers: [
        { id: 'n2', type: 'dense', inputs: ['n1'], inputSize: 4, units: 5, init: 'auto' },
        { id: 'n3', type: 'activation', inputs: ['n2'], fn: 'sigmoid', size: 5 },
        { id: 'n4', type: 'dense', inputs: ['n3'], inputSize: 5, units: 3, init: 'auto' },
        { id: 'n5', type: 'activation', inputs: ['n4'], fn: 'softmax', size: 3 },
      ],
      loss: { id: 'n6', type: 'cross_entropy', inputs: ['n5'] },
    });
    expect(templateById('iris')?.training.optimizer).toMatchObject({
      name: 'momentum',
      momentum: 0.9,
    });
  });

  it('iris trains to >= 90% test accuracy', async () => {
    const { trainer } = await trainTemplate('iris');
    expect(trainer.evaluate().testAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('XOR gets all four quadrants right (and >= 90% of the noisy test split)', async () => {
    const { trainer, standardize } = await trainTemplate('xor');
    // Noise moves some points across an axis, so even a perfect boundary misses a few.
    expect(trainer.evaluate().testAccuracy).toBeGreaterThanOrEqual(0.9);
    // The four quadrants' centres; class 1 when exactly one coordinate is positive.
    const corners = fromRows([
      [-0.5, -0.5],
      [-0.5, 0.5],
      [0.5, -0.5],
      [0.5, 0.5],
    ]);
    const X = standardize ? applyStandardization(corners, standardize) : corners;
    const P = trainer.predict(X);
    // One sigmoid output: class 1 when p >= 0.5.
    expect([0, 1, 2, 3].map((i) => (P.data[i] >= 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
  });

  it('digits trains to >= 90% test accuracy', async () => {
    const { trainer } = await trainTemplate('digits');
    expect(trainer.evaluate().testAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('Runge regression trains to R² >= 0.95 on the test split', async () => {
    const { trainer } = await trainTemplate('runge');
    expect(trainer.evaluate().testR2).toBeGreaterThanOrEqual(0.95);
  });

  it('deep sigmoid: 8 × (Dense 32 + Sigmoid), Xavier, momentum at learning rate 0.01, on digits', () => {
    for (const id of ['deep-sigmoid', 'deep-sigmoid-skip']) {
      const template = templateById(id)!;
      expect(template.dataset).toBe('digits');
      expect(template.training.optimizer).toMatchObject({ name: 'momentum', learningRate: 0.01 });
      const spec = compileGraph(createTemplateDocument(id)).spec!;
      const dense = spec.layers.filter((l) => l.type === 'dense');
      expect(dense.map((l) => [l.units, l.init])).toEqual([
        ...Array.from({ length: 8 }, () => [32, 'xavier']),
        [10, 'xavier'],
      ]);
      const fns = spec.layers.flatMap((l) => (l.type === 'activation' ? [l.fn] : []));
      expect(fns).toEqual([...Array.from({ length: 8 }, () => 'sigmoid'), 'softmax']);
    }
    expect(
      compileGraph(createTemplateDocument('deep-sigmoid')).spec!.layers.some(
        (l) => l.type === 'add',
      ),
    ).toBe(false);
  });

  it('deep sigmoid + skip connections: an Add around every two layers after the first', () => {
    const spec = compileGraph(createTemplateDocument('deep-sigmoid-skip')).spec!;
    const at = new Map(spec.layers.map((l, i) => [l.id, i]));
    const adds = spec.layers.filter((l) => l.type === 'add');
    expect(adds).toHaveLength(3);
    for (const add of adds) {
      expect(add.size).toBe(32);
      // Its inputs: the block's input, and the output of two Dense + Sigmoid layers after it.
      const [skip, deep] = add.inputs.map((id) => at.get(id)!);
      expect(deep - skip).toBe(4);
      expect(spec.layers.slice(skip + 1, deep + 1).map((l) => l.type)).toEqual([
        'dense',
        'activation',
        'dense',
        'activation',
      ]);
    }
  });

  /** The vanishing-gradient diagnosis over the first 50 updates of a template, as the page runs it. */
  async function vanishingWarnings(id: TemplateId): Promise<number> {
    const template = templateById(id)!;
    const dataset = await loadBuiltinDatasetNode(template.dataset);
    const spec = compileGraph(createTemplateDocument(id)).spec!;
    const { training } = template;
    const data = prepareData(
      dataset,
      {
        testFraction: training.testFraction,
        seed: training.seed,
        standardize: training.standardize,
      },
      spec.loss.type,
    );
    const trainer = new Trainer({ spec, data, settings: training });
    const layerIds = trainer.network.params.map((p) => p.id);
    const recent: NormColumn[] = [];
    let warnings = 0;
    for (let update = 1; update <= 50; update++) {
      trainer.step();
      const norms = trainer.lastGradients().map((g) => Math.hypot(...g.dW.data));
      recent.push({ update, epoch: 1, norms });
      const latest = { update, dense: [], activations: [] };
      const found = diagnose({ latest, layerIds, recent: recent.slice(-10) });
      if (found.some((d) => d.kind === 'vanishing')) warnings++;
    }
    return warnings;
  }

  it('on digits, "Deep sigmoid" raises the vanishing-gradient warning and the skip version does not', async () => {
    // The warning needs 5 updates in a row; from the 5th of 50 on, it stays.
    expect(await vanishingWarnings('deep-sigmoid')).toBe(46);
    expect(await vanishingWarnings('deep-sigmoid-skip')).toBe(0);
  });

  it('deep sigmoid + skip connections trains to >= 85% test accuracy in its 20 epochs', async () => {
    const { trainer } = await trainTemplate('deep-sigmoid-skip');
    expect(trainer.evaluate().testAccuracy).toBeGreaterThanOrEqual(0.85);
  });

  it('wide and deep trains to >= 90% test accuracy on wine', async () => {
    const { trainer } = await trainTemplate('wide-and-deep');
    expect(trainer.evaluate().testAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('Fashion-MNIST MLP: 784 → 256 ReLU → 128 ReLU → 10 softmax, cross-entropy, Adam', () => {
    const spec = compileGraph(createTemplateDocument('fashion_mnist')).spec;
    expect(spec?.input.size).toBe(784);
    expect(
      spec?.layers.map((l) =>
        l.type === 'dense'
          ? `dense ${l.units}`
          : l.type === 'activation'
            ? `activation ${l.fn}`
            : l.type,
      ),
    ).toEqual([
      'dense 256',
      'activation relu',
      'dense 128',
      'activation relu',
      'dense 10',
      'activation softmax',
    ]);
    expect(spec?.loss.type).toBe('cross_entropy');
    expect(templateById('fashion_mnist')?.training.optimizer.name).toBe('adam');
  });

  // The whole set (60,000 images × 10 epochs) takes minutes, too long for a unit test: train on
  // the first 3,000 training and 1,000 test images instead, 3 epochs. The target for the whole
  // set (>= 88% in 10 epochs) belongs to the benchmark, not here. It reaches 82.2% (seeded).
  it('Fashion-MNIST MLP trains to >= 75% on a 3,000-image slice in 3 epochs', async () => {
    const slice = (d: Dataset): Dataset => {
      const train = 3000;
      const test = 1000;
      const from = d.split!.train;
      const cols = d.X.cols;
      if (!isFeatureRows(d.X) || !(d.X.values instanceof Uint8Array))
        throw new Error('Fashion-MNIST keeps its pixels as bytes');
      const bytes = new Uint8Array((train + test) * cols);
      bytes.set(d.X.values.subarray(0, train * cols));
      bytes.set(d.X.values.subarray(from * cols, (from + test) * cols), train * cols);
      const y = new Float64Array(train + test);
      y.set(d.y.subarray(0, train));
      y.set(d.y.subarray(from, from + test), train);
      return { ...d, X: { rows: train + test, cols, values: bytes }, y, split: { train } };
    };
    const { trainer } = await trainTemplate('fashion_mnist', slice, 3);
    expect(trainer.evaluate().testAccuracy).toBeGreaterThanOrEqual(0.75);
  }, 120_000);
  describe('guided examples of the backprop inspector', () => {
    const GUIDED: TemplateId[] = [
      'one-dense-layer',
      'two-dense-layers',
      'n-layers-batched',
      'iris-momentum',
    ];
    /** Dense widths and activation functions of a template, in order. */
    function shape(id: TemplateId): { units: number[]; fns: string[] } {
      const spec = compileGraph(createTemplateDocument(id)).spec!;
      return {
        units: spec.layers.flatMap((l) => (l.type === 'dense' ? [l.units] : [])),
        fns: spec.layers.flatMap((l) => (l.type === 'activation' ? [l.fn] : [])),
      };
    }

    it('mirror the exercise set: one, two and four dense layers, and momentum, on Iris', () => {
      expect(shape('one-dense-layer')).toEqual({ units: [3], fns: ['softmax'] });
      expect(shape('two-dense-layers')).toEqual({ units: [5, 3], fns: ['sigmoid', 'softmax'] });
      expect(shape('n-layers-batched')).toEqual({
        units: [8, 8, 6, 3],
        fns: ['tanh', 'tanh', 'tanh', 'softmax'],
      });
      expect(shape('iris-momentum')).toEqual(shape('two-dense-layers'));
      expect(templateById('iris-momentum')!.training.optimizer).toMatchObject({
        name: 'momentum',
        momentum: 0.9,
      });
      for (const id of GUIDED) {
        const template = templateById(id)!;
        expect(template.dataset).toBe('iris');
        expect(template.training.batchSize).toBeGreaterThan(1);
        expect(compileGraph(createTemplateDocument(id)).spec!.loss.type).toBe('cross_entropy');
        // A few lines on what to look at, naming terms the Backprop tab shows.
        expect(template.guide!.length).toBeGreaterThanOrEqual(3);
        expect(template.guide!.join(' ')).toMatch(/dC\/dW|δ/);
      }
      expect(TEMPLATES.filter((t) => t.guide).map((t) => t.id)).toEqual(GUIDED);
    });

    for (const id of [
      'one-dense-layer',
      'two-dense-layers',
      'n-layers-batched',
      'iris-momentum',
    ] as const)
      it(`${id} trains to >= 90% test accuracy`, async () => {
        const { trainer } = await trainTemplate(id);
        expect(trainer.evaluate().testAccuracy).toBeGreaterThanOrEqual(0.9);
      });
  });
});
