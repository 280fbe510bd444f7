/**
 * The entry point to the matrix products: the kernel contract and the kernels that implement it
 * (all in kernels/). A network holds the kernel it uses (createNetwork's `kernel` option), so
 * benchmarks and tests choose one per network instead of switching a global.
 */
export { referenceKernel, type MatmulKernel } from './kernels/kernel';
export { blockedKernel } from './kernels/blocked';
export { wasmFloat32Kernel, wasmSimdKernel } from './kernels/wasm';
export { float32TilesFused } from './kernels/wasm-arena';
export { StepPrecisionKernel } from './kernels/step-precision';
export { defaultKernel } from './kernels/select';
