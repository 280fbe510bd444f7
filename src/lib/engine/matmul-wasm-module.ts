/**
 * The WebAssembly module behind the SIMD matrix product (matmul-wasm.ts), assembled here byte by
 * byte so the engine needs no build tool and no .wasm file to fetch. It exports its memory and
 * one function:
 *
 *   tiles(ap, bp, op, rowTiles, colTiles, k, rowBytes)
 *
 * For every 4 x 4 tile (it, jt) of the output it adds Σ_p A(4it + r, p) B(p, 4jt + c) to the
 * tile's current values. A and B are packed in panels (matmul-wasm.ts packs them):
 *   A panel it: k groups of 4 numbers, A(4it + r, p) at ap + ((it k + p) 4 + r) 8
 *   B panel jt: k groups of 4 numbers, B(p, 4jt + c) at bp + ((jt k + p) 4 + c) 8
 * so both are read front to back. The output is row-major, rowBytes per row, at op.
 *
 * The 4 x 4 tile is eight f64x2 accumulators; each step of p loads two vectors of B, splats each
 * of the four A values and does eight vector multiply-adds (mul then add, never fused, so every
 * lane rounds exactly like the scalar reference loop).
 */

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
  v128Load64Splat: 0x0a,
  v128Store: 0x0b,
  f64x2Add: 0xf0,
  f64x2Mul: 0xf2,
} as const;
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

function tilesBody(): number[] {
  const code: number[] = [];
  // panelBytes = k * 32 (4 numbers of 8 bytes per step of the sum)
  code.push(...get(K), ...i32(5), OP.i32Shl, ...set(PANEL_BYTES));
  code.push(...i32(0), ...set(IT));
  code.push(OP.loop, BLOCK_VOID); // rows of tiles
  code.push(...i32(0), ...set(JT));
  code.push(OP.loop, BLOCK_VOID); // columns of tiles
  // pa = ap + it panelBytes; paEnd = pa + panelBytes; pb = bp + jt panelBytes
  code.push(...get(AP), ...get(IT), ...get(PANEL_BYTES), OP.i32Mul, OP.i32Add, ...tee(PA));
  code.push(...get(PANEL_BYTES), OP.i32Add, ...set(PA_END));
  code.push(...get(BP), ...get(JT), ...get(PANEL_BYTES), OP.i32Mul, OP.i32Add, ...set(PB));
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
    code.push(...get(PA), ...simd(SIMD.v128Load64Splat, ...memarg(3, 8 * r)), ...set(A_SPLAT));
    for (let h = 0; h < 2; h++) {
      const acc = ACC + 2 * r + h;
      code.push(...get(acc), ...get(A_SPLAT), ...get(h === 0 ? B0 : B1));
      code.push(...simd(SIMD.f64x2Mul), ...simd(SIMD.f64x2Add), ...set(acc));
    }
  }
  code.push(...get(PB), ...i32(32), OP.i32Add, ...set(PB));
  code.push(...get(PA), ...i32(32), OP.i32Add, ...tee(PA), ...get(PA_END), OP.i32LtU);
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
export function tilesModuleBytes(): Uint8Array<ArrayBuffer> {
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
    ...section(10, vector([tilesBody()])), // code
  ];
  return new Uint8Array(bytes);
}
