/**
 * The matrix product on WebAssembly SIMD, behind the same MatmulKernel interface as the
 * JavaScript kernels: `wasmSimdKernel` in float64 (two lanes per instruction, bit-identical to
 * referenceKernel) and `wasmFloat32Kernel` (four float32 lanes: twice the arithmetic per
 * instruction; what a training step uses with precision 'float32', see step-precision.ts).
 *
 * Each product packs its operands into a module's memory the way the tile loop reads them
 * (wasm-module.ts, wasm-packing.ts) and copies the result back. When an operand lives in a
 * network's arena (wasm-arena.ts: its weights and gradients) the product runs in that arena's
 * instance: operands there are packed by the module in place, others after one memcpy to a
 * stage, and a result bound for the arena is moved inside it. Otherwise it runs in a shared
 * instance whose memory grows as needed, packed by JavaScript loops. Packing is where the three products differ: it reads A and B through strides
 *   A(i, p) = a[i * aRowStride + p * aSumStride],   B(p, j) = b[p * bSumStride + j * bColStride]
 * and pads the edges to whole tiles with zeros, so the WebAssembly loop has no edge cases.
 * Copying costs O(mk + kn + mn) against the product's O(mkn). The float32 kernel rounds every
 * operand to float32 as it packs it (a Float32Array store or f32.demote_f64: both round to
 * nearest), sums in
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
import { stridedKernel } from './strided';
import {
  ROW_CHUNK,
  SUM_CHUNK,
  arenaOf,
  instantiateKernels,
  productScratch,
  roundUp,
  type PackFunction,
  type TilesFunction,
  type WasmArena,
} from './wasm-arena';
import { pack, packInPlace, type Heap } from './wasm-packing';

const PAGE_BYTES = 65536;

/** Where a product computes: a module's memory (as views), its functions, a free area. */
interface Workspace {
  heap: Heap;
  tiles: TilesFunction;
  packA: PackFunction;
  packB: PackFunction;
  widen: (src: number, dst: number, n: number) => void;
  /** The module's memory buffer: operands there are packed in place. */
  buffer: ArrayBufferLike;
  /** First number of the free area (in heap units). */
  base: number;
}

