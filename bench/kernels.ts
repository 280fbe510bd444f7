/**
 * The matrix products alone: every product one training step of a network needs
 * (forward A W, weight gradient Aᵀ dZ, input gradient dZ Wᵀ except for the first layer), timed
 * per kernel. This isolates the kernel from the rest of the step and compares float64 with float32.
 */
import {
  blockedKernel,
  referenceKernel,
  zeros,
  wasmSimdKernel,
  type MatmulKernel,
  type Matrix,
} from '../src/lib/engine/index';
import { createTileLoop, createWasmFloat32Product, stridedProduct32 } from './float32-kernel';
import type { BenchNetwork } from './networks';
import { median } from './statistics';

export interface KernelResult {
  network: string;
  kernel: string;
  gflops: number;
}

type Product = () => void;

/** The products of one step in float64, through `kernel`. */
function float64Products(network: BenchNetwork, kernel: MatmulKernel): Product[] {
  const B = network.batchSize;
  const products: Product[] = [];
  for (let l = 0; l + 1 < network.sizes.length; l++) {
    const fanIn = network.sizes[l],
      fanOut = network.sizes[l + 1];
    const A = filled(B, fanIn),
      W = filled(fanIn, fanOut),
      Z = zeros(B, fanOut),
      dZ = filled(B, fanOut),
      dW = zeros(fanIn, fanOut),
      dA = zeros(B, fanIn);
    products.push(() => kernel.matmul(A, W, Z));
    products.push(() => kernel.matmulTransA(A, dZ, dW));
    if (l > 0) products.push(() => kernel.matmulTransB(dZ, W, dA));
  }
  return products;
}

/** The same products on Float32Array buffers through a float32 kernel. */
function float32Products(network: BenchNetwork, product: typeof stridedProduct32): Product[] {
  const B = network.batchSize;
  const products: Product[] = [];
  for (let l = 0; l + 1 < network.sizes.length; l++) {
    const fanIn = network.sizes[l],
      fanOut = network.sizes[l + 1];
    const A = Float32Array.from(filled(B, fanIn).data),
      W = Float32Array.from(filled(fanIn, fanOut).data),
      Z = new Float32Array(B * fanOut),
      dZ = Float32Array.from(filled(B, fanOut).data),
      dW = new Float32Array(fanIn * fanOut),
      dA = new Float32Array(B * fanIn);
    products.push(() => product(A, fanIn, 1, W, fanOut, 1, Z, B, fanOut, fanIn));
    products.push(() => product(A, 1, fanIn, dZ, fanOut, 1, dW, fanIn, fanOut, B));
    if (l > 0) products.push(() => product(dZ, fanOut, 1, W, 1, fanOut, dA, B, fanIn, fanOut));
  }
  return products;
}

function filled(rows: number, cols: number): Matrix {
  const m = zeros(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = Math.sin(i) * 0.5;
  return m;
}

/** m x k times k x n of every product above, in the same order. */
function productShapes(network: BenchNetwork): { m: number; n: number; k: number }[] {
  const B = network.batchSize,
    s = network.sizes;
  const shapes: { m: number; n: number; k: number }[] = [];
  for (let l = 0; l + 1 < s.length; l++) {
    shapes.push({ m: B, k: s[l], n: s[l + 1] }); // A W
    shapes.push({ m: s[l], k: B, n: s[l + 1] }); // Aᵀ dZ
    if (l > 0) shapes.push({ m: B, k: s[l + 1], n: s[l] }); // dZ Wᵀ
  }
  return shapes;
}

/** FLOPs of the products above: 2 per multiply-add. */
function productFlops(network: BenchNetwork): number {
  return productShapes(network).reduce((flops, { m, n, k }) => flops + 2 * m * n * k, 0);
}

function timeProducts(products: Product[], seconds: number): number {
  const run = () => {
    for (const p of products) p();
  };
  for (let i = 0; i < 5; i++) run();
  let reps = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    run();
    reps++;
    elapsed = performance.now() - start;
  }
  return reps / (elapsed / 1000);
}

/** GFLOP/s per kernel: the median of `rounds` rounds that visit the kernels in turn. */
export function benchmarkKernels(
  network: BenchNetwork,
  seconds: number,
  rounds: number,
): KernelResult[] {
  const flops = productFlops(network);
  const variants: [string, Product[]][] = [
    ['reference i-k-j, float64', float64Products(network, referenceKernel)],
    ['JavaScript blocked 4x4, float64', float64Products(network, blockedKernel)],
    ['JavaScript blocked 4x4, float32', float32Products(network, stridedProduct32)],
  ];
  if (wasmSimdKernel)
    variants.push(['WebAssembly SIMD 4x4, float64', float64Products(network, wasmSimdKernel)]);
  const wasmFloat32 = createWasmFloat32Product();
  if (wasmFloat32)
    variants.push(['WebAssembly SIMD 4x8, float32', float32Products(network, wasmFloat32)]);
  const shapes = productShapes(network);
  for (const precision of ['float64', 'float32'] as const) {
    const loop = createTileLoop(precision, shapes);
    if (loop) variants.push([`WebAssembly SIMD tile loop alone, ${precision}`, [loop]]);
  }
  // The tiles float32 training uses where relaxed SIMD exists (kernels/wasm-module.ts).
  const fusedLoop = createTileLoop('float32', shapes, true);
  if (fusedLoop)
    variants.push(['WebAssembly SIMD tile loop alone, float32 fused multiply-add', [fusedLoop]]);
  const rates: number[][] = variants.map(() => []);
  for (let r = 0; r < rounds; r++)
    variants.forEach(([, products], v) => rates[v].push(timeProducts(products, seconds)));
  return variants.map(([kernel], v) => ({
    network: network.name,
    kernel,
    gflops: (median(rates[v]) * flops) / 1e9,
  }));
}
