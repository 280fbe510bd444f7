/**
 * The matrix product on WebAssembly SIMD, behind the same MatmulKernel interface as the
 * JavaScript kernels: `wasmSimdKernel` in float64 (two lanes per instruction, bit-identical to
 * referenceKernel) and `wasmFloat32Kernel` (four float32 lanes: twice the arithmetic per
 * instruction; what a training step uses with precision 'float32', see step-precision.ts).
 *
 * The numbers stay in the engine's Float64Arrays; each product copies its operands into the
 * module's memory, packed the way the tile loop reads them (wasm-module.ts), and copies
 * the result back. Packing is where the three products differ: it reads A and B through strides
 *   A(i, p) = a[i * aRowStride + p * aSumStride],   B(p, j) = b[p * bSumStride + j * bColStride]
 * and pads the edges to whole tiles with zeros, so the WebAssembly loop has no edge cases.
 * Copying costs O(mk + kn + mn) against the product's O(mkn). The float32 kernel rounds every
 * operand to float32 as it packs it (storing into a Float32Array view rounds to nearest), sums in
 * float32, and widens the result back to float64 as it copies it out.
 *
 * Large operands go through in chunks of rows and of the sum, so memory stays bounded; chunks of
 * the sum add onto the running totals in order, so every output entry is still summed over
 * p = 0, 1, ..., k-1 from 0 with separate multiplies and adds: in float64, bit-identical to
 * referenceKernel.
 *
 * Where WebAssembly SIMD is unavailable (an old browser, a content security policy without
 * 'wasm-unsafe-eval'), both are null and the engine keeps the JavaScript kernel.
 */
import type { MatmulKernel } from './kernel';
import type { Precision } from '../settings';
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

/** n rounded up to a multiple of `width` (a power of two). */
function roundUp(n: number, width: number): number {
  return (n + width - 1) & ~(width - 1);
}

function instantiate(
  precision: Precision,
): { tiles: TilesFunction; memory: WebAssembly.Memory } | null {
  try {
    if (typeof WebAssembly !== 'object') return null;
    const bytes = tilesModuleBytes(precision);
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

function createWasmSimdKernel(precision: Precision): MatmulKernel | null {
  const module = instantiate(precision);
  if (!module) return null;
  const { tiles, memory } = module;
  const float64 = precision === 'float64';
  /** Bytes per number, and B panel width: a tile row is one 32-byte pair of vectors. */
  const size = float64 ? 8 : 4,
    bWidth = float64 ? 4 : 8;
  const view = (): Float64Array | Float32Array =>
    float64 ? new Float64Array(memory.buffer) : new Float32Array(memory.buffer);
  let heap = view();

  /** Grow the module's memory to hold `numbers` numbers (views onto old memory go stale). */
  function reserve(numbers: number): void {
    const bytes = numbers * size;
    if (bytes <= memory.buffer.byteLength) return;
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
    heap = view();
  }

  /**
   * Pack `lines` lines of a strided operand (rows of A or columns of B), `steps` steps of the sum
   * each, as panels of 4 lines at heap[at...]: panel t holds lines 4t..4t+3 interleaved step by
   * step, so the tile loop reads it front to back; missing lines of the last panel are zeros.
   * Line l at step p is src[first + l * lineStride + p * stepStride].
   */
  function pack4(
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
    if (full < lines) packEdge(src, first, lineStride, stepStride, lines, steps, at, 4);
  }

  /** As pack4 with panels of 8 lines (float32 B operands: 8 columns per tile). */
  function pack8(
    src: Float64Array,
    first: number,
    lineStride: number,
    stepStride: number,
    lines: number,
    steps: number,
    at: number,
  ): void {
    const h = heap;
    const full = lines - (lines % 8);
    for (let t = 0; t < full; t += 8) {
      const s0 = first + t * lineStride,
        s1 = s0 + lineStride,
        s2 = s1 + lineStride,
        s3 = s2 + lineStride,
        s4 = s3 + lineStride,
        s5 = s4 + lineStride,
        s6 = s5 + lineStride,
        s7 = s6 + lineStride;
      for (let p = 0, dst = at + t * steps, off = 0; p < steps; p++, dst += 8, off += stepStride) {
        h[dst] = src[s0 + off];
        h[dst + 1] = src[s1 + off];
        h[dst + 2] = src[s2 + off];
        h[dst + 3] = src[s3 + off];
        h[dst + 4] = src[s4 + off];
        h[dst + 5] = src[s5 + off];
        h[dst + 6] = src[s6 + off];
        h[dst + 7] = src[s7 + off];
      }
    }
    if (full < lines) packEdge(src, first, lineStride, stepStride, lines, steps, at, 8);
  }

  /** The last, partly filled panel of `width` lines, the missing lines as zeros. */
  function packEdge(
    src: Float64Array,
    first: number,
    lineStride: number,
    stepStride: number,
    lines: number,
    steps: number,
    at: number,
    width: number,
  ): void {
    const h = heap;
    const full = lines - (lines % width);
    for (let p = 0, dst = at + full * steps; p < steps; p++, dst += width)
      for (let r = 0; r < width; r++)
        h[dst + r] = full + r < lines ? src[first + (full + r) * lineStride + p * stepStride] : 0;
  }

  const packB = bWidth === 4 ? pack4 : pack8;

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
    const nw = roundUp(n, bWidth);
    for (let i0 = 0; i0 < m; i0 += ROW_CHUNK) {
      const rows = Math.min(ROW_CHUNK, m - i0),
        m4 = roundUp(rows, 4),
        kMax = Math.min(SUM_CHUNK, k);
      // heap layout (in numbers): output m4 x nw, then A panels, then B panels
      const aAt = m4 * nw,
        bAt = aAt + m4 * kMax;
      reserve(bAt + kMax * nw);
      heap.fill(0, 0, m4 * nw);
      for (let p0 = 0; p0 < k; p0 += SUM_CHUNK) {
        const kc = Math.min(SUM_CHUNK, k - p0);
        // A's lines are its rows i0.., B's lines are its columns; both from sum step p0 on.
        pack4(a, i0 * aRowStride + p0 * aSumStride, aRowStride, aSumStride, rows, kc, aAt);
        packB(b, p0 * bSumStride, bColStride, bSumStride, n, kc, bAt);
        tiles(aAt * size, bAt * size, 0, m4 >> 2, nw / bWidth, kc, nw * size);
      }
      if (nw === n) out.set(heap.subarray(0, rows * n), i0 * n);
      else for (let r = 0; r < rows; r++) out.set(heap.subarray(r * nw, r * nw + n), (i0 + r) * n);
    }
  }

  return stridedKernel(stridedProduct);
}

/** The WebAssembly SIMD kernel, or null where WebAssembly SIMD cannot run. */
export const wasmSimdKernel: MatmulKernel | null = createWasmSimdKernel('float64');

/**
 * The float32 WebAssembly SIMD kernel on float64 matrices (see the top: operands rounded to
 * float32, float32 sums), or null where WebAssembly SIMD cannot run.
 */
export const wasmFloat32Kernel: MatmulKernel | null = createWasmSimdKernel('float32');
