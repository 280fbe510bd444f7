/**
 * A network's own WebAssembly memory (an "arena"): its parameters, their gradients and the
 * optimizer's state live there as Float64Array views, so the module's functions read them in
 * place — the weights are packed for a product by WebAssembly instead of a JavaScript loop
 * (wasm.ts), and the momentum update runs as f64x2 SIMD (wasm-vector-ops.ts).
 *
 * Why one memory per network, sized once: growing a WebAssembly memory detaches every view onto
 * it, and parameter arrays are held everywhere (checkpoints, optimizer slots, the worker). An
 * arena is sized when the network is built — parameters and gradients, room for two optimizer
 * slots per parameter, and a scratch area for one product chunk — and never grows. A product
 * that would need more scratch, or state beyond the room, falls back to the shared kernel memory
 * and plain arrays: slower, never wrong.
 */
import { kernelModuleBytes } from './wasm-module';

export interface KernelExports {
  memory: WebAssembly.Memory;
  tiles64: TilesFunction;
  tiles32: TilesFunction;
  pack64x4: PackFunction;
  pack32x4: PackFunction;
  pack32x8: PackFunction;
  momentum: (w: number, g: number, v: number, n: number, lr: number, mu: number) => void;
  widen32: (src: number, dst: number, n: number) => void;
  adam: (
    w: number,
    g: number,
    m: number,
    s: number,
    pairs: number,
    ...constants: [number, number, number, number, number, number, number, number]
  ) => void;
  reluForward: (z: number, a: number, pairs: number) => void;
  reluBackward: (z: number, dA: number, dZ: number, pairs: number) => void;
  sumSquares: (x: number, quads: number) => number;
}
export type TilesFunction = (
  ap: number,
  bp: number,
  op: number,
  rowTiles: number,
  colTiles: number,
  k: number,
  rowBytes: number,
) => void;
export type PackFunction = (
  src: number,
  lineStride: number,
  stepStride: number,
  panels: number,
  steps: number,
  dst: number,
) => void;

/** Rows of A and steps of the sum packed at a time (bounds memory; keeps a B chunk in cache). */
export const ROW_CHUNK = 256;
export const SUM_CHUNK = 128;
const PAGE_BYTES = 65536;

/** n rounded up to a multiple of `width` (a power of two). */
export function roundUp(n: number, width: number): number {
  return (n + width - 1) & ~(width - 1);
}

/** Numbers of scratch one product chunk needs: output, A panels and B panels (wasm.ts). */
export function productScratch(rows: number, n: number, k: number): number {
  const m4 = roundUp(Math.min(rows, ROW_CHUNK), 4),
    nw = roundUp(n, 8),
    kMax = Math.min(SUM_CHUNK, k);
  return m4 * nw + m4 * kMax + kMax * nw;
}

let compiled: WebAssembly.Module | null | undefined;
let fused = false;

/**
 * The kernel module, compiled once: the build whose float32 tiles fuse multiply and add where
 * the runtime validates it (relaxed SIMD), else the plain one, else null (no SIMD).
 */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (typeof WebAssembly !== 'object') return null;
  for (const fusedFloat32 of [true, false]) {
    const bytes = kernelModuleBytes({ fusedFloat32 });
    try {
      if (!WebAssembly.validate(bytes)) continue;
      compiled = new WebAssembly.Module(bytes);
      fused = fusedFloat32;
      return compiled;
    } catch {
      // A runtime that validates but cannot compile: try the next build.
    }
  }
  return null;
}

/** Whether float32 steps use the fused multiply-add tiles (relaxed SIMD), for reports. */
export function float32TilesFused(): boolean {
  kernelModule();
  return fused;
}

/** A fresh instance of the kernel module with `pages` pages of memory, or null without SIMD. */
export function instantiateKernels(pages = 1): KernelExports | null {
  try {
    const module = kernelModule();
    if (module === null) return null;
    const exports = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
    if (pages > 1) exports.memory.grow(pages - 1);
    return exports;
  } catch {
    return null;
  }
}

const arenas = new WeakMap<ArrayBufferLike, WasmArena>();

/** The arena `array` lives in, if any. */
export function arenaOf(array: Float64Array): WasmArena | undefined {
  return arenas.get(array.buffer);
}

