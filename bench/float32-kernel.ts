/**
 * A Float32Array copy of the engine's blocked kernel (src/lib/engine/kernels/blocked.ts), kept
 * here only to measure whether single precision would make the JavaScript kernel faster.
 * The engine stays float64 (DESIGN.md §1); see the kernel table of `npm run bench`.
 */
import { kernelModuleBytes } from '../src/lib/engine/kernels/wasm-module';
import type { Precision } from '../src/lib/engine/settings';

const TILE = 4;

/**
 * out (m x n) = Σ_p A(i, p) B(p, j) over p < k, A(i, p) = a[i * aRowStride + p * aSumStride], B(p, j) = b[p * bSumStride + j * bColStride].
 * `out` is row-major with n columns and must not alias a or b.
 */
export function stridedProduct32(
  a: Float32Array,
  aRowStride: number,
  aSumStride: number,
  b: Float32Array,
  bSumStride: number,
  bColStride: number,
  out: Float32Array,
  m: number,
  n: number,
  k: number,
): void {
  const mTiles = m - (m % TILE),
    nTiles = n - (n % TILE);
  const a1 = aRowStride,
    a2 = 2 * aRowStride,
    a3 = 3 * aRowStride;
  const b1 = bColStride,
    b2 = 2 * bColStride,
    b3 = 3 * bColStride;
  const aEnd = k * aSumStride;
  for (let i = 0; i < mTiles; i += TILE) {
    const aRow = i * aRowStride;
    for (let j = 0; j < nTiles; j += TILE) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      // pa walks A's four rows along the sum, pb walks B's four columns.
      for (let pa = aRow, pb = j * bColStride, end = aRow + aEnd; pa < end; pa += aSumStride) {
        const x0 = a[pa],
          x1 = a[pa + a1],
          x2 = a[pa + a2],
          x3 = a[pa + a3];
        const y0 = b[pb],
          y1 = b[pb + b1],
          y2 = b[pb + b2],
          y3 = b[pb + b3];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
        pb += bSumStride;
      }
      let q = i * n + j;
      out[q] = c00;
      out[q + 1] = c01;
      out[q + 2] = c02;
      out[q + 3] = c03;
      q += n;
      out[q] = c10;
      out[q + 1] = c11;
      out[q + 2] = c12;
      out[q + 3] = c13;
      q += n;
      out[q] = c20;
      out[q + 1] = c21;
      out[q + 2] = c22;
      out[q + 3] = c23;
      q += n;
      out[q] = c30;
      out[q + 1] = c31;
      out[q + 2] = c32;
      out[q + 3] = c33;
    }
  }
  // The columns right of the last full tile (all rows), then the rows below it.
  if (nTiles < n)
    singleEntries(a, aRowStride, aSumStride, b, bSumStride, bColStride, out, 0, m, nTiles, n, n, k);
  if (mTiles < m)
    singleEntries(
      a,
      aRowStride,
      aSumStride,
      b,
      bSumStride,
      bColStride,
      out,
      mTiles,
      m,
      0,
      nTiles,
      n,
      k,
    );
}

/** out[i][j] for i in [i0, i1), j in [j0, j1), one dot product each. */
function singleEntries(
  a: Float32Array,
  aRowStride: number,
  aSumStride: number,
  b: Float32Array,
  bSumStride: number,
  bColStride: number,
  out: Float32Array,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  n: number,
  k: number,
): void {
  for (let i = i0; i < i1; i++)
    for (let j = j0; j < j1; j++) {
      let sum = 0;
      for (let p = 0, pa = i * aRowStride, pb = j * bColStride; p < k; p++) {
        sum += a[pa] * b[pb];
        pa += aSumStride;
        pb += bSumStride;
      }
      out[i * n + j] = sum;
    }
}

/**
 * The float32 build of the engine's WebAssembly module (f32x4 lanes, 4 x 8 tiles), with packing
 * like kernels/wasm.ts but without its chunking (the benchmark's operands are small); with
 * `fusedFloat32` the build whose tiles use relaxed SIMD's fused multiply-add.
 * Null where WebAssembly SIMD (or, fused, relaxed SIMD) cannot run.
 */
