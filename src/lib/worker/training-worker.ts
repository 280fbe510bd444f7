/**
 * The worker entry: one DataService (TrainingService plus the dataset store) exposed with comlink.
 * Vite bundles this file as a module worker (vite.config.ts `worker: { format: 'es' }`); client.ts
 * creates it.
 */
import * as Comlink from 'comlink';
import { DataService } from './data-service';
import { progressPoster } from './progress';
import { messageChannelScheduler } from './scheduler';

Comlink.expose(
  new DataService({
    schedule: messageChannelScheduler(),
    // Posted at once, even in the middle of a long build: the page counts it as a sign of life.
    progress: progressPoster((message) => self.postMessage(message)),
  }),
);
