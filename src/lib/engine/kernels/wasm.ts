/**
 * The matrix product on WebAssembly SIMD (two float64 lanes per instruction), behind the same
 * MatmulKernel interface as the JavaScript kernels.
 *
 * The numbers stay in the engine's Float64Arrays; each product copies its operands into the
 * module's memory, packed the way the tile loop reads them (wasm-module.ts), and copies
 * the result back. Packing is where the three products differ: it reads A and B through strides
 *   A(i, p) = a[i * aRowStride + p * aSumStride],   B(p, j) = b[p * bSumStride + j * bColStride]
 * and pads the edges to whole 4 x 4 tiles with zeros, so the WebAssembly loop has no edge cases.
 * Copying costs O(mk + kn + mn) against the product's O(mkn).
 *
 * Large operands go through in chunks of rows and of the sum, so memory stays bounded; chunks of
 * the sum add onto the running totals in order, so every output entry is still summed over
 * p = 0, 1, ..., k-1 from 0 with separate multiplies and adds: bit-identical to referenceKernel.
 *
 * Where WebAssembly SIMD is unavailable (an old browser, a content security policy without
 * 'wasm-unsafe-eval'), `wasmSimdKernel` is null and the engine keeps the JavaScript kernel.
 */
import type { MatmulKernel } from './kernel';
import { tilesModuleBytes } from './wasm-module';
import { stridedKernel } from './strided';

type TilesFunction = (
  ap: number,
  bp: number,
  op: number,
  rowTiles: number,
  colTiles: number,
  k: number,
  rowBytes: number,
) => void;

/** Rows of A and steps of the sum packed at a time (bounds memory; keeps a B chunk in cache). */
const ROW_CHUNK = 256;
const SUM_CHUNK = 128;
const PAGE_BYTES = 65536;

function roundUp4(n: number): number {
  return (n + 3) & ~3;
}

function instantiate(): { tiles: TilesFunction; memory: WebAssembly.Memory } | null {
  try {
    if (typeof WebAssembly !== 'object') return null;
    const bytes = tilesModuleBytes();
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
    return {
      tiles: instance.exports.tiles as TilesFunction,
      memory: instance.exports.memory as WebAssembly.Memory,
    };
  } catch {
    return null;
  }
}

function createWasmSimdKernel(): MatmulKernel | null {
  const module = instantiate();
  if (!module) return null;
  const { tiles, memory } = module;
  let heap = new Float64Array(memory.buffer);

  /** Grow the module's memory to hold `doubles` numbers (views onto old memory go stale). */
  function reserve(doubles: number): void {
    const bytes = doubles * 8;
    if (bytes <= memory.buffer.byteLength) return;
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
    heap = new Float64Array(memory.buffer);
  }

  /**
   * Pack `lines` lines of a strided operand (rows of A or columns of B), `steps` steps of the sum
   * each, as panels of 4 lines at heap[at...]: panel t holds lines 4t..4t+3 interleaved step by
   * step, so the tile loop reads it front to back; missing lines of the last panel are zeros.
   * Line l at step p is src[first + l * lineStride + p * stepStride].
   */
  function pack(
    src: Float64Array,
    first: number,
    lineStride: number,
    stepStride: number,
    lines: number,
    steps: number,
    at: number,
  ): void {
    const h = heap;
    const full = lines - (lines % 4);
    for (let t = 0; t < full; t += 4) {
      const s0 = first + t * lineStride,
        s1 = s0 + lineStride,
        s2 = s1 + lineStride,
        s3 = s2 + lineStride;
      for (let p = 0, dst = at + t * steps, off = 0; p < steps; p++, dst += 4, off += stepStride) {
        h[dst] = src[s0 + off];
        h[dst + 1] = src[s1 + off];
        h[dst + 2] = src[s2 + off];
        h[dst + 3] = src[s3 + off];
      }
    }
    if (full === lines) return;
    for (let p = 0, dst = at + full * steps; p < steps; p++, dst += 4)
      for (let r = 0; r < 4; r++)
        h[dst + r] = full + r < lines ? src[first + (full + r) * lineStride + p * stepStride] : 0;
  }

  function stridedProduct(
    a: Float64Array,
    aRowStride: number,
    aSumStride: number,
    b: Float64Array,
    bSumStride: number,
    bColStride: number,
    out: Float64Array,
    m: number,
    n: number,
    k: number,
  ): void {
    if (m === 0 || n === 0) return;
    if (k === 0) {
      out.fill(0, 0, m * n);
      return;
    }
    const n4 = roundUp4(n);
    for (let i0 = 0; i0 < m; i0 += ROW_CHUNK) {
      const rows = Math.min(ROW_CHUNK, m - i0),
        m4 = roundUp4(rows),
        kMax = Math.min(SUM_CHUNK, k);
      // heap layout (in numbers): output m4 x n4, then A panels, then B panels
      const aAt = m4 * n4,
        bAt = aAt + m4 * kMax;
      reserve(bAt + kMax * n4);
      heap.fill(0, 0, m4 * n4);
      for (let p0 = 0; p0 < k; p0 += SUM_CHUNK) {
        const kc = Math.min(SUM_CHUNK, k - p0);
        // A's lines are its rows i0.., B's lines are its columns; both from sum step p0 on.
        pack(a, i0 * aRowStride + p0 * aSumStride, aRowStride, aSumStride, rows, kc, aAt);
        pack(b, p0 * bSumStride, bColStride, bSumStride, n, kc, bAt);
        tiles(aAt * 8, bAt * 8, 0, m4 >> 2, n4 >> 2, kc, n4 * 8);
      }
      if (n4 === n) out.set(heap.subarray(0, rows * n), i0 * n);
      else for (let r = 0; r < rows; r++) out.set(heap.subarray(r * n4, r * n4 + n), (i0 + r) * n);
    }
  }

  return stridedKernel(stridedProduct);
}

/** The WebAssembly SIMD kernel, or null where WebAssembly SIMD cannot run. */
export const wasmSimdKernel: MatmulKernel | null = createWasmSimdKernel();
