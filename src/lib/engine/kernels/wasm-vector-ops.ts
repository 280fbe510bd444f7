/**
 * The module's functions besides the tile loop (wasm-module.ts assembles them), for operands and
 * state that live in a network's WebAssembly memory (wasm-arena.ts):
 *
 *   pack64x4 / pack32x4 / pack32x8 (src, lineStride, stepStride, panels, steps, dst)
 *     Panels of W lines (W = 4 or 8) as the tile loop reads them: for panel t and step p, line
 *     l = Wt + r (r < W) at step p is the float64 at src + l lineStride + p stepStride (bytes);
 *     it goes to dst + ((t steps + p) W + r) size, as float64 (pack64x4) or rounded to float32
 *     (pack32x*, f32.demote_f64: round to nearest, as a Float32Array store does). Whole panels
 *     only: the caller packs a partial last panel. Requires panels, steps >= 1.
 *   widen32 (src, dst, n)
 *     n float32s at src written as float64s at dst (widening is exact); the two must not
 *     overlap (the float32 scratch and a network's arrays never do).
 *   reluForward (z, a, pairs) / reluBackward (z, dA, dZ, pairs)
 *     a = z > 0 ? z : 0 as f64x2.pmax(0, z) (= 0 < z ? z : 0: NaN and -0 give +0, as in
 *     JavaScript); dZ = z > 0 ? dA : 0 as dA AND (z > 0): the JavaScript loops' bits
 *     (activations.ts), over 2 pairs numbers; the caller does an odd last one.
 *   adam (w, g, m, s, pairs, lr, b1, 1 - b1, b2, 1 - b2, eps, 1 - b1^t, 1 - b2^t)
 *     optimizers/adam.ts's update over 2 pairs numbers, the same operations in the same order
 *     (so the same bits); the caller does an odd last one.
 *   sumSquares (x, quads) -> f64
 *     Σ x_i² over 4 quads float64s at x, in four f64x2 partial sums (entry i goes to sum i mod 8)
 *     added up at the end: a different order from a one-by-one loop, so the last bits may differ;
 *     for statistics (gradient norms), never for training. The caller adds what is left over.
 *   momentum (w, g, v, n, lr, mu)
 *     v = mu v + lr g;  w -= v  over n float64s, two per f64x2 instruction, the last one alone:
 *     the same multiplies and adds in the same order as the JavaScript loop (optimizers/
 *     momentum.ts), so the same bits.
 */
import {
  BLOCK_VOID,
  F64,
  I32,
  OP,
  SIMD,
  V128,
  functionBody,
  get,
  i32,
  memarg,
  set,
  simd,
  tee,
} from './wasm-encoding';

export const PACK_PARAMS = [I32, I32, I32, I32, I32, I32];
const SRC = 0,
  LINE_STRIDE = 1,
  STEP_STRIDE = 2,
  PANELS = 3,
  STEPS = 4,
  DST = 5;
/** Locals: the panel's first line at the current step, the step countdown, line offsets 1..7. */
const AT = 6,
  COUNT = 7,
  BASE = 8,
  LINE = 9; // LINE + r - 1 holds r lineStride, r = 1..7

export function packBody(width: number, toFloat32: boolean): number[] {
  const size = toFloat32 ? 4 : 8;
  const code: number[] = [...contiguousPack(width, toFloat32)];
  for (let r = 1; r < width; r++)
    code.push(...get(LINE_STRIDE), ...i32(r), OP.i32Mul, ...set(LINE + r - 1));
  code.push(...get(SRC), ...set(BASE));
  code.push(OP.loop, BLOCK_VOID); // panels
  code.push(...get(BASE), ...set(AT), ...get(STEPS), ...set(COUNT));
  code.push(OP.loop, BLOCK_VOID); // steps
  for (let r = 0; r < width; r++) {
    code.push(...get(DST), ...get(AT));
    if (r > 0) code.push(...get(LINE + r - 1), OP.i32Add);
    code.push(OP.f64Load, ...memarg(3, 0));
    if (toFloat32) code.push(OP.f32DemoteF64, OP.f32Store, ...memarg(2, r * size));
    else code.push(OP.f64Store, ...memarg(3, r * size));
  }
  code.push(...get(AT), ...get(STEP_STRIDE), OP.i32Add, ...set(AT));
  code.push(...get(DST), ...i32(width * size), OP.i32Add, ...set(DST));
  code.push(...get(COUNT), ...i32(1), OP.i32Sub, ...tee(COUNT), OP.brIf, 0, OP.end);
  // next panel: BASE += width lineStride
  code.push(...get(BASE), ...get(LINE_STRIDE), ...i32(width), OP.i32Mul, OP.i32Add, ...set(BASE));
  code.push(...get(PANELS), ...i32(1), OP.i32Sub, ...tee(PANELS), OP.brIf, 0, OP.end);
  code.push(OP.end);
  return functionBody([[3 + width - 1, I32]], code);
}

