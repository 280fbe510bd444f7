/**
 * Parameters in the network's WebAssembly memory (kernels/wasm-arena.ts): training gives the
 * same bits as with plain arrays (products packed in place, momentum as f64x2 SIMD, every
 * optimizer's state borrowed from the arena), in float64 and in float32; the arena's reusable
 * room is given back; the momentum and ReLU functions match the JavaScript loops bit for bit.
 */
import { describe, expect, it } from 'vitest';
import {
  StepPrecisionKernel,
  wasmFloat32Kernel,
  wasmSimdKernel,
  type MatmulKernel,
} from '../../../src/lib/engine/matmul';
import {
  arenaOf,
  commonArena,
  float32TilesFused,
  WasmArena,
} from '../../../src/lib/engine/kernels/wasm-arena';
import { kernelModuleBytes } from '../../../src/lib/engine/kernels/wasm-module';
import { pack, packInPlace } from '../../../src/lib/engine/kernels/wasm-packing';
import {
  reluBackwardInModule,
  reluForwardInModule,
  reluInModule,
} from '../../../src/lib/engine/kernels/wasm-elementwise';
import { relu } from '../../../src/lib/engine/activations';
import { createNetwork, lossAndGradients, type Network } from '../../../src/lib/engine/network';
import { createOptimizer } from '../../../src/lib/engine/optimizers/index';
import { createRng } from '../../../src/lib/engine/rng';
import { OPTIMIZER_NAMES, type OptimizerName } from '../../../src/lib/engine/settings';
import type { ActivationName } from '../../../src/lib/engine/spec';
import { chainSpec, randomMatrix, targetsFor, type Head } from './helpers';

const bits = (arrays: readonly Float64Array[]) =>
  arrays.map((a) => Array.from(new BigUint64Array(a.slice().buffer), String));

/** `steps` steps of `optimizer` from seed-drawn weights; returns the network. */
function train(
  memory: 'webassembly' | 'javascript',
  kernel: MatmulKernel,
  optimizer: OptimizerName,
  shape: { inputs: number; hidden: number; outputs: number; depth: number; batch: number },
  activation: ActivationName,
  head: Head,
  steps = 3,
): Network {
  const spec = chainSpec({ ...shape, activation, head });
  const net = createNetwork(spec, createRng(5), { kernel, parameterMemory: memory });
  const opt = createOptimizer({ name: optimizer, learningRate: 0.05 });
  const rng = createRng(9);
  for (let s = 0; s < steps; s++) {
    const X = randomMatrix(shape.batch, shape.inputs, rng);
    const Y = targetsFor(head, shape.batch, shape.outputs, rng);
    lossAndGradients(net, X, Y, { l1: 0, l2: 1e-3 });
    opt.step(net.parameterArrays, net.gradientArrays);
  }
  return net;
}

it('the kernel module validates in Node (so the tests below are not skipped)', () => {
  for (const fusedFloat32 of [false, true]) {
    const bytes = kernelModuleBytes({ fusedFloat32 });
    expect(WebAssembly.validate(bytes)).toBe(true);
    // Chromium compiles modules over 4 KB synchronously only off the main thread.
    expect(bytes.length).toBeLessThan(4096);
  }
  expect(wasmSimdKernel).not.toBeNull();
  // The engine picked the fused float32 build: src/cli/relaxed-simd.ts (the unit tests' setup,
  // as in the CLI and the benchmarks) turned relaxed SIMD on in this Node.
  expect(float32TilesFused()).toBe(true);
});

it('the fused build has the plain build’s exports and eight fused multiply-adds more', () => {
  const plain = kernelModuleBytes(),
    fused = kernelModuleBytes({ fusedFloat32: true });
  const exportsOf = (bytes: Uint8Array<ArrayBuffer>) =>
    WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
  expect(exportsOf(fused)).toEqual(exportsOf(plain));
  // f32x4.relaxed_madd (0xfd 0x85 0x02) appears 8 times (a 4 x 8 tile's eight accumulators),
  // and nowhere in the plain build.
  const madds = (bytes: Uint8Array) =>
    bytes.filter((b, i) => b === 0xfd && bytes[i + 1] === 0x85 && bytes[i + 2] === 0x02).length;
  expect(madds(plain)).toBe(0);
  expect(madds(fused)).toBe(8);
});

