/**
 * The worker's backprop-inspector handler in Node: its terms equal the engine's backpropTerms on
 * the same batch and weights, the transferred buffers hold exactly the shown blocks, the trained
 * network's gradient buffers are left alone, a mistake is located where its numbers first part,
 * Check gradients fails with it on, and the exported batch holds the batch's rows.
 */
import { describe, expect, it } from 'vitest';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { backpropTerms, networkWithMistake, type LayerTerms } from '../../../src/lib/engine/index';
import { compileGraph } from '../../../src/lib/graph/compile';
import { createTemplateDocument, templateById } from '../../../src/lib/graph/templates';
import { GRADIENT_CHECK_TOLERANCE } from '../../../src/lib/worker/api';
import {
  backpropTermsResponse,
  batchExport,
  currentBatch,
  mistakeGradientCheck,
} from '../../../src/lib/worker/backprop-request';
import { buildTraining } from '../../../src/lib/worker/build';
import { gradientCheckReport } from '../../../src/lib/worker/gradient-check-report';
import { TrainingService } from '../../../src/lib/worker/training-service';
import { featureMatrix } from '../../../src/lib/engine/feature-rows';

const ID = 'two-dense-layers';
const template = templateById(ID)!;
const dataset = await loadBuiltinDatasetNode(template.dataset);
const spec = compileGraph(createTemplateDocument(ID)).spec!;
// Chain: input n1, dense n2, sigmoid n3, dense n4, softmax n5, loss n6.
const [firstDense, , secondDense] = spec.layers.map((l) => l.id);

function trained(steps: number, l2 = 0) {
  const training = buildTraining(spec, dataset, { ...template.training, l2 });
  for (let k = 0; k < steps; k++) training.trainer.step();
  return training;
}

function expectSameTerms(actual: LayerTerms, expected: LayerTerms) {
  expect(actual.terms.map((t) => t.name)).toEqual(expected.terms.map((t) => t.name));
  for (const [i, t] of expected.terms.entries()) {
    const a = actual.terms[i];
    expect([a.rows, a.cols, a.shownRows, a.shownCols]).toEqual([
      t.rows,
      t.cols,
      t.shownRows,
      t.shownCols,
    ]);
    expect(Array.from(a.values), t.name).toEqual(Array.from(t.values));
  }
}

describe('backpropTermsResponse', () => {
  it('gives the terms of backpropTerms on the last mini-batch at the current weights', () => {
    const training = trained(3, 0.01);
    const batch = training.trainer.lastBatch()!;
    expect(batch.X.rows).toBe(template.training.batchSize);
    const regularization = { l1: 0, l2: 0.01 };
    for (const layerId of [firstDense, 'n3', secondDense, spec.loss.id]) {
      const { result } = backpropTermsResponse(training, null, { layerId });
      // An independent copy of the weights, the engine called directly.
      const copy = networkWithMistake(training.trainer.network, null);
      expectSameTerms(
        result.layer,
        backpropTerms(copy, batch.X, batch.Y, layerId, { regularization }),
      );
      expect(result.update).toBe(3);
      expect(result.batchRows).toBe(batch.X.rows);
      expect(result.firstDifference).toBeNull();
    }
  });

  it('uses the first batchSize training rows before any step', () => {
    const training = trained(0);
    const { result } = backpropTermsResponse(training, null, { layerId: firstDense });
    const A = result.layer.terms.find((t) => t.name === 'A_in')!;
    expect(A.rows).toBe(template.training.batchSize);
    const x = featureMatrix(training.prepared.xTrain);
    expect(Array.from(A.values)).toEqual(Array.from(x.data.subarray(0, A.rows * x.cols)));
    expect(result.update).toBe(0);
  });

  it('transfers one buffer per term, each the size of the shown block', () => {
    const training = trained(1);
    const { result, transfer } = backpropTermsResponse(training, null, {
      layerId: firstDense,
      maxRows: 3,
      maxCols: 2,
    });
    expect(transfer).toHaveLength(result.layer.terms.length);
    for (const [i, t] of result.layer.terms.entries()) {
      expect(t.shownRows).toBe(Math.min(3, t.rows));
      expect(t.shownCols).toBe(Math.min(2, t.cols));
      expect(transfer[i]).toBe(t.values.buffer);
      expect(transfer[i].byteLength).toBe(t.shownRows * t.shownCols * 8);
    }
    // The full shape is still told: A_in is 8 × 4 though 3 × 2 of it crosses.
    const A = result.layer.terms.find((t) => t.name === 'A_in')!;
    expect([A.rows, A.cols]).toEqual([8, 4]);
  });

  it("leaves the trained network's gradients and weights as the last step left them", () => {
    const training = trained(2);
    const net = training.trainer.network;
    const grads = net.gradientArrays.map((a) => a.slice());
    const weights = net.parameterArrays.map((a) => a.slice());
    backpropTermsResponse(training, 'sum-instead-of-mean', { layerId: firstDense });
    net.gradientArrays.forEach((a, k) => expect(Array.from(a)).toEqual(Array.from(grads[k])));
    net.parameterArrays.forEach((a, k) => expect(Array.from(a)).toEqual(Array.from(weights[k])));
  });

  it('refuses a node without terms, and a block size out of range, in plain words', () => {
    const training = trained(1);
    expect(() => backpropTermsResponse(training, null, { layerId: 'n1' })).toThrow(/Input/);
    expect(() => backpropTermsResponse(training, null, { layerId: 'nope' })).toThrow(/no node/);
    expect(() =>
      backpropTermsResponse(training, null, { layerId: firstDense, maxRows: 0 }),
    ).toThrow(/rows shown/);
  });
});