/**
 * When a panel's lines are neighbours (lineStride 8 bytes: the columns of a row-major B, the
 * rows of a transposed A), each step's `width` numbers sit side by side: copy them two per f64x2
 * load, demoted two at a time by f32x4.demote_f64x2_zero (round to nearest, as f32.demote_f64),
 * then return; any other stride falls through to the loop of single numbers after this block.
 */
function contiguousPack(width: number, toFloat32: boolean): number[] {
  const size = toFloat32 ? 4 : 8;
  const code: number[] = [OP.block, BLOCK_VOID];
  code.push(...get(LINE_STRIDE), ...i32(8), OP.i32Ne, OP.brIf, 0);
  code.push(OP.loop, BLOCK_VOID); // panels
  code.push(...get(SRC), ...set(AT), ...get(STEPS), ...set(COUNT));
  code.push(OP.loop, BLOCK_VOID); // steps
  for (let h = 0; h < width / 2; h++) {
    code.push(...get(DST), ...get(AT), ...simd(SIMD.v128Load, ...memarg(3, 16 * h)));
    if (toFloat32)
      code.push(
        ...simd(SIMD.f32x4DemoteF64x2Zero),
        ...simd(SIMD.v128Store64Lane, ...memarg(3, 8 * h), 0),
      );
    else code.push(...simd(SIMD.v128Store, ...memarg(3, 16 * h)));
  }
  code.push(...get(AT), ...get(STEP_STRIDE), OP.i32Add, ...set(AT));
  code.push(...get(DST), ...i32(width * size), OP.i32Add, ...set(DST));
  code.push(...get(COUNT), ...i32(1), OP.i32Sub, ...tee(COUNT), OP.brIf, 0, OP.end);
  code.push(...get(SRC), ...i32(width * 8), OP.i32Add, ...set(SRC));
  code.push(...get(PANELS), ...i32(1), OP.i32Sub, ...tee(PANELS), OP.brIf, 0, OP.end);
  code.push(OP.return, OP.end);
  return code;
}

export const MOMENTUM_PARAMS = [I32, I32, I32, I32, F64, F64];
const W = 0,
  G = 1,
  V = 2,
  N = 3,
  LR = 4,
  MU = 5;
const PAIRS_END = 6,
  LR2 = 7,
  MU2 = 8,
  VI2 = 9,
  VI = 10;

export function momentumBody(): number[] {
  const code: number[] = [];
  code.push(...get(LR), ...simd(SIMD.f64x2Splat), ...set(LR2));
  code.push(...get(MU), ...simd(SIMD.f64x2Splat), ...set(MU2));
  // pairsEnd = w + (n & ~1) 8
  code.push(...get(W), ...get(N), ...i32(-2), OP.i32And, ...i32(3), OP.i32Shl, OP.i32Add);
  code.push(...set(PAIRS_END));
  code.push(OP.block, BLOCK_VOID);
  code.push(...get(W), ...get(PAIRS_END), OP.i32GeU, OP.brIf, 0);
  code.push(OP.loop, BLOCK_VOID);
  // vi = mu v + lr g
  code.push(
    ...get(MU2),
    ...get(V),
    ...simd(SIMD.v128Load, ...memarg(3, 0)),
    ...simd(SIMD.f64x2Mul),
  );
  code.push(
    ...get(LR2),
    ...get(G),
    ...simd(SIMD.v128Load, ...memarg(3, 0)),
    ...simd(SIMD.f64x2Mul),
  );
  code.push(...simd(SIMD.f64x2Add), ...set(VI2));
  code.push(...get(V), ...get(VI2), ...simd(SIMD.v128Store, ...memarg(3, 0)));
  // w = w - vi
  code.push(...get(W), ...get(W), ...simd(SIMD.v128Load, ...memarg(3, 0)), ...get(VI2));
  code.push(...simd(SIMD.f64x2Sub), ...simd(SIMD.v128Store, ...memarg(3, 0)));
  for (const p of [W, G, V]) code.push(...get(p), ...i32(16), OP.i32Add, ...set(p));
  code.push(...get(W), ...get(PAIRS_END), OP.i32LtU, OP.brIf, 0);
  code.push(OP.end, OP.end);
  // the last entry when n is odd
  code.push(OP.block, BLOCK_VOID);
  code.push(...get(N), ...i32(1), OP.i32And, OP.i32Eqz, OP.brIf, 0);
  code.push(...get(MU), ...get(V), OP.f64Load, ...memarg(3, 0), OP.f64Mul);
  code.push(...get(LR), ...get(G), OP.f64Load, ...memarg(3, 0), OP.f64Mul);
  code.push(OP.f64Add, ...set(VI));
  code.push(...get(V), ...get(VI), OP.f64Store, ...memarg(3, 0));
  code.push(...get(W), ...get(W), OP.f64Load, ...memarg(3, 0), ...get(VI), OP.f64Sub);
  code.push(OP.f64Store, ...memarg(3, 0));
  code.push(OP.end, OP.end);
  return functionBody(
    [
      [1, I32],
      [3, V128],
      [1, F64],
    ],
    code,
  );
}

