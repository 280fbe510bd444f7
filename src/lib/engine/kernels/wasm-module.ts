/**
 * The WebAssembly module behind the SIMD matrix product (wasm.ts), assembled here byte by
 * byte so the engine needs no build tool and no .wasm file to fetch. It exports its memory and
 * one function:
 *
 *   tiles(ap, bp, op, rowTiles, colTiles, k, rowBytes)
 *
 * For every 4 x 4 tile (it, jt) of the output it adds Σ_p A(4it + r, p) B(p, 4jt + c) to the
 * tile's current values. A and B are packed in panels (wasm.ts packs them):
 *   A panel it: k groups of 4 numbers, A(4it + r, p) at ap + ((it k + p) 4 + r) 8
 *   B panel jt: k groups of 4 numbers, B(p, 4jt + c) at bp + ((jt k + p) 4 + c) 8
 * so both are read front to back. The output is row-major, rowBytes per row, at op.
 *
 * The 4 x 4 tile is eight f64x2 accumulators; each step of p loads two vectors of B, splats each
 * of the four A values and does eight vector multiply-adds (mul then add, never fused, so every
 * lane rounds exactly like the scalar reference loop).
 * The float32 build (training with precision 'float32') has the same shape with f32x4 lanes:
 * 4 x 8 tiles, A panels of 4 floats and B panels of 8 floats per step.
 */

import type { Precision } from '../settings';

// Value types and opcodes (WebAssembly core spec and its SIMD extension).
const I32 = 0x7f;
const V128 = 0x7b;
const OP = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32Shl: 0x74,
  simd: 0xfd,
} as const;
const SIMD = {
  v128Load: 0x00,
  v128Load32Splat: 0x09,
  v128Load64Splat: 0x0a,
  v128Store: 0x0b,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f64x2Add: 0xf0,
  f64x2Mul: 0xf2,
} as const;

/**
 * float64: f64x2 lanes, tiles of 4 rows x 4 columns. float32: f32x4 lanes, tiles of 4 rows x 8
 * columns. Either way a tile row is 32 bytes, two vectors.
 */
export type { Precision };

interface Lanes {
  bytes: number;
  splat: number;
  add: number;
  mul: number;
}