describe('a common mistake', () => {
  it('sum instead of mean: the loss gradient differs first; in the first Dense, dC/dA_out', () => {
    const training = trained(1);
    const { result } = backpropTermsResponse(training, 'sum-instead-of-mean', {
      layerId: firstDense,
    });
    expect(result.mistake).toBe('sum-instead-of-mean');
    expect(result.firstDifferenceInNetwork).toMatchObject({ layerId: spec.loss.id, term: 'fused' });
    const first = result.firstDifference!;
    expect(first).toMatchObject({ layerId: firstDense, term: 'dC/dA_out', row: 0, col: 0 });
    // B times too large (B = 8), measured against the correct pass.
    expect(first.buggy / first.correct).toBeCloseTo(8, 10);
    // The shown terms are the mistaken ones: dC/dW is B times the correct one.
    const batch = currentBatch(training);
    const correct = backpropTerms(
      networkWithMistake(training.trainer.network, null),
      batch.X,
      batch.Y,
      firstDense,
    ).terms.find((t) => t.name === 'dC/dW')!;
    const shown = result.layer.terms.find((t) => t.name === 'dC/dW')!;
    shown.values.forEach((v, i) => expect(v).toBeCloseTo(8 * correct.values[i], 12));
  });

  it('makes Check gradients fail, while the correct maths passes', () => {
    const training = trained(1);
    expect(gradientCheckReport(training).maxRelativeError).toBeLessThan(GRADIENT_CHECK_TOLERANCE);
    for (const mistake of ['sum-instead-of-mean', 'derivative-at-a', 'softmax-wrong-axis'] as const)
      expect(mistakeGradientCheck(training, mistake).maxRelativeError, mistake).toBeGreaterThan(
        1e-3,
      );
  });
});

describe('batchExport', () => {
  it('writes the batch rows in raw units with their class names', () => {
    const training = trained(2);
    const { X, Y } = currentBatch(training);
    const out = batchExport(training);
    const lines = out.csv.trimEnd().split('\n');
    expect(lines[0]).toBe([...training.prepared.features, training.prepared.target].join(','));
    expect(lines).toHaveLength(X.rows + 1);
    const s = training.prepared.standardize!;
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',');
      const features = cells.slice(0, -1).map(Number);
      // Standardized again as the CLI will, the row is the batch's row.
      features.forEach((v, j) =>
        expect((v - s.mean[j]) / s.std[j]).toBeCloseTo(X.data[i * X.cols + j], 12),
      );
      const k = training.prepared.classes.indexOf(cells.at(-1)!);
      expect(Y.data[i * Y.cols + k]).toBe(1);
    });
    expect(out.rows).toBe(X.rows);
    expect(out.update).toBe(2);
  });
});

describe('TrainingService', () => {
  it('answers backpropTerms for the current batch, and setMistake changes Check gradients', () => {
    const service = new TrainingService({ schedule: () => undefined });
    service.load({ spec, dataset, settings: template.training });
    service.step();
    const { layer } = service.backpropTerms({ layerId: firstDense });
    expect(layer.kind).toBe('dense');
    expect(service.checkGradients().maxRelativeError).toBeLessThan(GRADIENT_CHECK_TOLERANCE);
    service.setMistake('sum-instead-of-mean');
    expect(service.checkGradients().maxRelativeError).toBeGreaterThan(1e-3);
    expect(service.backpropTerms({ layerId: firstDense }).firstDifference?.term).toBe('dC/dA_out');
    expect(() => service.setMistake('nonsense' as never)).toThrow(/not one of/);
    service.setMistake(null);
    expect(service.checkGradients().maxRelativeError).toBeLessThan(GRADIENT_CHECK_TOLERANCE);
  });
});

describe('the scaler fitted before the split', () => {
  /** Column means of the raw dataset over ALL rows, computed here. */
  function meansOfAllRows(): number[] {
    const { rows, cols, data } = featureMatrix(dataset.X);
    return Array.from({ length: cols }, (_, j) => {
      let sum = 0;
      for (let i = 0; i < rows; i++) sum += data[i * cols + j];
      return sum / rows;
    });
  }

  it('re-prepares the data with the mean of every row, passes Check gradients, and undoes', () => {
    const service = new TrainingService({ schedule: () => undefined });
    const loaded = service.load({ spec, dataset, settings: template.training });
    const trainOnly = loaded.standardization!.mean;
    const all = meansOfAllRows();
    // The right fit (training rows only) is not the mean of all rows.
    expect(trainOnly.some((m, j) => Math.abs(m - all[j]) > 1e-6)).toBe(true);

    service.step();
    service.setMistake('scaler-before-split');
    const wrong = service.getDataInfo().standardization!.mean;
    wrong.forEach((m, j) => expect(m).toBeCloseTo(all[j], 12));
    // Training starts over on the new scaling; the maths is right, so the check passes.
    expect(service.getModelState().step).toBe(0);
    service.step();
    expect(service.checkGradients().maxRelativeError).toBeLessThan(GRADIENT_CHECK_TOLERANCE);
    expect(service.backpropTerms({ layerId: firstDense })).toMatchObject({
      mistake: 'scaler-before-split',
      firstDifference: null,
    });
    // A new split (test fraction) keeps the mistake; turning it off restores the right fit.
    service.configure({ ...template.training, testFraction: 0.3 });
    service
      .getDataInfo()
      .standardization!.mean.forEach((m, j) => expect(m).toBeCloseTo(all[j], 12));
    service.configure(template.training);
    service.setMistake(null);
    expect(service.getDataInfo().standardization!.mean).toEqual(trainOnly);
  });
});
