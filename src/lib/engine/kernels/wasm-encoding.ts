/**
 * The WebAssembly binary encoding the engine's module is written in (wasm-module.ts,
 * wasm-vector-ops.ts): value types, the opcodes used, LEB128 numbers, sections and the small
 * instruction builders. Nothing here knows what the module computes.
 */

// Value types and opcodes (WebAssembly core spec and its SIMD extension).
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const BLOCK_VOID = 0x40;
export const OP = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Load: 0x2a,
  f64Load: 0x2b,
  f32Store: 0x38,
  f64Store: 0x39,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32GtU: 0x4b,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f32DemoteF64: 0xb6,
  f64PromoteF32: 0xbb,
  simd: 0xfd,
} as const;
export const SIMD = {
  v128Load: 0x00,
  v128Load32Splat: 0x09,
  v128Load64Splat: 0x0a,
  v128Store: 0x0b,
  v128Load64Zero: 0x5d,
  v128Store64Lane: 0x5b,
  f32x4DemoteF64x2Zero: 0x5e,
  f64x2PromoteLowF32x4: 0x5f,
  f64x2Splat: 0x14,
  f64x2ExtractLane: 0x21,
  f64x2Gt: 0x4a,
  v128And: 0x4e,
  f64x2Pmax: 0xf7,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  /** Relaxed SIMD: a b + c, fused or not as the machine does it (one rounding with FMA). */
  f32x4RelaxedMadd: 0x105,
  f64x2Sqrt: 0xef,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
  f64x2Mul: 0xf2,
  f64x2Div: 0xf3,
} as const;

export function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

export function signedLeb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

export function utf8(text: string): number[] {
  return [...unsignedLeb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

export function section(id: number, body: number[]): number[] {
  return [id, ...unsignedLeb(body.length), ...body];
}

export function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

export const get = (i: number) => [OP.localGet, ...unsignedLeb(i)];
export const set = (i: number) => [OP.localSet, ...unsignedLeb(i)];
export const tee = (i: number) => [OP.localTee, ...unsignedLeb(i)];
export const i32 = (v: number) => [OP.i32Const, ...signedLeb(v)];
export const simd = (op: number, ...immediates: number[]) => [
  OP.simd,
  ...unsignedLeb(op),
  ...immediates,
];
/** memarg: alignment exponent, then a constant byte offset. */
export const memarg = (alignLog2: number, offset: number) => [alignLog2, ...unsignedLeb(offset)];

/** A function body: its locals as [count, type] runs, then the code, length-prefixed. */
export function functionBody(locals: [number, number][], code: number[]): number[] {
  const body = [...vector(locals.map(([count, type]) => [...unsignedLeb(count), type])), ...code];
  return [...unsignedLeb(body.length), ...body];
}

/** A function type: its parameter types and result types (none unless given). */
export function functionType(params: number[], results: number[] = []): number[] {
  return [0x60, ...vector(params.map((p) => [p])), ...vector(results.map((r) => [r]))];
}
