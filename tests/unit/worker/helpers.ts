/** Builders shared by the worker tests. */
import * as Comlink from 'comlink';
import { cloneMatrix, fromRows } from '../../../src/lib/engine/matrix';
import { DEFAULT_TRAINING, type TrainingSettings } from '../../../src/lib/engine/settings';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import type { Dataset } from '../../../src/lib/data/types';
import type { HistoryDelta, TrainingEvent } from '../../../src/lib/worker/api';
import type { History } from '../../../src/lib/engine/types';
import { HistoryBuffer } from '../../../src/lib/state/history-buffer';
import { addDeltas, joinedDeltas } from '../../../src/lib/state/event-batch';
import {
  TrainingService,
  type TrainingServiceOptions,
} from '../../../src/lib/worker/training-service';
import { DataService } from '../../../src/lib/worker/data-service';
import { featureMatrix } from '../../../src/lib/engine/feature-rows';

/** The seed's iris network: 4 -> Dense 5 -> sigmoid -> Dense 3 -> softmax -> cross-entropy. */
export const IRIS_SPEC: LayerSpec = {
  input: { id: 'n1', size: 4 },
  layers: [
    { id: 'n2', type: 'dense', inputs: ['n1'], inputSize: 4, units: 5, init: 'auto' },
    { id: 'n3', type: 'activation', inputs: ['n2'], fn: 'sigmoid', size: 5 },
    { id: 'n4', type: 'dense', inputs: ['n3'], inputSize: 5, units: 3, init: 'auto' },
    { id: 'n5', type: 'activation', inputs: ['n4'], fn: 'softmax', size: 3 },
  ],
  loss: { id: 'n6', type: 'cross_entropy', inputs: ['n5'] },
};

export const IRIS_SETTINGS: TrainingSettings = DEFAULT_TRAINING;

export function settings(partial: Partial<TrainingSettings> = {}): TrainingSettings {
  return { ...DEFAULT_TRAINING, ...partial };
}

/** A copy of a dataset (load() transfers, and in tests consumes nothing, but keep them apart). */
export function copyDataset(d: Dataset): Dataset {
  return {
    ...d,
    X: cloneMatrix(featureMatrix(d.X)),
    y: d.y.slice(),
  };
}

/** A regression dataset from rows of features and targets. */
export function regressionDataset(rows: number[][], y: number[]): Dataset {
  return {
    name: 'hand',
    features: rows[0].map((_, j) => `x${j + 1}`),
    target: 'y',
    task: 'regression',
    classes: [],
    X: fromRows(rows),
    y: Float64Array.from(y),
  };
}

/** A session whose scheduler is setTimeout(0) and whose clock the test controls. */
export function sessionWithClock(options: TrainingServiceOptions & { tick?: number } = {}): {
  session: TrainingService;
  clock: { now: number };
} {
  const clock = { now: 0 };
  const tick = options.tick ?? 0;
  const session = new TrainingService({
    ...options,
    // Every reading of the clock advances it: a deterministic stand-in for time passing.
    now: () => (clock.now += tick),
  });
  return { session, clock };
}

/** Resolve with the events up to and including the first one whose status is not 'running'. */
export function untilStopped(session: TrainingService): Promise<TrainingEvent[]> {
  return new Promise((resolve) => {
    const events: TrainingEvent[] = [];
    const id = session.subscribe((event) => {
      events.push(event);
      if (event.status !== 'running') {
        session.unsubscribe(id);
        resolve(events);
      }
    });
  });
}

/**
 * The history the page holds after these events' deltas, merged by the page's own code
 * (event-batch.ts into a HistoryBuffer); null when they leave a gap.
 */
export function pageHistory(deltas: readonly HistoryDelta[]): History | null {
  const buffer = new HistoryBuffer();
  const events = deltas.map((history) => ({ history }) as TrainingEvent);
  return addDeltas(buffer, joinedDeltas(events)) ? null : buffer.view();
}

export function allNumbers(weights: Record<string, { W: number[][]; b: number[] }>): number[] {
  return Object.keys(weights)
    .sort()
    .flatMap((id) => [...weights[id].W.flat(), ...weights[id].b]);
}

/**
 * A session behind comlink on an in-process MessageChannel, shaped like a Worker for
 * createWorkerClient; `terminate` closes both ports.
 */
export function channelWorker(session: TrainingService = new DataService()) {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(session, port1);
  let terminated = false;
  const worker = Object.assign(port2, {
    terminate() {
      terminated = true;
      port1.close();
      port2.close();
    },
  });
  return { worker, session, isTerminated: () => terminated };
}