export const WIDEN_PARAMS = [I32, I32, I32];

export function widenBody(): number[] {
  const SRC_ = 0,
    DST_ = 1,
    N_ = 2;
  const code: number[] = [];
  // two at a time: f64x2.promote_low_f32x4 widens exactly, like f64.promote_f32
  code.push(OP.block, BLOCK_VOID, ...get(N_), ...i32(1), OP.i32ShrU, OP.i32Eqz, OP.brIf, 0);
  code.push(OP.loop, BLOCK_VOID);
  code.push(...get(DST_), ...get(SRC_), ...simd(SIMD.v128Load64Zero, ...memarg(2, 0)));
  code.push(...simd(SIMD.f64x2PromoteLowF32x4), ...simd(SIMD.v128Store, ...memarg(3, 0)));
  code.push(...get(SRC_), ...i32(8), OP.i32Add, ...set(SRC_));
  code.push(...get(DST_), ...i32(16), OP.i32Add, ...set(DST_));
  code.push(...get(N_), ...i32(2), OP.i32Sub, ...tee(N_), ...i32(1), OP.i32GtU, OP.brIf, 0);
  code.push(OP.end, OP.end);
  // the last one when n is odd
  code.push(OP.block, BLOCK_VOID, ...get(N_), OP.i32Eqz, OP.brIf, 0);
  code.push(...get(DST_), ...get(SRC_), OP.f32Load, ...memarg(2, 0), OP.f64PromoteF32);
  code.push(OP.f64Store, ...memarg(3, 0), OP.end);
  code.push(OP.end);
  return functionBody([], code);
}

export const RELU_BACKWARD_PARAMS = [I32, I32, I32, I32];

/** The pair loop shared by both ReLU functions: `pairs` (param index) counts down. */
function pairLoop(pairs: number, pointers: number[], body: number[]): number[] {
  const code: number[] = [OP.block, BLOCK_VOID, ...get(pairs), OP.i32Eqz, OP.brIf, 0];
  code.push(OP.loop, BLOCK_VOID, ...body);
  for (const p of pointers) code.push(...get(p), ...i32(16), OP.i32Add, ...set(p));
  code.push(...get(pairs), ...i32(1), OP.i32Sub, ...tee(pairs), OP.brIf, 0, OP.end, OP.end);
  return code;
}

export function reluForwardBody(): number[] {
  const Z = 0,
    A = 1,
    PAIRS = 2,
    ZERO = 3;
  const load = (p: number) => [...get(p), ...simd(SIMD.v128Load, ...memarg(3, 0))];
  const body = [...get(A), ...get(ZERO), ...load(Z), ...simd(SIMD.f64x2Pmax)];
  body.push(...simd(SIMD.v128Store, ...memarg(3, 0)));
  const code = [...i32(0), ...simd(0x11), ...set(ZERO)]; // i32x4.splat(0): +0.0 in both lanes
  code.push(...pairLoop(PAIRS, [Z, A], body), OP.end);
  return functionBody([[1, V128]], code);
}

export function reluBackwardBody(): number[] {
  const Z = 0,
    DA = 1,
    DZ = 2,
    PAIRS = 3,
    ZERO = 4;
  const load = (p: number) => [...get(p), ...simd(SIMD.v128Load, ...memarg(3, 0))];
  const body = [...get(DZ), ...load(DA), ...load(Z), ...get(ZERO), ...simd(SIMD.f64x2Gt)];
  body.push(...simd(SIMD.v128And), ...simd(SIMD.v128Store, ...memarg(3, 0)));
  const code = [...i32(0), ...simd(0x11), ...set(ZERO)];
  code.push(...pairLoop(PAIRS, [Z, DA, DZ], body), OP.end);
  return functionBody([[1, V128]], code);
}

export const ADAM_PARAMS = [I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64];

