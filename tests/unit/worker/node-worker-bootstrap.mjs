// Registers tsx in this worker thread, then runs the TypeScript entry (node-worker-entry.ts).
import { register } from 'tsx/esm/api';

register();
await import('./node-worker-entry.ts');
