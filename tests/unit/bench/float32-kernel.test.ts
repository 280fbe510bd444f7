import { describe, expect, it } from 'vitest';
import { createWasmFloat32Product, stridedProduct32 } from '../../../bench/float32-kernel';

/** The float32 kernels the benchmark measures must compute the same products, to float32 accuracy. */
describe('benchmark float32 kernels', () => {
  const wasm = createWasmFloat32Product();
  const fused = createWasmFloat32Product(true);
  it('the WebAssembly float32 builds run here (plain, and fused with relaxed SIMD)', () => {
    expect(wasm).not.toBeNull();
    expect(fused).not.toBeNull();
  });

  it.each([
    [1, 1, 1],
    [3, 5, 9],
    [4, 7, 8],
    [13, 17, 11],
    [64, 100, 10],
  ])('A B, Aᵀ B and A Bᵀ at %i x %i x %i', (m, k, n) => {
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.7));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 1.3));
    // [aRowStride, aSumStride, bSumStride, bColStride] of A B, Aᵀ B (a read as k x m), A Bᵀ (b as n x k)
    const layouts = [
      [k, 1, n, 1],
      [1, m, n, 1],
      [k, 1, 1, k],
    ];
    for (const [ar, as, bs, bc] of layouts) {
      const expected: number[] = [];
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let p = 0; p < k; p++) sum += a[i * ar + p * as] * b[p * bs + j * bc];
          expected.push(sum);
        }
      for (const product of [stridedProduct32, wasm!, fused!]) {
        const out = new Float32Array(m * n).fill(7);
        product(a, ar, as, b, bs, bc, out, m, n, k);
        out.forEach((v, q) => expect(v).toBeCloseTo(expected[q], 4));
      }
    }
  });
});
