/**
 * All three products a dense layer needs (A·B, Aᵀ·B, A·Bᵀ) are one sum read through different
 * strides, so a kernel only has to supply the strided product; this turns it into a MatmulKernel.
 */
import type { Matrix } from '../matrix';
import type { MatmulKernel } from './kernel';

/** out(i, j) = Σ_p a[i·aRowStride + p·aSumStride] · b[p·bSumStride + j·bColStride], for m × n × k. */
export type StridedProduct = (
  a: Float64Array,
  aRowStride: number,
  aSumStride: number,
  b: Float64Array,
  bSumStride: number,
  bColStride: number,
  out: Float64Array,
  m: number,
  n: number,
  k: number,
) => void;

export function stridedKernel(product: StridedProduct): MatmulKernel {
  return {
    matmul(A: Matrix, B: Matrix, out: Matrix) {
      // A(i, p) = a[i k + p],  B(p, j) = b[p n + j]
      const k = A.cols,
        n = B.cols;
      product(A.data, k, 1, B.data, n, 1, out.data, A.rows, n, k);
    },
    matmulTransA(A: Matrix, B: Matrix, out: Matrix) {
      // Aᵀ(i, p) = a[p m + i],  B(p, j) = b[p n + j]
      const m = A.cols,
        n = B.cols;
      product(A.data, 1, m, B.data, n, 1, out.data, m, n, A.rows);
    },
    matmulTransB(A: Matrix, B: Matrix, out: Matrix) {
      // A(i, p) = a[i k + p],  Bᵀ(p, j) = b[j k + p]
      const k = A.cols;
      product(A.data, k, 1, B.data, 1, k, out.data, A.rows, B.rows, k);
    },
  };
}
