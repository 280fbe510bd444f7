/**
 * Builds the app once and serves the static build (exactly what users get from `npm run build`)
 * on a free loopback port for the browser tests. Tests read the address with inject('baseURL').
 */
import type { TestProject } from 'vitest/node';
import { build, preview, type PreviewServer } from 'vite';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';

const root = fileURLToPath(new URL('../..', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
  }
}

let server: PreviewServer | undefined;

export default async function setup(project: TestProject) {
  // A build folder of its own per run, so runs side by side never serve each other's half-built files.
  const outDir = `node_modules/.browser-test-build/${process.pid}`;
  // Vitest sets NODE_ENV=test, which would make this a development build (Svelte's dev-mode
  // checks, several times slower): build exactly what `npm run build` ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report an address');
  project.provide('baseURL', url);
  return async () => {
    await server?.close();
    rmSync(`${root}/${outDir}`, { recursive: true, force: true });
  };
}
