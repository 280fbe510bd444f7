/**
 * The Workbench with a real GraphState and a real TrainingService behind comlink on an
 * in-process channel: a template brings its dataset and settings; a change of the compiled
 * network (a Dense node's units) reaches the worker as an edit (respec) without any component;
 * moving a node sends nothing; a settings change reaches the worker and is kept for the next page load.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { GraphState } from '../../../src/lib/state/graph.svelte';
import { Workbench } from '../../../src/lib/state/workbench.svelte';
import { loadTrainingPrefs } from '../../../src/lib/state/training-prefs';
import { createWorkerClient } from '../../../src/lib/worker/client';
import { DataService } from '../../../src/lib/worker/data-service';
import type { DenseSpec } from '../../../src/lib/engine/spec';
import { channelWorker } from '../worker/helpers';
import { MemoryStorage } from './memory-storage';

let open: Workbench[] = [];
afterEach(() => {
  for (const w of open) w.dispose();
  open = [];
});

/** Wait for `condition`, letting the workbench follow meanwhile (what its effects do on a page). */
async function until(
  workbench: Workbench,
  condition: () => boolean,
  what: string,
  ms = 20_000,
): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    workbench.follow();
    if (condition()) return;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function workbenchOnChannel(storage = new MemoryStorage()) {
  const graph = new GraphState({ storage: null });
  let loads = 0;
  const workbench = new Workbench(graph, {
    storage,
    loadChoice: (choice) =>
      choice.source === 'builtin'
        ? loadBuiltinDatasetNode(choice.name)
        : Promise.reject(new Error('no uploads here')),
    createClient: () => {
      // The worker's side counts the loads it is asked for.
      const service = new DataService();
      const load = service.load.bind(service);
      service.load = (request) => (loads++, load(request));
      return createWorkerClient(channelWorker(service).worker, { intervalMs: 60_000 });
    },
  });
  open.push(workbench);
  return { graph, workbench, training: workbench.training, storage, loads: () => loads };
}

const dense = (spec: { layers: { id: string }[] } | null, id: string) =>
  spec?.layers.find((l) => l.id === id) as DenseSpec | undefined;

describe('Workbench', () => {
  it(
    'follows a template, and sends the compiled network to the worker when it really changes',
    { timeout: 60_000 },
    async () => {
      const { graph, workbench, training, loads } = workbenchOnChannel();
      graph.loadTemplate('xor');
      await until(
        workbench,
        () => training.loaded && workbench.dataset?.name === 'xor',
        'the XOR load',
      );
      // The template's adam, its parameters at their defaults (DESIGN §2).
      expect(training.settings.optimizer).toEqual({
        name: 'adam',
        learningRate: 0.03,
        beta1: 0.9,
        beta2: 0.999,
      });
      const model = (await training.exportModel())!;
      expect(model.settings.batchSize).toBe(16);
      expect(model.spec).toEqual(graph.compiled.spec);
      const loadsBefore = loads();

      // A Dense node's units: inspector → graph state → compile → workbench → worker.
      graph.updateParams('n2', { units: 7 });
      await until(
        workbench,
        () => dense(training.spec, 'n2')?.units === 7,
        'the new network in the worker',
      );
      const weights = (await training.exportModel())!.weights;
      expect(weights.n2.W[0]).toHaveLength(7);
      expect(weights.n4.W).toHaveLength(7);
      // An edit on the same data is not a new load: the worker keeps what it can (respec).
      expect(loads()).toBe(loadsBefore);

      // Moving a node changes the document, not the network: nothing is sent.
      graph.nodes = graph.nodes.map((n) =>
        n.id === 'n3' ? { ...n, position: { x: n.position.x + 40, y: n.position.y } } : n,
      );
      await new Promise((r) => setTimeout(r, 50));
      workbench.follow();
      await workbench.settled();
      expect(loads()).toBe(loadsBefore);
      expect(training.spec).toEqual(graph.compiled.spec);
    },
  );

  it(
    'a settings change reaches the worker and is kept for the next page load',
    { timeout: 60_000 },
    async () => {
      const { graph, workbench, training, storage } = workbenchOnChannel();
      graph.loadTemplate('iris');
      await until(workbench, () => training.loaded, 'the iris load');
      expect(await training.configure({ optimizer: { learningRate: 0.2 } })).toBe(true);
      expect((await training.exportModel())!.settings.optimizer.learningRate).toBe(0.2);
      workbench.follow();
      expect(loadTrainingPrefs(storage)?.settings.optimizer.learningRate).toBe(0.2);
      // A new page starts from what was kept.
      const next = workbenchOnChannel(storage);
      expect(next.training.settings.optimizer.learningRate).toBe(0.2);
      await until(workbench, () => next.workbench.dataset?.name === 'iris', 'the kept dataset');
    },
  );

  it(
    'a dataset that fails to load keeps the one in use and says why',
    { timeout: 60_000 },
    async () => {
      const { workbench } = workbenchOnChannel();
      await until(workbench, () => workbench.dataset?.name === 'iris', 'iris');
      await workbench.chooseDataset({
        source: 'upload',
        fileName: 'x.csv',
        file: new Blob(['']),
        options: { target: 'y' },
      });
      expect(workbench.dataset?.name).toBe('iris');
      expect(workbench.datasetError).toBe('Could not load x.csv: no uploads here');
      expect(workbench.datasetSummary).toBe(workbench.datasetError);
    },
  );
});