function createWasmSimdKernel(precision: Precision): MatmulKernel | null {
  const shared = instantiateKernels();
  if (!shared) return null;
  const { memory } = shared;
  const float64 = precision === 'float64';
  /** Bytes per number, and B panel width: a tile row is one 32-byte pair of vectors. */
  const size = float64 ? 8 : 4,
    bWidth = float64 ? 4 : 8;
  const view = (buffer: ArrayBufferLike): Heap =>
    float64 ? new Float64Array(buffer) : new Float32Array(buffer);
  const functions = (k: typeof shared) => ({
    tiles: float64 ? k.tiles64 : k.tiles32,
    packA: float64 ? k.pack64x4 : k.pack32x4,
    packB: float64 ? k.pack64x4 : k.pack32x8,
    widen: k.widen32,
  });
  let sharedWorkspace: Workspace = {
    heap: view(memory.buffer),
    ...functions(shared),
    buffer: memory.buffer,
    base: 0,
  };
  /** One workspace per arena, made when a product first touches it. */
  const arenaWorkspaces = new WeakMap<WasmArena, Workspace>();

  /** The shared memory, grown to hold `numbers` numbers (views onto old memory go stale). */
  function sharedFor(numbers: number): Workspace {
    const bytes = numbers * size;
    if (bytes > memory.buffer.byteLength) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
      sharedWorkspace = { ...sharedWorkspace, heap: view(memory.buffer), buffer: memory.buffer };
    }
    return sharedWorkspace;
  }

  function arenaWorkspace(arena: WasmArena): Workspace {
    let w = arenaWorkspaces.get(arena);
    if (!w) {
      const heap = float64 ? arena.f64 : arena.f32;
      w = {
        heap,
        ...functions(arena.kernels),
        buffer: heap.buffer,
        base: arena.scratchAt * (8 / size),
      };
      arenaWorkspaces.set(arena, w);
    }
    return w;
  }

  /** The arena one of the operands lives in when its scratch holds this product, else null. */
  function arenaFor(
    a: Float64Array,
    b: Float64Array,
    out: Float64Array,
    m: number,
    n: number,
    k: number,
  ): WasmArena | null {
    const arena = arenaOf(b) ?? arenaOf(a) ?? arenaOf(out);
    return arena && productScratch(m, n, k) <= arena.scratchNumbers ? arena : null;
  }

  /**
   * Where the module can read an operand whose entries span `span` numbers: itself when it lives
   * in the arena, else a copy in stage `which` when it fits there, else null (JavaScript packs).
   */
  function inModule(
    arena: WasmArena,
    src: Float64Array,
    span: number,
    which: 0 | 1,
  ): Float64Array | null {
    if (src.buffer === arena.f64.buffer) return src;
    if (span > arena.stageNumbers) return null;
    const stage = arena.stages[which];
    stage.set(src.length === span ? src : src.subarray(0, span));
    return stage;
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
    const arena = arenaFor(a, b, out, m, n, k);
    // In an arena the module packs: operands there in place, others after one copy to a stage.
    const aFrom = arena
      ? inModule(arena, a, (m - 1) * aRowStride + (k - 1) * aSumStride + 1, 0)
      : null;
    const bFrom = arena
      ? inModule(arena, b, (k - 1) * bSumStride + (n - 1) * bColStride + 1, 1)
      : null;
    const nw = roundUp(n, bWidth);
    for (let i0 = 0; i0 < m; i0 += ROW_CHUNK) {
      const rows = Math.min(ROW_CHUNK, m - i0),
        m4 = roundUp(rows, 4),
        kMax = Math.min(SUM_CHUNK, k);
      // workspace layout (in numbers from its base): output m4 x nw, then A panels, then B panels
      const w = arena ? arenaWorkspace(arena) : sharedFor(m4 * nw + m4 * kMax + kMax * nw);
      const { heap, base } = w;
      const aAt = base + m4 * nw,
        bAt = aAt + m4 * kMax;
      heap.fill(0, base, base + m4 * nw);
      for (let p0 = 0; p0 < k; p0 += SUM_CHUNK) {
        const kc = Math.min(SUM_CHUNK, k - p0);
        // A's lines are its rows i0.., B's lines are its columns; both from sum step p0 on.
        const aFirst = i0 * aRowStride + p0 * aSumStride,
          bFirst = p0 * bSumStride;
        if (aFrom)
          packInPlace(w.packA, heap, 4, aFrom, aFirst, aRowStride, aSumStride, rows, kc, aAt);
        else pack(heap, 4, a, aFirst, aRowStride, aSumStride, rows, kc, aAt);
        if (bFrom)
          packInPlace(w.packB, heap, bWidth, bFrom, bFirst, bColStride, bSumStride, n, kc, bAt);
        else pack(heap, bWidth, b, bFirst, bColStride, bSumStride, n, kc, bAt);
        w.tiles(aAt * size, bAt * size, base * size, m4 >> 2, nw / bWidth, kc, nw * size);
      }
      copyOut(w, out, i0, rows, n, nw);
    }
  }

  return stridedKernel(stridedProduct);
}

/**
 * Rows i0.. of the product, from the workspace's output (nw numbers per row) into out. When out
 * lives in the same memory (a gradient in an arena) the move stays inside it: copyWithin in
 * float64, the module's widen32 in float32 (a typed-array set between views of one buffer would
 * copy the source first).
 */
function copyOut(
  w: Workspace,
  out: Float64Array,
  i0: number,
  rows: number,
  n: number,
  nw: number,
): void {
  const { heap, base } = w;
  const whole = nw === n;
  if (out.buffer === w.buffer) {
    const to = out.byteOffset / 8 + i0 * n;
    if (heap instanceof Float64Array) {
      if (whole) heap.copyWithin(to, base, base + rows * n);
      else
        for (let r = 0; r < rows; r++)
          heap.copyWithin(to + r * n, base + r * nw, base + r * nw + n);
    } else if (whole) w.widen(base * 4, to * 8, rows * n);
    else for (let r = 0; r < rows; r++) w.widen((base + r * nw) * 4, (to + r * n) * 8, n);
    return;
  }
  if (whole) out.set(heap.subarray(base, base + rows * n), i0 * n);
  else
    for (let r = 0; r < rows; r++)
      out.set(heap.subarray(base + r * nw, base + r * nw + n), (i0 + r) * n);
}

/** The WebAssembly SIMD kernel, or null where WebAssembly SIMD cannot run. */
export const wasmSimdKernel: MatmulKernel | null = createWasmSimdKernel('float64');

/**
 * The float32 WebAssembly SIMD kernel on float64 matrices (see the top: operands rounded to
 * float32, float32 sums), or null where WebAssembly SIMD cannot run.
 */
export const wasmFloat32Kernel: MatmulKernel | null = createWasmSimdKernel('float32');
