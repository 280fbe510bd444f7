/** The engine's public API: everything the worker, the command line and the benchmark call. */
export * from './spec';
export * from './settings';
export * from './matrix';
export * from './types';
export * from './rng';
export {
  matmul,
  matmulTransA,
  matmulTransB,
  setMatmulKernel,
  getMatmulKernel,
  referenceKernel,
  defaultKernel,
} from './matmul';
export { blockedKernel } from './matmul-blocked';
export { wasmSimdKernel } from './matmul-wasm';
export type { MatmulKernel } from './matmul';
export * from './activations';
export * from './losses';
export * from './dense';
export * from './initializers';
export * from './regularization';
export * from './layer';
export * from './dropout';
export * from './merge';
export * from './network';
export * from './optimizers/index';
export * from './metrics';
export * from './gradient-check';
export * from './trainer';
