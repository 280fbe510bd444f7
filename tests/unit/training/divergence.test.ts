/**
 * Divergence end to end (DESIGN §2), on the templates' own networks and built-in data, through
 * the path the app and the command line take: template -> compile -> prepareData -> Trainer.
 */
import { describe, expect, it } from 'vitest';
import { prepareData } from '../../../src/lib/data/index';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { divergenceMessage } from '../../../src/lib/engine/divergence';
import type { TrainingSettings } from '../../../src/lib/engine/settings';
import { Trainer } from '../../../src/lib/engine/trainer';
import { compileGraph } from '../../../src/lib/graph/compile';
import {
  createTemplateDocument,
  templateById,
  type TemplateId,
} from '../../../src/lib/graph/templates';

async function templateTrainer(
  id: TemplateId,
  change: (settings: TrainingSettings) => TrainingSettings,
): Promise<Trainer> {
  const template = templateById(id)!;
  const dataset = await loadBuiltinDatasetNode(template.dataset);
  const { spec, errors } = compileGraph(createTemplateDocument(id), {
    inputSize: dataset.features.length,
    task: dataset.task,
    classCount: dataset.task === 'classification' ? dataset.classes.length : undefined,
    datasetLabel: dataset.name,
  });
  expect(errors).toEqual([]);
  const settings = change(template.training);
  const data = prepareData(
    dataset,
    { testFraction: settings.testFraction, seed: settings.seed, standardize: settings.standardize },
    spec!.loss.type,
  );
  return new Trainer({ spec: spec!, data, settings });
}

const sgd = (learningRate: number) => ({ name: 'sgd' as const, learningRate });

describe('divergence', () => {
  it('iris with SGD at learning rate 1000 stops within a few epochs: the loss grew past 10 × its start', async () => {
    const trainer = await templateTrainer('iris', (s) => ({ ...s, optimizer: sgd(1000) }));
    const fresh = await templateTrainer('iris', (s) => ({ ...s, optimizer: sgd(1000) }));
    const start = fresh.getWeights();
    const baseline = fresh.evaluate().trainLoss;
    let report = trainer.runEpoch();
    for (let e = 1; e < 5 && !report.divergence; e++) report = trainer.runEpoch();
    expect(trainer.status).toBe('diverged');
    const d = report.divergence!;
    expect(d.cause).toBe('loss-grew');
    expect(d.epoch).toBeLessThanOrEqual(5);
    expect(d.baseline).toBe(baseline);
    expect(d.loss).toBeGreaterThan(10 * baseline);
    expect(trainer.divergence).toEqual(d);
    // The history up to the divergence stays; the weights are the lowest-loss epoch's, or the
    // starting ones when no epoch was recorded.
    expect(trainer.history.epoch).toHaveLength(d.epoch - 1);
    if (d.restoredEpoch === 0) expect(trainer.getWeights()).toEqual(start);
    else expect(d.restoredLoss).toBe(Math.min(...trainer.history.trainLoss));
    expect(trainer.evaluate().trainLoss).toBe(d.restoredLoss);
    expect(divergenceMessage(d)).toMatch(
      /^Training diverged at epoch \d: the training loss grew to [\d.e]+, over 10 × its starting value 1\.\d+\. The (starting weights \(training loss|weights of epoch \d \(the lowest training loss,) [\d.]+\) were restored\. Try a lower learning rate\.$/,
    );
  });

  it('Runge at learning rate 1e6 after 20 good epochs restores the best epoch, not the last finite weights', async () => {
    const trainer = await templateTrainer('runge', (s) => s);
    for (let e = 0; e < 20; e++) expect(trainer.runEpoch().divergence).toBeUndefined();
    const good = [...trainer.history.trainLoss];
    trainer.configure({ ...trainer.settings, optimizer: sgd(1e6) });
    let report = trainer.runEpoch();
    for (let e = 0; e < 20 && !report.divergence; e++) report = trainer.runEpoch();
    expect(trainer.status).toBe('diverged');
    const d = report.divergence!;
    expect(d.epoch).toBe(trainer.history.epoch.length + 1);
    expect(trainer.history.trainLoss.slice(0, 20)).toEqual(good);
    expect(trainer.history.trainLoss.every(Number.isFinite)).toBe(true);
    const lowest = Math.min(...trainer.history.trainLoss);
    expect(d.restoredEpoch).toBe(trainer.history.trainLoss.indexOf(lowest) + 1);
    expect(d.restoredLoss).toBe(lowest);
    // Evaluated again, independently of what the trainer reported.
    expect(trainer.evaluate().trainLoss).toBe(lowest);
    const sumAbs = Object.values(trainer.getWeights())
      .flatMap((w) => w.W.flat().concat(w.b))
      .reduce((sum, v) => sum + Math.abs(v), 0);
    expect(sumAbs).toBeLessThan(1e4);
    expect(divergenceMessage(d)).toContain(
      `The weights of epoch ${d.restoredEpoch} (the lowest training loss, `,
    );
    // A sane learning rate carries on from there.
    trainer.configure({ ...trainer.settings, optimizer: { name: 'adam', learningRate: 0.001 } });
    expect(trainer.status).toBe('ready');
    expect(trainer.runEpoch().divergence).toBeUndefined();
    expect(trainer.history.epoch.at(-1)).toBe(d.epoch);
  });
});
