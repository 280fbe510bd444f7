/**
 * The worker entry: one TrainingService exposed with comlink. Vite bundles this file as a
 * module worker (vite.config.ts `worker: { format: 'es' }`); client.ts creates it.
 */
import * as Comlink from 'comlink';
import { TrainingService } from './training-service';
import { messageChannelScheduler } from './scheduler';

Comlink.expose(new TrainingService({ schedule: messageChannelScheduler() }));
