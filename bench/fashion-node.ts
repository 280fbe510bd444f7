/**
 * `npm run bench:fashion -- --node`: the Fashion-MNIST MLP template trained by the engine in Node
 * (the Trainer the worker runs, with the data prepared as the worker prepares it: pixels kept as
 * bytes), for when a browser run would take too long on a busy machine. Prints test accuracy and
 * seconds per epoch.
 */
// First, before anything reaches the engine: relaxed SIMD on in Node 20 (see the module).
import '../src/cli/relaxed-simd';
import { loadavg } from 'node:os';
import { loadBuiltinDatasetNode } from '../src/lib/data/load-node';
import { prepareData } from '../src/lib/data/prepare';
import type { Precision } from '../src/lib/engine/settings';
import { Trainer } from '../src/lib/engine/trainer';
import { compileGraph } from '../src/lib/graph/compile';
import { createTemplateDocument, templateById } from '../src/lib/graph/templates';

export interface NodeEpoch {
  epoch: number;
  seconds: number;
  testAccuracy: number;
  trainLoss: number;
}

export async function trainInNode(precision: Precision, epochs: number): Promise<NodeEpoch[]> {
  const template = templateById('fashion_mnist');
  if (!template) throw new Error('no fashion_mnist template');
  const dataset = await loadBuiltinDatasetNode('fashion_mnist');
  const { spec } = compileGraph(createTemplateDocument('fashion_mnist'), {
    inputSize: dataset.features.length,
    task: dataset.task,
    classCount: dataset.classes.length,
  });
  if (!spec) throw new Error('the template does not compile');
  const settings = { ...template.training, epochs, precision };
  const data = prepareData(
    dataset,
    { testFraction: settings.testFraction, seed: settings.seed, standardize: settings.standardize },
    spec.loss.type,
  );
  const trainer = new Trainer({ spec, data, settings });
  const rows: NodeEpoch[] = [];
  while (trainer.epoch < epochs) {
    const start = performance.now();
    const report = trainer.runEpoch();
    if (report.divergence) throw new Error('diverged');
    const metrics = report.metrics!;
    rows.push({
      epoch: trainer.epoch,
      seconds: (performance.now() - start) / 1000,
      testAccuracy: (metrics.testAccuracy ?? NaN) * 100,
      trainLoss: metrics.trainLoss,
    });
    process.stderr.write(
      `  node ${precision} epoch ${trainer.epoch}: test accuracy ${rows.at(-1)!.testAccuracy.toFixed(1)}%, ${rows.at(-1)!.seconds.toFixed(1)} s, load ${loadavg()[0].toFixed(1)}\n`,
    );
  }
  return rows;
}