const LANES: Record<Precision, Lanes> = {
  float64: { bytes: 8, splat: SIMD.v128Load64Splat, add: SIMD.f64x2Add, mul: SIMD.f64x2Mul },
  float32: { bytes: 4, splat: SIMD.v128Load32Splat, add: SIMD.f32x4Add, mul: SIMD.f32x4Mul },
};
const BLOCK_VOID = 0x40;

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function utf8(text: string): number[] {
  return [...unsignedLeb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

function section(id: number, body: number[]): number[] {
  return [id, ...unsignedLeb(body.length), ...body];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

// Local indices: the parameters first, then the locals declared in the body.
const AP = 0,
  BP = 1,
  OPTR = 2,
  ROW_TILES = 3,
  COL_TILES = 4,
  K = 5,
  ROW_BYTES = 6;
const PARAMS = 7;
const IT = 7,
  JT = 8,
  PA = 9,
  PB = 10,
  PA_END = 11,
  PO = 12,
  PANEL_BYTES = 13;
const I32_LOCALS = 7;
/** Accumulators ACC + 2r + h hold output row r, columns 2h and 2h + 1 of the tile. */
const ACC = 14,
  A_SPLAT = 22,
  B0 = 23,
  B1 = 24;
const V128_LOCALS = 11;

const get = (i: number) => [OP.localGet, ...unsignedLeb(i)];
const set = (i: number) => [OP.localSet, ...unsignedLeb(i)];
const tee = (i: number) => [OP.localTee, ...unsignedLeb(i)];
const i32 = (v: number) => [OP.i32Const, ...signedLeb(v)];
const simd = (op: number, ...immediates: number[]) => [OP.simd, ...unsignedLeb(op), ...immediates];
/** memarg: alignment exponent, then a constant byte offset. */
const memarg = (alignLog2: number, offset: number) => [alignLog2, ...unsignedLeb(offset)];

/** Load the tile's current output into the accumulators (or, with store, write them back). */
function tileMemory(store: boolean): number[] {
  const code: number[] = [];
  for (let r = 0; r < 4; r++) {
    // row address = po + r rowBytes
    const rowAddress = [...get(PO), ...get(ROW_BYTES), ...i32(r), OP.i32Mul, OP.i32Add];
    for (let h = 0; h < 2; h++) {
      if (store)
        code.push(
          ...rowAddress,
          ...get(ACC + 2 * r + h),
          ...simd(SIMD.v128Store, ...memarg(3, 16 * h)),
        );
      else
        code.push(
          ...rowAddress,
          ...simd(SIMD.v128Load, ...memarg(3, 16 * h)),
          ...set(ACC + 2 * r + h),
        );
    }
  }
  return code;
}

function tilesBody(lanes: Lanes): number[] {
  const code: number[] = [];
  // An A panel holds 4 numbers per step of the sum, a B panel 32 bytes per step.
  const aStepBytes = 4 * lanes.bytes;
  // aPanelBytes = k * aStepBytes
  code.push(...get(K), ...i32(aStepBytes), OP.i32Mul, ...set(PANEL_BYTES));
  code.push(...i32(0), ...set(IT));
  code.push(OP.loop, BLOCK_VOID); // rows of tiles
  code.push(...i32(0), ...set(JT));
  code.push(OP.loop, BLOCK_VOID); // columns of tiles
  // pa = ap + it aPanelBytes; paEnd = pa + aPanelBytes; pb = bp + jt k 32
  code.push(...get(AP), ...get(IT), ...get(PANEL_BYTES), OP.i32Mul, OP.i32Add, ...tee(PA));
  code.push(...get(PANEL_BYTES), OP.i32Add, ...set(PA_END));
  code.push(...get(BP), ...get(JT), ...get(K), OP.i32Mul, ...i32(5), OP.i32Shl, OP.i32Add);
  code.push(...set(PB));
  // po = op + 4 it rowBytes + 32 jt
  code.push(
    ...get(OPTR),
    ...get(IT),
    ...i32(2),
    OP.i32Shl,
    ...get(ROW_BYTES),
    OP.i32Mul,
    OP.i32Add,
  );
  code.push(...get(JT), ...i32(5), OP.i32Shl, OP.i32Add, ...set(PO));
  code.push(...tileMemory(false));
  code.push(OP.loop, BLOCK_VOID); // the sum over p
  code.push(...get(PB), ...simd(SIMD.v128Load, ...memarg(3, 0)), ...set(B0));
  code.push(...get(PB), ...simd(SIMD.v128Load, ...memarg(3, 16)), ...set(B1));
  for (let r = 0; r < 4; r++) {
    const splat = simd(lanes.splat, ...memarg(Math.log2(lanes.bytes), lanes.bytes * r));
    code.push(...get(PA), ...splat, ...set(A_SPLAT));
    for (let h = 0; h < 2; h++) {
      const acc = ACC + 2 * r + h;
      code.push(...get(acc), ...get(A_SPLAT), ...get(h === 0 ? B0 : B1));
      code.push(...simd(lanes.mul), ...simd(lanes.add), ...set(acc));
    }
  }
  code.push(...get(PB), ...i32(32), OP.i32Add, ...set(PB));
  code.push(...get(PA), ...i32(aStepBytes), OP.i32Add, ...tee(PA), ...get(PA_END), OP.i32LtU);
  code.push(OP.brIf, 0, OP.end);
  code.push(...tileMemory(true));
  code.push(...get(JT), ...i32(1), OP.i32Add, ...tee(JT), ...get(COL_TILES), OP.i32LtU);
  code.push(OP.brIf, 0, OP.end);
  code.push(...get(IT), ...i32(1), OP.i32Add, ...tee(IT), ...get(ROW_TILES), OP.i32LtU);
  code.push(OP.brIf, 0, OP.end);
  code.push(OP.end); // function
  const locals = vector([
    [...unsignedLeb(I32_LOCALS), I32],
    [...unsignedLeb(V128_LOCALS), V128],
  ]);
  const body = [...locals, ...code];
  return [...unsignedLeb(body.length), ...body];
}

/** The module's bytes; `tiles` requires rowTiles, colTiles and k to be at least 1. */
export function tilesModuleBytes(precision: Precision = 'float64'): Uint8Array<ArrayBuffer> {
  const funcType = [0x60, ...vector(Array.from({ length: PARAMS }, () => [I32])), 0];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d], // "\0asm"
    ...[0x01, 0x00, 0x00, 0x00], // version 1
    ...section(1, vector([funcType])), // types
    ...section(3, vector([[0]])), // functions: tiles has type 0
    ...section(5, vector([[0x00, 1]])), // memory: at least one 64 KiB page, growable
    ...section(
      7,
      vector([
        [...utf8('tiles'), 0x00, 0],
        [...utf8('memory'), 0x02, 0],
      ]),
    ), // exports
    ...section(10, vector([tilesBody(LANES[precision])])), // code
  ];
  return new Uint8Array(bytes);
}
