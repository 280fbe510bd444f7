/**
 * Float32 training, the least invasive way: the kernel a trainer's network holds switches to the
 * float32 WebAssembly kernel (wasm.ts) for the forward and backward pass of a training step only.
 *
 * Why this design: the matrix products are where the time goes (the tile loop alone is ~45% of a
 * step on 784-256-128-10), and f32x4 does twice the arithmetic of f64x2 per instruction. Every
 * other array (weights, activations, gradients, optimizer state) stays a Float64Array, so no
 * matrix, layer, optimizer, checkpoint or export needs a float32 twin, and the weights are
 * updated in float64 from float32-accurate gradients (the usual mixed-precision arrangement).
 * Outside a step — evaluation, predictions, gradient checks, `grad`, exports — the network
 * computes in float64 exactly as before, bit for bit. Where WebAssembly SIMD cannot run there is
 * no float32 kernel and 'float32' trains in float64 (slower, never wrong).
 */
import type { Matrix } from '../matrix';
import type { Precision } from '../settings';
import type { MatmulKernel } from './kernel';
import { wasmFloat32Kernel } from './wasm';

export class StepPrecisionKernel implements MatmulKernel {
  /** The float64 kernel (used except during a float32 step). */
  readonly exact: MatmulKernel;
  /** The float32 kernel, or null where there is none (then float32 means exact). */
  readonly fast: MatmulKernel | null;
  #current: MatmulKernel;

  constructor(exact: MatmulKernel, fast: MatmulKernel | null = wasmFloat32Kernel) {
    this.exact = exact;
    this.fast = fast;
    this.#current = exact;
  }

  /** The precision products are computed in now. */
  get precision(): Precision {
    return this.#current === this.exact ? 'float64' : 'float32';
  }

  /** Run `work` with products in `precision`, then back to float64 (even if `work` throws). */
  within<T>(precision: Precision, work: () => T): T {
    if (precision === 'float64' || this.fast === null) return work();
    this.#current = this.fast;
    try {
      return work();
    } finally {
      this.#current = this.exact;
    }
  }

  matmul(A: Matrix, B: Matrix, out: Matrix): void {
    this.#current.matmul(A, B, out);
  }
  matmulTransA(A: Matrix, B: Matrix, out: Matrix): void {
    this.#current.matmulTransA(A, B, out);
  }
  matmulTransB(A: Matrix, B: Matrix, out: Matrix): void {
    this.#current.matmulTransB(A, B, out);
  }
}