describe.runIf(wasmSimdKernel !== null)('parameters in a WebAssembly arena', () => {
  // Widths off the tile sizes, an input longer than a sum chunk (128), a batch over a row chunk.
  const shapes = [
    { inputs: 37, hidden: 29, outputs: 3, depth: 3, batch: 7 },
    { inputs: 200, hidden: 64, outputs: 10, depth: 2, batch: 300 },
  ];

  it('are where the option puts them', () => {
    const spec = chainSpec({ ...shapes[0], activation: 'relu', head: 'mse' });
    const inArena = createNetwork(spec, createRng(1), { parameterMemory: 'webassembly' });
    const plain = createNetwork(spec, createRng(1), { parameterMemory: 'javascript' });
    expect(commonArena(...inArena.parameterArrays, ...inArena.gradientArrays)).toBeDefined();
    expect(plain.parameterArrays.some((a) => arenaOf(a) !== undefined)).toBe(false);
    expect(bits(inArena.parameterArrays)).toEqual(bits(plain.parameterArrays));
  });

  for (const shape of shapes)
    for (const optimizer of OPTIMIZER_NAMES)
      it(`train to the same bits as plain arrays: ${optimizer}, ${shape.inputs}-${shape.hidden}x${shape.depth - 1}-${shape.outputs}, batch ${shape.batch}`, () => {
        const inArena = train(
          'webassembly',
          wasmSimdKernel!,
          optimizer,
          shape,
          'tanh',
          'softmax+cross_entropy',
        );
        const plain = train(
          'javascript',
          wasmSimdKernel!,
          optimizer,
          shape,
          'tanh',
          'softmax+cross_entropy',
        );
        expect(bits(inArena.parameterArrays)).toEqual(bits(plain.parameterArrays));
        expect(bits(inArena.gradientArrays)).toEqual(bits(plain.gradientArrays));
      });

  it.runIf(wasmFloat32Kernel !== null)('train to the same bits in float32 steps', () => {
    const float32 = () => {
      const kernel = new StepPrecisionKernel(wasmSimdKernel!);
      return {
        kernel,
        run: (memory: 'webassembly' | 'javascript') =>
          kernel.within('float32', () =>
            train(memory, kernel, 'momentum', shapes[1], 'relu', 'mse'),
          ),
      };
    };
    const a = float32().run('webassembly'),
      b = float32().run('javascript');
    expect(bits(a.parameterArrays)).toEqual(bits(b.parameterArrays));
  });

  it('give optimizer state back on reset, and hand out zeros again', () => {
    const spec = chainSpec({ ...shapes[0], activation: 'relu', head: 'mse' });
    const net = createNetwork(spec, createRng(1), { parameterMemory: 'webassembly' });
    net.gradientArrays.forEach((g) => g.fill(1));
    // Many optimizers in turn, each reset before the next: the room never runs out.
    for (let i = 0; i < 20; i++) {
      const opt = createOptimizer({ name: 'adam', learningRate: 0.1 });
      const before = net.parameterArrays.map((p) => p.slice());
      opt.step(net.parameterArrays, net.gradientArrays);
      // Adam's first step from zero state moves every weight by lr (m̂ = g, ŝ = g²).
      net.parameterArrays.forEach((p, k) =>
        p.forEach((w, j) => expect(before[k][j] - w).toBeCloseTo(0.1, 6)),
      );
      opt.reset();
    }
    const arena = arenaOf(net.parameterArrays[0])!;
    const a = arena.borrow(10)!;
    expect(a).not.toBeNull();
    expect(Array.from(a)).toEqual(new Array(10).fill(0));
  });

  it('lends plain arrays once its room is taken', () => {
    const arena = WasmArena.create([6], 1, 0)!;
    const first = arena.borrow(6)!;
    expect(arenaOf(first)).toBe(arena);
    expect(arena.borrow(6)).toBeNull();
    arena.release(first);
    expect(arena.borrow(6)).not.toBeNull();
  });
});

describe.runIf(wasmSimdKernel !== null)('the module momentum update', () => {
  it.each([0, 1, 2, 7, 64, 1001])('matches the JavaScript loop bit for bit on %i entries', (n) => {
    // allocate() hands out 2 x 3 arrays' room (parameters and gradients): w, g, v here.
    const state = WasmArena.create([n, n, n], 0, 0)!;
    const [sw, sg, sv] = [state.allocate(n), state.allocate(n), state.allocate(n)];
    const rng = createRng(n);
    for (let i = 0; i < n; i++) {
      sw[i] = rng.normal();
      sg[i] = rng.normal();
      sv[i] = rng.normal();
    }
    const jw = sw.slice(),
      jv = sv.slice();
    const lr = 0.013,
      mu = 0.9;
    for (let i = 0; i < n; i++) {
      const vi = mu * jv[i] + lr * sg[i];
      jv[i] = vi;
      jw[i] -= vi;
    }
    state.kernels.momentum(sw.byteOffset, sg.byteOffset, sv.byteOffset, n, lr, mu);
    expect(bits([sw, sv])).toEqual(bits([jw, jv]));
  });
});

