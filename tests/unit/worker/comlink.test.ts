/**
 * The worker API through comlink, as the page uses it: over worker_threads with comlink's node
 * adapter (a real second thread: transfer, proxied callbacks, errors crossing), and the page's
 * client (heartbeat, crash report) over an in-process MessageChannel.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import type { TrainingEvent, TrainingWorkerApi } from '../../../src/lib/worker/api';
import { createWorkerClient, type WorkerFailure } from '../../../src/lib/worker/client';
import { progressPoster } from '../../../src/lib/worker/progress';
import { IRIS_SETTINGS, IRIS_SPEC, channelWorker, copyDataset } from './helpers';
import { featureMatrix } from '../../../src/lib/engine/feature-rows';

const iris = await loadBuiltinDatasetNode('iris');

describe('worker API over comlink and worker_threads', () => {
  // The bootstrap registers tsx in the thread, then loads node-worker-entry.ts.
  const thread = new Worker(new URL('./node-worker-bootstrap.mjs', import.meta.url));
  const api = Comlink.wrap<TrainingWorkerApi>(nodeEndpoint(thread));
  afterAll(() => thread.terminate());

  it(
    'transfers the dataset, streams events to a proxied callback, trains iris to >= 90%',
    { timeout: 60_000 },
    async () => {
      const dataset = copyDataset(iris);
      const result = await api.load(
        Comlink.transfer({ spec: IRIS_SPEC, dataset, settings: IRIS_SETTINGS }, [
          featureMatrix(dataset.X).data.buffer,
          dataset.y.buffer,
        ]),
      );
      // Transferred, not copied: the sender's buffers are detached.
      expect(featureMatrix(dataset.X).data.byteLength).toBe(0);
      expect(result.trainRows).toBe(120);
      const done = new Promise<TrainingEvent[]>((resolve) => {
        const events: TrainingEvent[] = [];
        void api.subscribe(
          Comlink.proxy((event: TrainingEvent) => {
            events.push(event);
            if (event.status === 'done') resolve(events);
          }),
        );
      });
      expect((await api.start()).status).toBe('running');
      // The worker answers between chunks while it trains.
      expect(await api.ping(7)).toBe(7);
      const events = await done;
      expect(events.length).toBeGreaterThan(1);
      expect(events.at(-1)!.metrics!.testAccuracy).toBeGreaterThanOrEqual(0.9);
      const grid = await api.decisionGrid(10);
      expect(grid).toBeNull();
      const state = await api.getModelState();
      expect(Object.keys(state.weights)).toEqual(['n2', 'n4']);
    },
  );

  it('rejects with the worker’s message and keeps the weights', async () => {
    const before = await api.getWeights();
    await expect(api.setWeights({ n2: before.n2 })).rejects.toThrow(
      /no entry for dense layer "n4"/,
    );
    expect(await api.getWeights()).toEqual(before);
  });
});

describe('worker client', () => {
  it('reports a crash once, from the worker’s error event', async () => {
    const { worker, isTerminated } = channelWorker();
    const client = createWorkerClient(worker, { intervalMs: 60_000 });
    const failures: WorkerFailure[] = [];
    client.onFailure((f) => failures.push(f));
    expect(await client.api.ping(3)).toBe(3);
    const error = Object.assign(new Event('error'), { message: 'boom' });
    worker.dispatchEvent(error);
    worker.dispatchEvent(new Event('messageerror'));
    expect(failures).toHaveLength(1);
    expect(failures[0].kind).toBe('crashed');
    expect(failures[0].message).toMatch(/crashed \(boom\).*Restart/);
    client.dispose();
    expect(isTerminated()).toBe(true);
  });

  it('reports a hang when a heartbeat ping is not answered in time, not before', async () => {
    // A port nobody answers on: every ping stays pending.
    const { port2 } = new MessageChannel();
    const silent = Object.assign(port2, { terminate: () => port2.close() });
    const clock = { now: 0 };
    const failures: WorkerFailure[] = [];
    const client = createWorkerClient(silent, {
      intervalMs: 5,
      timeoutMs: 1000,
      now: () => clock.now,
    });
    client.onFailure((f) => failures.push(f));
    await new Promise((r) => setTimeout(r, 30));
    expect(failures).toEqual([]);
    clock.now = 1500;
    await new Promise((r) => setTimeout(r, 30));
    expect(failures.map((f) => f.kind)).toEqual(['hung']);
    expect(failures[0].message).toMatch(/not answered for 2 s/);
    client.dispose();
  });

  it('a busy worker that posts progress is not declared hung; once silent, it is', async () => {
    // The worker's side of a channel that never answers pings (a long synchronous build) but
    // posts progress between its phases, as training-worker.ts does.
    const { port1: workerSide, port2 } = new MessageChannel();
    const busy = Object.assign(port2, { terminate: () => port2.close() });
    const say = progressPoster((message) => workerSide.postMessage(message));
    const clock = { now: 0 };
    const failures: WorkerFailure[] = [];
    const said: string[] = [];
    const client = createWorkerClient(busy, {
      intervalMs: 5,
      timeoutMs: 1000,
      now: () => clock.now,
    });
    client.onFailure((f) => failures.push(f));
    client.onProgress((text) => said.push(text));
    const wait = () => new Promise((r) => setTimeout(r, 30));
    await wait();
    // Eight phases 600 ms apart: 4.8 s without an answer to the ping, each phase a sign of life.
    for (let layer = 1; layer <= 8; layer++) {
      clock.now += 600;
      say(`Building the network: layer ${layer} of 8`);
      await wait();
      expect(failures, `after layer ${layer}`).toEqual([]);
    }
    expect(said).toHaveLength(8);
    expect(said.at(-1)).toBe('Building the network: layer 8 of 8');
    // Messages of another shape (comlink's own, anything else) are not progress.
    workerSide.postMessage({ type: 'other', text: 'x' });
    workerSide.postMessage('Building');
    await wait();
    expect(said).toHaveLength(8);
    // Then silence past the timeout: hung.
    clock.now += 1500;
    await wait();
    expect(failures.map((f) => f.kind)).toEqual(['hung']);
    client.dispose();
    workerSide.close();
  });

  it('a worker that answers its pings is never reported', async () => {
    const { worker } = channelWorker();
    const clock = { now: 0 };
    const client = createWorkerClient(worker, {
      intervalMs: 5,
      timeoutMs: 1000,
      now: () => clock.now,
    });
    const failures: WorkerFailure[] = [];
    client.onFailure((f) => failures.push(f));
    for (let i = 0; i < 5; i++) {
      clock.now += 600;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(failures).toEqual([]);
    client.dispose();
  });
});
