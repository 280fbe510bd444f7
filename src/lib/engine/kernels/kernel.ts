/**
 * The matrix-product kernel contract every dense layer calls, and the plain reference loops every
 * faster kernel is tested against. Every function overwrites `out`, which must not alias an input.
 */
import type { Matrix } from '../matrix';

export interface MatmulKernel {
  /** out = A @ B   (A: m x k, B: k x n, out: m x n) */
  matmul(A: Matrix, B: Matrix, out: Matrix): void;
  /** out = Aᵀ @ B  (A: k x m, B: k x n, out: m x n) */
  matmulTransA(A: Matrix, B: Matrix, out: Matrix): void;
  /** out = A @ Bᵀ  (A: m x k, B: n x k, out: m x n) */
  matmulTransB(A: Matrix, B: Matrix, out: Matrix): void;
}

/** Straightforward i-k-j loops: the reference every faster kernel is tested against. */
export const referenceKernel: MatmulKernel = {
  matmul(A, B, out) {
    const m = A.rows,
      k = A.cols,
      n = B.cols;
    const a = A.data,
      b = B.data,
      o = out.data;
    o.fill(0, 0, m * n);
    for (let i = 0; i < m; i++)
      for (let p = 0; p < k; p++) {
        const aip = a[i * k + p];
        for (let j = 0; j < n; j++) o[i * n + j] += aip * b[p * n + j];
      }
  },
  matmulTransA(A, B, out) {
    const k = A.rows,
      m = A.cols,
      n = B.cols;
    const a = A.data,
      b = B.data,
      o = out.data;
    o.fill(0, 0, m * n);
    for (let p = 0; p < k; p++)
      for (let i = 0; i < m; i++) {
        const api = a[p * m + i];
        for (let j = 0; j < n; j++) o[i * n + j] += api * b[p * n + j];
      }
  },
  matmulTransB(A, B, out) {
    const m = A.rows,
      k = A.cols,
      n = B.rows;
    const a = A.data,
      b = B.data,
      o = out.data;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
        o[i * n + j] = s;
      }
  },
};