describe.runIf(reluInModule)('the module ReLU', () => {
  /** Standard normals with the awkward values mixed in: ±0, NaN, ±Infinity, tiny numbers. */
  function awkward(n: number, seed: number): Float64Array {
    const rng = createRng(seed);
    const special = [0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324];
    return Float64Array.from({ length: n }, (_, i) =>
      i % 5 === 0 ? special[(i / 5) % special.length] : rng.normal(),
    );
  }

  it.each([256, 257, 1001, 4096])('gives the JavaScript loops’ bits on %i entries', (n) => {
    const z = awkward(n, n),
      dA = awkward(n, n + 1);
    const a = new Float64Array(n),
      dz = new Float64Array(n);
    reluForwardInModule(z, a, n);
    reluBackwardInModule(z, dA, dz, n);
    const jsA = z.map((v) => (v > 0 ? v : 0)),
      jsDz = z.map((v, i) => (v > 0 ? dA[i] : 0));
    expect(bits([a, dz])).toEqual(bits([jsA, jsDz]));
    // dZ may be the same array as dA
    const same = dA.slice();
    reluBackwardInModule(z, same, same, n);
    expect(bits([same])).toEqual(bits([jsDz]));
  });

  it('is what relu uses on large matrices (same bits as on small ones, entry by entry)', () => {
    const n = 64 * 33;
    const Z = { rows: 64, cols: 33, data: awkward(n, 3) };
    const A = { rows: 64, cols: 33, data: new Float64Array(n) };
    relu.forward(Z, A);
    const row = { rows: 1, cols: 33, data: new Float64Array(33) };
    for (let r = 0; r < 64; r++) {
      relu.forward({ rows: 1, cols: 33, data: Z.data.slice(r * 33, r * 33 + 33) }, row);
      expect(bits([A.data.slice(r * 33, r * 33 + 33)])).toEqual(bits([row.data]));
    }
  });
});

describe.runIf(wasmSimdKernel !== null)('the module packing and widening', () => {
  /** Normals with ±0, ±Infinity and numbers that round differently in float32 mixed in. */
  function values(n: number, seed: number): Float64Array {
    const rng = createRng(seed);
    const special = [0, -0, Infinity, -Infinity, 1 + 2 ** -24, 1 + 3 * 2 ** -25, 3.4e38, 5e-324];
    return Float64Array.from({ length: n }, (_, i) =>
      i % 7 === 0 ? special[(i / 7) % special.length] : rng.normal(),
    );
  }

  // Neighbouring lines (stride 1: the two-at-a-time path) and strided ones (the single path).
  it.each([
    [4, false, 1],
    [4, false, 13],
    [4, true, 1],
    [4, true, 13],
    [8, true, 1],
    [8, true, 13],
  ] as const)(
    'pack (width %i, float32 %s, line stride %i) gives the JavaScript bits',
    (width, f32, lineStride) => {
      const lines = 3 * width + 1,
        steps = 5,
        stepStride = lineStride === 1 ? lines + 3 : 1;
      const span = (lines - 1) * lineStride + (steps - 1) * stepStride + 1;
      const arena = WasmArena.create([span], 0, 2 * lines * steps + 16)!;
      const src = arena.allocate(span);
      src.set(values(span, width + lineStride));
      const heap = f32 ? arena.f32 : arena.f64;
      const at = arena.scratchAt * (f32 ? 2 : 1);
      const fn = f32
        ? width === 8
          ? arena.kernels.pack32x8
          : arena.kernels.pack32x4
        : arena.kernels.pack64x4;
      packInPlace(fn, heap, width, src, 0, lineStride, stepStride, lines, steps, at);
      const inModule = heap.slice(at, at + Math.ceil(lines / width) * width * steps);
      const plain = f32 ? new Float32Array(inModule.length) : new Float64Array(inModule.length);
      pack(plain, width, src.slice(), 0, lineStride, stepStride, lines, steps, 0);
      const asBits = (a: Float32Array | Float64Array) =>
        Array.from(
          a instanceof Float32Array
            ? new Uint32Array(a.slice().buffer)
            : new BigUint64Array(a.slice().buffer),
          String,
        );
      expect(asBits(inModule)).toEqual(asBits(plain));
    },
  );

  it.each([0, 1, 2, 3, 8, 33])(
    'widen32 gives float32 values exactly as float64 on %i entries',
    (n) => {
      const arena = WasmArena.create([2 * n + 2], 0, 0)!;
      const out = arena.allocate(n),
        scratch = arena.allocate(n + 2);
      const floats = new Float32Array(arena.f32.buffer, scratch.byteOffset, n);
      floats.set(values(n, n));
      out.fill(7);
      arena.kernels.widen32(floats.byteOffset, out.byteOffset, n);
      expect(bits([out])).toEqual(bits([Float64Array.from(floats)]));
    },
  );
});
