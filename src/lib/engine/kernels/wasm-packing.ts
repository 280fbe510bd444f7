/**
 * Packing operands for the tile loop (wasm-module.ts): panels of 4 or 8 lines, step by step,
 * zero-padded to whole panels. In JavaScript for operands outside the module's memory, by the
 * module's pack functions for operands in it (wasm.ts decides which).
 */
import type { PackFunction } from './wasm-arena';

/** A view onto a module's memory: float64 or float32 numbers. */
export type Heap = Float64Array | Float32Array;

/**
 * Pack `lines` lines of a strided operand (rows of A or columns of B), `steps` steps of the sum
 * each, as panels of `width` lines at h[at...]: panel t holds lines width t.. interleaved step by
 * step, so the tile loop reads it front to back; missing lines of the last panel are zeros.
 * Line l at step p is src[first + l * lineStride + p * stepStride]. (A JavaScript loop: for
 * operands outside the WebAssembly memory.)
 */
export function pack(
  h: Heap,
  width: number,
  src: Float64Array,
  first: number,
  lineStride: number,
  stepStride: number,
  lines: number,
  steps: number,
  at: number,
): void {
  return width === 4
    ? pack4(h, src, first, lineStride, stepStride, lines, steps, at)
    : pack8(h, src, first, lineStride, stepStride, lines, steps, at);
}

function pack4(
  h: Heap,
  src: Float64Array,
  first: number,
  lineStride: number,
  stepStride: number,
  lines: number,
  steps: number,
  at: number,
): void {
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
  if (full < lines) packEdge(h, src, first, lineStride, stepStride, lines, steps, at, 4);
}

/** As pack4 with panels of 8 lines (float32 B operands: 8 columns per tile). */
function pack8(
  h: Heap,
  src: Float64Array,
  first: number,
  lineStride: number,
  stepStride: number,
  lines: number,
  steps: number,
  at: number,
): void {
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
  if (full < lines) packEdge(h, src, first, lineStride, stepStride, lines, steps, at, 8);
}

/** The last, partly filled panel of `width` lines, the missing lines as zeros. */
function packEdge(
  h: Heap,
  src: Float64Array,
  first: number,
  lineStride: number,
  stepStride: number,
  lines: number,
  steps: number,
  at: number,
  width: number,
): void {
  const full = lines - (lines % width);
  for (let p = 0, dst = at + full * steps; p < steps; p++, dst += width)
    for (let r = 0; r < width; r++)
      h[dst + r] = full + r < lines ? src[first + (full + r) * lineStride + p * stepStride] : 0;
}

/**
 * Pack as `pack` does, by the module's pack function when `src` lives in the memory `h` views
 * (an arena): whole panels in WebAssembly, a partial last panel in JavaScript.
 */
export function packInPlace(
  wasmPack: PackFunction,
  h: Heap,
  width: number,
  src: Float64Array,
  first: number,
  lineStride: number,
  stepStride: number,
  lines: number,
  steps: number,
  at: number,
): void {
  const panels = Math.floor(lines / width);
  if (panels > 0)
    wasmPack(
      src.byteOffset + first * 8,
      lineStride * 8,
      stepStride * 8,
      panels,
      steps,
      at * h.BYTES_PER_ELEMENT,
    );
  if (panels * width < lines)
    packEdge(h, src, first, lineStride, stepStride, lines, steps, at, width);
}
