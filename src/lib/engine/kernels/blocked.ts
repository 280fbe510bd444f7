/**
 * The engine's fast matrix product: register blocking over 4 x 4 tiles of the output.
 *
 * All three products the dense layer needs (A B, Aᵀ B, A Bᵀ) are the same sum
 *   out[i][j] = Σ_p A(i, p) B(p, j)
 * read through different strides, so one strided kernel serves them all:
 *   A(i, p) = a[i * aRowStride + p * aSumStride],   B(p, j) = b[p * bSumStride + j * bColStride].
 *
 * For each 4 x 4 tile the 16 partial sums live in local variables (registers once V8 optimises
 * the loop), and every step of the sum loads 4 numbers of A and 4 of B for 16 multiply-adds,
 * where the plain i-k-j loop loads and stores the output for every single multiply-add.
 * Each output entry is still summed over p in order 0, 1, ..., k-1 starting from 0, exactly like
 * referenceKernel, so both kernels give bit-identical results.
 * Rows and columns left over when m or n is not a multiple of 4 are summed one entry at a time.
 * Nothing here allocates.
 */
import type { MatmulKernel } from './kernel';
import { stridedKernel } from './strided';

/** Output tiles are TILE x TILE; the unrolled body below is written for 4. */
const TILE = 4;

/**
 * out (m x n) = Σ_p A(i, p) B(p, j) over p < k, with A and B read through strides (see above).
 * `out` is row-major with n columns and must not alias a or b.
 */
export function stridedProduct(
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
): void {
  const mTiles = m - (m % TILE),
    nTiles = n - (n % TILE);
  const a1 = aRowStride,
    a2 = 2 * aRowStride,
    a3 = 3 * aRowStride;
  const b1 = bColStride,
    b2 = 2 * bColStride,
    b3 = 3 * bColStride;
  const aEnd = k * aSumStride;
  for (let i = 0; i < mTiles; i += TILE) {
    const aRow = i * aRowStride;
    for (let j = 0; j < nTiles; j += TILE) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0,
        c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      // pa walks A's four rows along the sum, pb walks B's four columns.
      for (let pa = aRow, pb = j * bColStride, end = aRow + aEnd; pa < end; pa += aSumStride) {
        const x0 = a[pa],
          x1 = a[pa + a1],
          x2 = a[pa + a2],
          x3 = a[pa + a3];
        const y0 = b[pb],
          y1 = b[pb + b1],
          y2 = b[pb + b2],
          y3 = b[pb + b3];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
        pb += bSumStride;
      }
      let q = i * n + j;
      out[q] = c00;
      out[q + 1] = c01;
      out[q + 2] = c02;
      out[q + 3] = c03;
      q += n;
      out[q] = c10;
      out[q + 1] = c11;
      out[q + 2] = c12;
      out[q + 3] = c13;
      q += n;
      out[q] = c20;
      out[q + 1] = c21;
      out[q + 2] = c22;
      out[q + 3] = c23;
      q += n;
      out[q] = c30;
      out[q + 1] = c31;
      out[q + 2] = c32;
      out[q + 3] = c33;
    }
  }
  // The columns right of the last full tile (all rows), then the rows below it.
  if (nTiles < n)
    singleEntries(a, aRowStride, aSumStride, b, bSumStride, bColStride, out, 0, m, nTiles, n, n, k);
  if (mTiles < m)
    singleEntries(
      a,
      aRowStride,
      aSumStride,
      b,
      bSumStride,
      bColStride,
      out,
      mTiles,
      m,
      0,
      nTiles,
      n,
      k,
    );
}

/** out[i][j] for i in [i0, i1), j in [j0, j1), one dot product each. */
function singleEntries(
  a: Float64Array,
  aRowStride: number,
  aSumStride: number,
  b: Float64Array,
  bSumStride: number,
  bColStride: number,
  out: Float64Array,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
  n: number,
  k: number,
): void {
  for (let i = i0; i < i1; i++)
    for (let j = j0; j < j1; j++) {
      let sum = 0;
      for (let p = 0, pa = i * aRowStride, pb = j * bColStride; p < k; p++) {
        sum += a[pa] * b[pb];
        pa += aSumStride;
        pb += bSumStride;
      }
      out[i * n + j] = sum;
    }
}

export const blockedKernel: MatmulKernel = stridedKernel(stridedProduct);
