import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  // Relative base so the built site works from any folder or static host.
  base: './',
  // Files served as they are (built-in datasets, favicon) live in static/.
  publicDir: 'static',
  worker: { format: 'es' },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // Relaxed SIMD on in Node 20 before any test compiles the engine's kernels, so unit
          // tests run the fused float32 tiles the app, the CLI and the benchmarks run.
          setupFiles: ['src/cli/relaxed-simd.ts'],
          // Property tests and short training runs take seconds on a shared 2-core machine: a
          // timeout far from that noise, so CI never fails by chance (speed is benchmarked).
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/browser/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One Chromium at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