export function createWasmFloat32Product(fusedFloat32 = false): typeof stridedProduct32 | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = kernelModuleBytes({ fusedFloat32 });
  if (!WebAssembly.validate(bytes)) return null;
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  const tiles = exports.tiles32 as (...args: number[]) => void;
  const memory = exports.memory as WebAssembly.Memory;
  let heap = new Float32Array(memory.buffer);

  /** Panels of `width` lines, step by step, zero-padded: as kernels/wasm.ts packs float64. */
  function pack(
    src: Float32Array,
    lineStride: number,
    stepStride: number,
    lines: number,
    steps: number,
    width: number,
    at: number,
  ): void {
    const h = heap;
    const full = lines - (lines % width);
    for (let t = 0; t < full; t += width)
      for (let r = 0; r < width; r++)
        for (let p = 0, dst = at + t * steps + r, s = (t + r) * lineStride; p < steps; p++) {
          h[dst] = src[s];
          dst += width;
          s += stepStride;
        }
    for (let p = 0, dst = at + full * steps; p < steps && full < lines; p++, dst += width)
      for (let r = 0; r < width; r++)
        h[dst + r] = full + r < lines ? src[(full + r) * lineStride + p * stepStride] : 0;
  }

  return (a, aRowStride, aSumStride, b, bSumStride, bColStride, out, m, n, k) => {
    const m4 = (m + 3) & ~3,
      n8 = (n + 7) & ~7;
    const aAt = m4 * n8,
      bAt = aAt + m4 * k,
      floats = bAt + k * n8;
    if (floats * 4 > memory.buffer.byteLength) {
      memory.grow(Math.ceil((floats * 4 - memory.buffer.byteLength) / 65536));
      heap = new Float32Array(memory.buffer);
    }
    heap.fill(0, 0, m4 * n8);
    pack(a, aRowStride, aSumStride, m, k, 4, aAt);
    pack(b, bColStride, bSumStride, n, k, 8, bAt);
    tiles(aAt * 4, bAt * 4, 0, m4 >> 2, n8 >> 3, k, n8 * 4);
    for (let r = 0; r < m; r++) out.set(heap.subarray(r * n8, r * n8 + n), r * n);
  };
}

/** The chunk of the sum kernels/wasm.ts packs at a time. */
const SUM_CHUNK = 128;

/**
 * The WebAssembly tile loop alone, without copying or packing: operands for every product of
 * one training step are packed once, then `run` multiplies them all. This isolates what the
 * precision changes (lanes per instruction) from what it does not (copies in and out).
 */
export function createTileLoop(
  precision: Precision,
  shapes: readonly { m: number; n: number; k: number }[],
  fusedFloat32 = false,
): (() => void) | null {
  if (typeof WebAssembly !== 'object') return null;
  const bytes = kernelModuleBytes({ fusedFloat32 });
  if (!WebAssembly.validate(bytes)) return null;
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  const tiles = (precision === 'float64' ? exports.tiles64 : exports.tiles32) as (
    ...args: number[]
  ) => void;
  const memory = exports.memory as WebAssembly.Memory;
  const size = precision === 'float64' ? 8 : 4,
    tileColumns = 32 / size;
  const calls: number[][] = [];
  let at = 0;
  for (const { m, n, k } of shapes) {
    const m4 = (m + 3) & ~3,
      nt = Math.ceil(n / tileColumns) * tileColumns;
    const op = at;
    at += m4 * nt * size;
    // Sums longer than SUM_CHUNK go in chunks onto the same output, as kernels/wasm.ts does.
    for (let p0 = 0; p0 < k; p0 += SUM_CHUNK) {
      const kc = Math.min(SUM_CHUNK, k - p0);
      const ap = at,
        bp = ap + m4 * kc * size;
      at = bp + kc * nt * size;
      calls.push([ap, bp, op, m4 / 4, nt / tileColumns, kc, nt * size]);
    }
  }
  if (at > memory.buffer.byteLength)
    memory.grow(Math.ceil((at - memory.buffer.byteLength) / 65536));
  const heap =
    precision === 'float64' ? new Float64Array(memory.buffer) : new Float32Array(memory.buffer);
  for (let i = 0; i < at / size; i++) heap[i] = Math.sin(i) * 0.1;
  return () => {
    for (const c of calls) tiles(c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
  };
}
