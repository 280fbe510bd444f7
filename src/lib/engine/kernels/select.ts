/**
 * Which kernel a network uses when none is named: the fastest that runs here. WebAssembly SIMD
 * (wasm.ts) where it can be instantiated, else the register-blocked JavaScript kernel (blocked.ts).
 * All of them give bit-identical results, so the choice changes speed only.
 */
import { blockedKernel } from './blocked';
import type { MatmulKernel } from './kernel';
import { wasmSimdKernel } from './wasm';

export const defaultKernel: MatmulKernel = wasmSimdKernel ?? blockedKernel;
