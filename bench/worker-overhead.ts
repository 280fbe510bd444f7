/**
 * `npx tsx bench/worker-overhead.ts [steps] [float64|float32] [wall|cpu]`: what the worker layer
 * costs on top of the engine, in Node: the Fashion-MNIST MLP stepped by a bare Trainer loop, then
 * run by the TrainingService (the worker's logic: run loop, per-step records, events with their
 * statistics, posted to a subscriber) on a MessageChannel scheduler as in the worker. Rounds are
 * interleaved; prints ms per step of each and the ratio, with the load average. `cpu` times both
 * in this process's CPU time (process.cpuUsage): on a shared machine the service's yields to the
 * message loop otherwise also count the waits for a core.
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
import { TrainingService } from '../src/lib/worker/training-service';
import { messageChannelScheduler } from '../src/lib/worker/scheduler';

const steps = Number(process.argv[2] ?? 200);
const precision = (process.argv[3] ?? 'float64') as Precision;
const cpuClock = process.argv[4] === 'cpu';
/** Milliseconds by the chosen clock. */
function clock(): number {
  if (!cpuClock) return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const template = templateById('fashion_mnist');
if (!template) throw new Error('no fashion_mnist template');
const dataset = await loadBuiltinDatasetNode('fashion_mnist');
const { spec } = compileGraph(createTemplateDocument('fashion_mnist'), {
  inputSize: dataset.features.length,
  task: dataset.task,
  classCount: dataset.classes.length,
});
if (!spec) throw new Error('the template does not compile');
const settings = { ...template.training, epochs: 50, precision };
const prepared = prepareData(
  dataset,
  { testFraction: settings.testFraction, seed: settings.seed, standardize: settings.standardize },
  spec.loss.type,
);

function bare(): number {
  const trainer = new Trainer({ spec: spec!, data: prepared, settings });
  trainer.step();
  const t0 = clock();
  for (let i = 0; i < steps; i++) trainer.step();
  return (clock() - t0) / steps;
}

async function service(): Promise<{ ms: number; events: number }> {
  const s = new TrainingService({ schedule: messageChannelScheduler() });
  s.load({ spec: spec!, dataset, settings });
  s.step();
  let events = 0;
  let done = false;
  const first = s.current!.trainer.totalSteps;
  return new Promise((resolve) => {
    const t0 = clock();
    s.subscribe(() => {
      events++;
      if (!done && s.current!.trainer.totalSteps - first >= steps) {
        done = true;
        const taken = s.current!.trainer.totalSteps - first;
        const ms = (clock() - t0) / taken;
        s.pause(); // emits once more: `done` keeps this listener from pausing again
        resolve({ ms, events });
      }
    });
    s.start();
  });
}

for (let round = 1; round <= 2; round++) {
  const b = bare();
  const w = await service();
  console.log(
    `round ${round} ${precision}${cpuClock ? ' (CPU time)' : ''}: bare ${b.toFixed(1)} ms/step, service ${w.ms.toFixed(1)} ms/step ` +
      `(${w.events} events), ratio ${(w.ms / b).toFixed(2)}, load ${loadavg()[0].toFixed(1)}`,
  );
}
process.exit(0);
