/**
 * The dense (fully connected) layer's maths, batches as rows (DESIGN.md §2):
 *   forward   Z = A_prev W + b          A_prev: B x in, W: in x out, b: out, Z: B x out
 *   backward  dW = A_prevᵀ dZ,  db = column sums of dZ,  dA_prev = dZ Wᵀ
 * Every output is a preallocated buffer; products go through the network's kernel (matmul.ts).
 */
import type { MatmulKernel } from './matmul';
import type { Matrix } from './matrix';

/** Z = A_prev W + b (b added to every row). */
export function denseForward(
  kernel: MatmulKernel,
  Aprev: Matrix,
  W: Matrix,
  b: Float64Array,
  Z: Matrix,
): void {
  kernel.matmul(Aprev, W, Z);
  const z = Z.data,
    rows = Z.rows,
    cols = Z.cols;
  for (let i = 0; i < rows; i++) {
    const offset = i * cols;
    for (let j = 0; j < cols; j++) z[offset + j] += b[j];
  }
}

/**
 * dW = A_prevᵀ dZ, db_j = Σ_i dZ_ij, and dA_prev = dZ Wᵀ unless `dAprev` is null (the first
 * layer has nothing to pass the gradient to).
 */
export function denseBackward(
  kernel: MatmulKernel,
  Aprev: Matrix,
  W: Matrix,
  dZ: Matrix,
  dW: Matrix,
  db: Float64Array,
  dAprev: Matrix | null,
): void {
  kernel.matmulTransA(Aprev, dZ, dW);
  const dz = dZ.data,
    rows = dZ.rows,
    cols = dZ.cols;
  db.fill(0, 0, cols);
  for (let i = 0; i < rows; i++) {
    const offset = i * cols;
    for (let j = 0; j < cols; j++) db[j] += dz[offset + j];
  }
  if (dAprev) kernel.matmulTransB(dZ, W, dAprev);
}
