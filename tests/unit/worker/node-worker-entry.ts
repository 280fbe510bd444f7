/** The training session exposed with comlink from a worker_threads worker (see comlink.test.ts). */
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/umd/node-adapter';
import { TrainingService } from '../../../src/lib/worker/training-service';

if (!parentPort) throw new Error('Run this file as a worker thread.');
Comlink.expose(new TrainingService(), nodeEndpoint(parentPort));
