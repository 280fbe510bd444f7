/**
 * Imported first by the Node entry points (the command line, the benchmarks, the unit tests'
 * setup) for its side effect: turns on WebAssembly relaxed SIMD where Node has it only behind a
 * V8 flag (Node 20), so float32 training uses the fused multiply-add tiles there as it does in
 * Chromium (kernels/wasm-module.ts). It must run before the engine compiles its kernel module,
 * hence a module of its own, imported before anything that reaches the engine. Runtimes that
 * already validate the fused module (Node 22+, browsers) are left alone.
 */
import { setFlagsFromString } from 'node:v8';

import { kernelModuleBytes } from '../lib/engine/kernels/wasm-module';

if (
  typeof WebAssembly === 'object' &&
  !WebAssembly.validate(kernelModuleBytes({ fusedFloat32: true }))
)
  setFlagsFromString('--experimental-wasm-relaxed-simd');