/** The arena all of `arrays` live in, or undefined when they are not all in the same one. */
export function commonArena(...arrays: Float64Array[]): WasmArena | undefined {
  const arena = arenaOf(arrays[0]);
  if (!arena) return undefined;
  for (const a of arrays) if (a.buffer !== arena.f64.buffer) return undefined;
  return arena;
}

export class WasmArena {
  readonly kernels: KernelExports;
  readonly f64: Float64Array;
  readonly f32: Float32Array;
  /** Where the scratch area starts and how many float64s it holds. */
  readonly scratchAt: number;
  readonly scratchNumbers: number;
  /**
   * Two staging areas of `stageNumbers` float64s each, where a product copies an operand that
   * lives outside the arena (one memcpy) so the module can pack it (wasm.ts).
   */
  readonly stages: [Float64Array, Float64Array];
  readonly stageNumbers: number;
  /** Bump pointer of the permanent area (float64 index; every array starts 16-byte aligned). */
  #top = 0;
  readonly #permanentEnd: number;
  /** Free blocks of the reusable area (optimizer state), [start, length] in float64s. */
  #free: [number, number][];

  private constructor(
    kernels: KernelExports,
    permanent: number,
    reusable: number,
    scratch: number,
    stage: number,
  ) {
    this.kernels = kernels;
    const buffer = kernels.memory.buffer;
    this.f64 = new Float64Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.#permanentEnd = permanent;
    this.#free = reusable > 0 ? [[permanent, reusable]] : [];
    this.scratchAt = permanent + reusable;
    this.scratchNumbers = scratch;
    const stageAt = this.scratchAt + roundUp(scratch, 2);
    this.stageNumbers = stage;
    this.stages = [
      this.f64.subarray(stageAt, stageAt + stage),
      this.f64.subarray(stageAt + roundUp(stage, 2), stageAt + roundUp(stage, 2) + stage),
    ];
    arenas.set(buffer, this);
  }

  /**
   * An arena for arrays of these lengths (twice: parameters and gradients), with room for
   * `stateCopies` more of each (optimizer state), `scratch` float64s and two staging areas of
   * `stage` float64s; null without SIMD.
   */
  static create(
    lengths: number[],
    stateCopies: number,
    scratch: number,
    stage = 0,
  ): WasmArena | null {
    const aligned = lengths.reduce((sum, n) => sum + roundUp(n, 2), 0);
    const permanent = 2 * aligned,
      reusable = stateCopies * aligned,
      total = permanent + reusable + roundUp(scratch, 2) + 2 * roundUp(stage, 2);
    const kernels = instantiateKernels(Math.ceil((total * 8) / PAGE_BYTES) || 1);
    return kernels ? new WasmArena(kernels, permanent, reusable, scratch, stage) : null;
  }

  /** A zeroed array that lives as long as the arena (parameters, gradients). */
  allocate(length: number): Float64Array {
    const at = this.#top;
    if (at + roundUp(length, 2) > this.#permanentEnd)
      throw new Error('The arena has no room for this array.');
    this.#top = at + roundUp(length, 2);
    return this.f64.subarray(at, at + length);
  }

  /** A zeroed array from the reusable area (give it back with release), or null when full. */
  borrow(length: number): Float64Array | null {
    const need = roundUp(length, 2);
    const index = this.#free.findIndex(([, free]) => free >= need);
    if (index < 0) return null;
    const [at, free] = this.#free[index];
    if (free === need) this.#free.splice(index, 1);
    else this.#free[index] = [at + need, free - need];
    const array = this.f64.subarray(at, at + length);
    array.fill(0);
    return array;
  }

  /** Give back an array from borrow (anything else is ignored). */
  release(array: Float64Array): void {
    if (array.buffer !== this.f64.buffer) return;
    const at = array.byteOffset / 8;
    if (at < this.#permanentEnd || at >= this.scratchAt) return;
    this.#free.push([at, roundUp(array.length, 2)]);
    this.#free.sort((x, y) => x[0] - y[0]);
    // merge neighbours
    const merged: [number, number][] = [];
    for (const block of this.#free) {
      const last = merged[merged.length - 1];
      if (last && last[0] + last[1] === block[0]) last[1] += block[1];
      else merged.push([block[0], block[1]]);
    }
    this.#free = merged;
  }
}
