/**
 * The backprop inspector's numbers for a batch equal `cli grad` on the same rows: train a guided
 * template as the app does, Step, take the last mini-batch, write its rows (raw, as the data file
 * has them) to a CSV and the weights to a model file, run `grad`, and compare dC/dW, dC/db and
 * the loss with backpropTerms' terms to 1e-12.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradOutput } from '../../../src/cli/commands/grad';
import { prepareData } from '../../../src/lib/data/index';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import type { Standardization } from '../../../src/lib/data/types';
import { backpropTerms, type LayerTerms } from '../../../src/lib/engine/backprop-terms';
import type { Matrix } from '../../../src/lib/engine/matrix';
import { Trainer } from '../../../src/lib/engine/trainer';
import { compileGraph } from '../../../src/lib/graph/compile';
import { createTemplateDocument, templateById } from '../../../src/lib/graph/templates';
import { readModelFile, writeModelFile } from '../../../src/lib/model-file/index';
import { createWorkspace, type Workspace } from './helpers';

let ws: Workspace;
beforeAll(() => {
  ws = createWorkspace();
});
afterAll(() => ws.remove());

/** The batch's rows as the data file has them: un-standardized features and the class name. */
function batchCsv(
  X: Matrix,
  Y: Matrix,
  features: string[],
  target: string,
  classes: string[],
  s: Standardization,
): string {
  const lines = [[...features, target].join(',')];
  for (let i = 0; i < X.rows; i++) {
    const raw = features.map((_, j) => X.data[i * X.cols + j] * s.std[j] + s.mean[j]);
    const onehot = Array.from(Y.data.subarray(i * Y.cols, (i + 1) * Y.cols));
    lines.push([...raw.map(String), classes[onehot.indexOf(1)]].join(','));
  }
  return lines.join('\n') + '\n';
}

function valuesOf(layer: LayerTerms, name: 'dC/dW' | 'dC/db' | 'C'): Float64Array {
  const term = layer.terms.find((t) => t.name === name)!;
  expect(term.shownRows * term.shownCols).toBe(term.rows * term.cols);
  return term.values;
}

function expectWithin(actual: ArrayLike<number>, expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs), 1e-300);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i] - expected[i]) / scale).toBeLessThan(tol);
}

describe('backprop terms = cli grad on the same batch', () => {
  for (const [id, l2] of [
    ['two-dense-layers', 0],
    ['n-layers-batched', 0.01],
  ] as const)
    it(`${id}${l2 ? `, with l2 ${l2}` : ''}: dC/dW, dC/db and the loss agree to 1e-12`, async () => {
      const template = templateById(id)!;
      const dataset = await loadBuiltinDatasetNode(template.dataset);
      const spec = compileGraph(createTemplateDocument(id)).spec!;
      const settings = { ...template.training, l2 };
      const data = prepareData(dataset, settings, spec.loss.type);
      const trainer = new Trainer({ spec, data, settings });
      for (let k = 0; k < 3; k++) trainer.step();
      const batch = trainer.lastBatch()!;
      expect(batch.X.rows).toBe(settings.batchSize);

      // The model file: `init` for the template, then these weights, standardization and l2.
      const init = await ws.cli(['init', '--template', id, '--out', `${id}.model.json`]);
      expect(init.code).toBe(0);
      const parsed = readModelFile(readFileSync(ws.path(`${id}.model.json`), 'utf8'));
      if (!parsed.ok) throw new Error('init wrote an unreadable model file');
      const model = parsed.model;
      model.weights = trainer.getWeights();
      model.data!.standardize = data.standardize!;
      model.training.l2 = l2;
      writeFileSync(ws.path(`${id}.model.json`), writeModelFile(model));
      writeFileSync(
        ws.path(`${id}.csv`),
        batchCsv(batch.X, batch.Y, data.features, data.target, data.classes, data.standardize!),
      );

      const run = await ws.cli([
        'grad',
        '--model',
        `${id}.model.json`,
        '--data',
        `${id}.csv`,
        '--json',
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const cli: GradOutput = JSON.parse(run.stdout);

      const regularization = { l1: 0, l2 };
      const denseIds = spec.layers.filter((l) => l.type === 'dense').map((l) => l.id);
      expect(Object.keys(cli.gradients)).toEqual(denseIds);
      for (const layerId of denseIds) {
        const terms = backpropTerms(trainer.network, batch.X, batch.Y, layerId, { regularization });
        expectWithin(valuesOf(terms, 'dC/dW'), cli.gradients[layerId].W.flat(), 1e-12);
        expectWithin(valuesOf(terms, 'dC/db'), cli.gradients[layerId].b, 1e-12);
      }
      const loss = backpropTerms(trainer.network, batch.X, batch.Y, spec.loss.id, {
        regularization,
      });
      expectWithin(valuesOf(loss, 'C'), [cli.loss], 1e-12);
    });
});
