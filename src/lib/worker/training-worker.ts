/**
 * The worker entry: one training session exposed with comlink. Vite bundles this file as a
 * module worker (vite.config.ts `worker: { format: 'es' }`); client.ts creates it.
 */
import * as Comlink from 'comlink';
import { TrainingSessionWorker } from './session';
import { messageChannelScheduler } from './scheduler';

Comlink.expose(new TrainingSessionWorker({ schedule: messageChannelScheduler() }));
