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
 *
 * Where the runtime has relaxed SIMD (Chromium; Node 20 behind a V8 flag, see
 * src/cli/relaxed-simd.ts) the float32 tiles use `f32x4.relaxed_madd`: one fused multiply-add
 * instead of a multiply and an add, ~1.3x the tile loop's speed on machines with FMA. Only float32
 * steps change (one rounding instead of two, within float32's accuracy); tiles64 never fuses, so
 * float64 stays bit for bit the scalar reference.
 */

import type { Precision } from '../settings';

import {
  BLOCK_VOID,
  F64,
  I32,
  OP,
  SIMD,
  V128,
  functionBody,
  functionType,
  get,
  i32,
  memarg,
  section,
  set,
  simd,
  tee,
  utf8,
  vector,
} from './wasm-encoding';
import {
  ADAM_PARAMS,
  MOMENTUM_PARAMS,
  PACK_PARAMS,
  RELU_BACKWARD_PARAMS,
  SUM_SQUARES_PARAMS,
  WIDEN_PARAMS,
  adamBody,
  momentumBody,
  packBody,
  reluBackwardBody,
  reluForwardBody,
  sumSquaresBody,
  widenBody,
} from './wasm-vector-ops';

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
  /** The fused a b + c instruction, if these tiles use one. */
  madd?: number;
}

const LANES: Record<Precision, Lanes> = {
  float64: { bytes: 8, splat: SIMD.v128Load64Splat, add: SIMD.f64x2Add, mul: SIMD.f64x2Mul },
  float32: { bytes: 4, splat: SIMD.v128Load32Splat, add: SIMD.f32x4Add, mul: SIMD.f32x4Mul },
};
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
      const b = h === 0 ? B0 : B1;
      if (lanes.madd !== undefined)
        code.push(...get(A_SPLAT), ...get(b), ...get(acc), ...simd(lanes.madd), ...set(acc));
      else
        code.push(
          ...get(acc),
          ...get(A_SPLAT),
          ...get(b),
          ...simd(lanes.mul),
          ...simd(lanes.add),
          ...set(acc),
        );
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
  return functionBody(
    [
      [I32_LOCALS, I32],
      [V128_LOCALS, V128],
    ],
    code,
  );
}

/**
 * The functions the module exports, in order: name, type index, body. Keep the module under
 * 4 KB: Chromium refuses to compile a larger one synchronously on the main thread, and the
 * engine compiles it synchronously wherever it loads (tests/unit/engine/wasm-arena.test.ts).
 */
const functions = (fusedFloat32: boolean): [string, number, () => number[]][] => [
  ['tiles64', 0, () => tilesBody(LANES.float64)],
  [
    'tiles32',
    0,
    () =>
      tilesBody(fusedFloat32 ? { ...LANES.float32, madd: SIMD.f32x4RelaxedMadd } : LANES.float32),
  ],
  ['pack64x4', 1, () => packBody(4, false)],
  ['pack32x4', 1, () => packBody(4, true)],
  ['pack32x8', 1, () => packBody(8, true)],
  ['momentum', 2, () => momentumBody()],
  ['widen32', 3, () => widenBody()],
  ['reluForward', 3, () => reluForwardBody()],
  ['reluBackward', 4, () => reluBackwardBody()],
  ['adam', 5, () => adamBody()],
  ['sumSquares', 6, () => sumSquaresBody()],
];

/**
 * The module's bytes. `tiles64`/`tiles32` require rowTiles, colTiles and k to be at least 1;
 * the others are described in wasm-vector-ops.ts. Its memory starts at one page and grows on
 * request (memory.grow from JavaScript). With `fusedFloat32` tiles32 uses relaxed SIMD's fused
 * multiply-add, and the module validates only where relaxed SIMD exists.
 */
export function kernelModuleBytes({ fusedFloat32 = false } = {}): Uint8Array<ArrayBuffer> {
  const FUNCTIONS = functions(fusedFloat32);
  const types = [
    functionType(Array.from({ length: PARAMS }, () => I32)),
    functionType(PACK_PARAMS),
    functionType(MOMENTUM_PARAMS),
    functionType(WIDEN_PARAMS),
    functionType(RELU_BACKWARD_PARAMS),
    functionType(ADAM_PARAMS),
    functionType(SUM_SQUARES_PARAMS, [F64]),
  ];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d], // "\0asm"
    ...[0x01, 0x00, 0x00, 0x00], // version 1
    ...section(1, vector(types)), // types
    ...section(3, vector(FUNCTIONS.map(([, type]) => [type]))), // functions
    ...section(5, vector([[0x00, 1]])), // memory: at least one 64 KiB page, growable
    ...section(
      7,
      vector([
        ...FUNCTIONS.map(([name], i) => [...utf8(name), 0x00, i]),
        [...utf8('memory'), 0x02, 0],
      ]),
    ), // exports
    ...section(10, vector(FUNCTIONS.map(([, , body]) => body()))), // code
  ];
  return new Uint8Array(bytes);
}
