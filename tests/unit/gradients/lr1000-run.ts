/**
 * A real run of the iris template with SGD at learning rate 1000 (issue 9's blow-up), turned into
 * what the gradients panel reads: the latest StepStats, the per-update norm columns, the losses.
 * Computed the way the worker's session does (worker/stats.ts), so the diagnoses see real numbers.
 */
import { prepareData } from '../../../src/lib/data/index';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { forward } from '../../../src/lib/engine/network';
import { DEFAULT_TRAINING } from '../../../src/lib/engine/settings';
import { Trainer } from '../../../src/lib/engine/trainer';
import { compileGraph } from '../../../src/lib/graph/compile';
import { createTemplateDocument } from '../../../src/lib/graph/templates';
import type { DiagnosisInput } from '../../../src/lib/gradients/diagnostics';
import type { ActivationLayerStats, NormColumn, StepStats } from '../../../src/lib/gradients/types';
import { activationLayerStats, denseLayerStats } from '../../../src/lib/worker/stats';
import type { LayerSpec } from '../../../src/lib/engine/spec';

export interface BlowUpRun {
  input: DiagnosisInput;
  spec: LayerSpec;
  losses: number[];
}

export async function irisAtLearningRate(learningRate: number, epochs: number): Promise<BlowUpRun> {
  const dataset = await loadBuiltinDatasetNode('iris');
  const { spec } = compileGraph(createTemplateDocument('iris'), {
    inputSize: dataset.features.length,
    task: dataset.task,
    classCount: dataset.classes.length,
  });
  if (!spec) throw new Error('the iris template does not compile');
  const settings = {
    ...DEFAULT_TRAINING,
    optimizer: { name: 'sgd' as const, learningRate },
    epochs,
    seed: 1,
  };
  const data = prepareData(
    dataset,
    { testFraction: 0.2, seed: 1, standardize: true },
    spec.loss.type,
  );
  const trainer = new Trainer({ spec, data, settings, trackUpdates: true });
  const recent: NormColumn[] = [];
  let latest: StepStats | null = null;
  while (trainer.epoch < epochs && trainer.status === 'ready') {
    const report = trainer.step();
    const batch = trainer.lastBatch();
    if (!batch || report.divergence) break;
    const net = trainer.network;
    const updates = trainer.lastUpdates();
    const grads = trainer.lastGradients();
    const dense = net.params.map((p, k) =>
      denseLayerStats(
        grads[k],
        p,
        updates.find((u) => u.id === p.id),
      ),
    );
    const cache = forward(net, batch.X);
    const activations: ActivationLayerStats[] = [];
    net.spec.layers.forEach((s, i) => {
      if (s.type === 'activation')
        activations.push(activationLayerStats(s, cache.layers[i].input, cache.layers[i].output));
    });
    latest = { update: trainer.totalSteps, dense, activations };
    recent.push({
      update: trainer.totalSteps,
      epoch: trainer.epoch + (report.epochEnded ? 0 : 1),
      norms: dense.map((d) => d.gradWNorm),
    });
  }
  return {
    spec,
    losses: [...trainer.history.trainLoss],
    input: {
      latest,
      layerIds: spec.layers.filter((l) => l.type === 'dense').map((l) => l.id),
      recent: recent.slice(-50),
    },
  };
}