export function adamBody(): number[] {
  const [Wp, Gp, Mp, Sp, PAIRS] = [0, 1, 2, 3, 4];
  // f64 parameters 5..12 splat into v128 locals 13..20, then G, M, S at 21..23
  const [LR, B1, OB1, B2, OB2, EPS, C1, C2] = [13, 14, 15, 16, 17, 18, 19, 20];
  const [GV, MV, SV] = [21, 22, 23];
  const code: number[] = [];
  for (let i = 0; i < 8; i++) code.push(...get(5 + i), ...simd(SIMD.f64x2Splat), ...set(13 + i));
  const load = (p: number) => [...get(p), ...simd(SIMD.v128Load, ...memarg(3, 0))];
  const store = (p: number, value: number[]) => [
    ...get(p),
    ...value,
    ...simd(SIMD.v128Store, ...memarg(3, 0)),
  ];
  const mul = simd(SIMD.f64x2Mul),
    add = simd(SIMD.f64x2Add),
    div = simd(SIMD.f64x2Div);
  const body: number[] = [...load(Gp), ...set(GV)];
  // m = b1 m + (1 - b1) g
  body.push(...get(B1), ...load(Mp), ...mul, ...get(OB1), ...get(GV), ...mul, ...add, ...set(MV));
  body.push(...store(Mp, get(MV)));
  // s = b2 s + ((1 - b2) g) g
  body.push(...get(B2), ...load(Sp), ...mul, ...get(OB2), ...get(GV), ...mul, ...get(GV), ...mul);
  body.push(...add, ...set(SV), ...store(Sp, get(SV)));
  // w = w - (lr (m / c1)) / (sqrt(s / c2) + eps)
  const step = [...get(LR), ...get(MV), ...get(C1), ...div, ...mul];
  step.push(...get(SV), ...get(C2), ...div, ...simd(SIMD.f64x2Sqrt), ...get(EPS), ...add, ...div);
  body.push(...store(Wp, [...load(Wp), ...step, ...simd(SIMD.f64x2Sub)]));
  code.push(OP.block, BLOCK_VOID, ...get(PAIRS), OP.i32Eqz, OP.brIf, 0, OP.loop, BLOCK_VOID);
  code.push(...body);
  for (const p of [Wp, Gp, Mp, Sp]) code.push(...get(p), ...i32(16), OP.i32Add, ...set(p));
  code.push(...get(PAIRS), ...i32(1), OP.i32Sub, ...tee(PAIRS), OP.brIf, 0, OP.end, OP.end);
  code.push(OP.end);
  return functionBody([[11, V128]], code);
}

export const SUM_SQUARES_PARAMS = [I32, I32];

/**
 * Σ x² in eight lanes: each step of the loop squares 8 numbers into four f64x2 accumulators, so
 * no sum waits for the one before it (a single running sum is bound by the add's latency).
 */
export function sumSquaresBody(): number[] {
  const X = 0,
    QUADS = 1,
    ACC = 2; // ACC..ACC+3: v128 partial sums; ACC+4: the loaded vector
  const V = ACC + 4;
  const code: number[] = [];
  // pairs of quads: 8 numbers per iteration (the caller passes quads, possibly odd)
  code.push(OP.block, BLOCK_VOID, ...get(QUADS), ...i32(1), OP.i32ShrU, OP.i32Eqz, OP.brIf, 0);
  code.push(OP.loop, BLOCK_VOID);
  for (let j = 0; j < 4; j++) {
    code.push(...get(X), ...simd(SIMD.v128Load, ...memarg(3, 16 * j)), ...tee(V), ...get(V));
    code.push(...simd(SIMD.f64x2Mul), ...get(ACC + j), ...simd(SIMD.f64x2Add), ...set(ACC + j));
  }
  code.push(...get(X), ...i32(64), OP.i32Add, ...set(X));
  code.push(...get(QUADS), ...i32(2), OP.i32Sub, ...tee(QUADS), ...i32(1), OP.i32GtU);
  code.push(OP.brIf, 0, OP.end, OP.end);
  // an odd last quad
  code.push(OP.block, BLOCK_VOID, ...get(QUADS), OP.i32Eqz, OP.brIf, 0);
  for (let j = 0; j < 2; j++) {
    code.push(...get(X), ...simd(SIMD.v128Load, ...memarg(3, 16 * j)), ...tee(V), ...get(V));
    code.push(...simd(SIMD.f64x2Mul), ...get(ACC + j), ...simd(SIMD.f64x2Add), ...set(ACC + j));
  }
  code.push(OP.end);
  // ((acc0 + acc1) + (acc2 + acc3)), then its two lanes
  code.push(...get(ACC), ...get(ACC + 1), ...simd(SIMD.f64x2Add));
  code.push(...get(ACC + 2), ...get(ACC + 3), ...simd(SIMD.f64x2Add), ...simd(SIMD.f64x2Add));
  code.push(...tee(V), ...simd(SIMD.f64x2ExtractLane, 0), ...get(V));
  code.push(...simd(SIMD.f64x2ExtractLane, 1), OP.f64Add);
  code.push(OP.end);
  return functionBody([[5, V128]], code);
}
