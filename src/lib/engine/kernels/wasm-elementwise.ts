/**
 * ReLU's forward and backward maps on the module's f64x2 lanes (wasm-vector-ops.ts), for the
 * arrays of activations.ts. Why: the JavaScript loops branch on the sign of every entry, and on
 * a trained network's pre-activations that branch is a coin toss the CPU mispredicts half the
 * time; the module's pmax / compare-and-mask have no branch. The arrays live in JavaScript, so
 * each call copies them into this module's memory and the result back (memcpy-fast): same bits.
 */
import { instantiateKernels } from './wasm-arena';

const PAGE_BYTES = 65536;
const kernels = instantiateKernels();
let heap = kernels ? new Float64Array(kernels.memory.buffer) : new Float64Array(0);

/** The heap, grown to hold `numbers` float64s. */
function reserve(numbers: number): Float64Array {
  const memory = kernels!.memory;
  if (numbers * 8 > memory.buffer.byteLength) {
    memory.grow(Math.ceil((numbers * 8 - memory.buffer.byteLength) / PAGE_BYTES));
    heap = new Float64Array(memory.buffer);
  }
  return heap;
}

const head = (a: Float64Array, n: number) => (a.length === n ? a : a.subarray(0, n));

/** Whether the module can run these maps here. */
export const reluInModule = kernels !== null;

/** a = z > 0 ? z : 0 over the first n entries (n >= 1; reluInModule must be true). */
export function reluForwardInModule(z: Float64Array, a: Float64Array, n: number): void {
  const h = reserve(n);
  h.set(head(z, n), 0);
  kernels!.reluForward(0, 0, n >> 1);
  if (n & 1) h[n - 1] = z[n - 1] > 0 ? z[n - 1] : 0;
  a.set(h.subarray(0, n));
}

/** dz = z > 0 ? dA : 0 over the first n entries (dz may be dA; reluInModule must be true). */
export function reluBackwardInModule(
  z: Float64Array,
  dA: Float64Array,
  dz: Float64Array,
  n: number,
): void {
  const h = reserve(2 * n + 1);
  // z at [0, n), dA at [n', n' + n) with n' even (16-byte aligned pairs); dZ written over dA
  const at = n + (n & 1);
  h.set(head(z, n), 0);
  h.set(head(dA, n), at);
  kernels!.reluBackward(0, at * 8, at * 8, n >> 1);
  if (n & 1) h[at + n - 1] = z[n - 1] > 0 ? dA[n - 1] : 0;
  dz.set(h.subarray(at, at + n));
}
