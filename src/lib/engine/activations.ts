/**
 * Activation functions (DESIGN.md §2). Each one is an object with its forward map and, right
 * below it, its local backward: given Z, A = f(Z) and dA = dC/dA, fill dZ = dC/dZ.
 * Every function writes into a preallocated matrix of Z's shape and allocates nothing.
 */
import type { Matrix } from './matrix';
import type { ActivationName } from './spec';
import {
  reluBackwardInModule,
  reluForwardInModule,
  reluInModule,
} from './kernels/wasm-elementwise';

export interface Activation {
  readonly name: ActivationName;
  /** A = f(Z). */
  forward(Z: Matrix, A: Matrix): void;
  /** dZ = dC/dZ from Z, A = f(Z) and dA = dC/dA. dZ may be the same matrix as dA. */
  backward(Z: Matrix, A: Matrix, dA: Matrix, dZ: Matrix): void;
}

export const DEFAULT_LEAKY_RELU_ALPHA = 0.01;
export const DEFAULT_ELU_ALPHA = 1;

/** f(z) = z;  f'(z) = 1 */
export const identity: Activation = {
  name: 'identity',
  forward(Z, A) {
    A.data.set(Z.data.subarray(0, Z.rows * Z.cols));
  },
  backward(_Z, _A, dA, dZ) {
    if (dZ !== dA) dZ.data.set(dA.data.subarray(0, dA.rows * dA.cols));
  },
};

/** σ(z) = 1 / (1 + e^-z), written so that e^x never overflows. */
export function sigmoidOf(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** f(z) = σ(z);  f'(z) = σ(z)(1 - σ(z)) = A(1 - A) */
export const sigmoid: Activation = {
  name: 'sigmoid',
  forward(Z, A) {
    const z = Z.data,
      a = A.data,
      n = Z.rows * Z.cols;
    for (let i = 0; i < n; i++) a[i] = sigmoidOf(z[i]);
  },
  backward(_Z, A, dA, dZ) {
    const a = A.data,
      da = dA.data,
      dz = dZ.data,
      n = A.rows * A.cols;
    for (let i = 0; i < n; i++) dz[i] = da[i] * a[i] * (1 - a[i]);
  },
};

/** f(z) = tanh z;  f'(z) = 1 - tanh² z = 1 - A² */
export const tanh: Activation = {
  name: 'tanh',
  forward(Z, A) {
    const z = Z.data,
      a = A.data,
      n = Z.rows * Z.cols;
    for (let i = 0; i < n; i++) a[i] = Math.tanh(z[i]);
  },
  backward(_Z, A, dA, dZ) {
    const a = A.data,
      da = dA.data,
      dz = dZ.data,
      n = A.rows * A.cols;
    for (let i = 0; i < n; i++) dz[i] = da[i] * (1 - a[i] * a[i]);
  },
};

/** Below this many entries ReLU stays in JavaScript (the module's copies cost more there). */
const RELU_MODULE_MIN = 256;

/**
 * f(z) = max(0, z);  f'(z) = 1 if z > 0 else 0 (0 at z = 0, by convention). Large matrices go
 * through the WebAssembly module (kernels/wasm-elementwise.ts: no branch per entry), same bits.
 */
export const relu: Activation = {
  name: 'relu',
  forward(Z, A) {
    const z = Z.data,
      a = A.data,
      n = Z.rows * Z.cols;
    if (reluInModule && n >= RELU_MODULE_MIN) return reluForwardInModule(z, a, n);
    for (let i = 0; i < n; i++) a[i] = z[i] > 0 ? z[i] : 0;
  },
  backward(Z, _A, dA, dZ) {
    const z = Z.data,
      da = dA.data,
      dz = dZ.data,
      n = Z.rows * Z.cols;
    if (reluInModule && n >= RELU_MODULE_MIN) return reluBackwardInModule(z, da, dz, n);
    for (let i = 0; i < n; i++) dz[i] = z[i] > 0 ? da[i] : 0;
  },
};

/** f(z) = z if z > 0 else αz;  f'(z) = 1 if z > 0 else α */
export function leakyRelu(alpha: number = DEFAULT_LEAKY_RELU_ALPHA): Activation {
  return {
    name: 'leaky_relu',
    forward(Z, A) {
      const z = Z.data,
        a = A.data,
        n = Z.rows * Z.cols;
      for (let i = 0; i < n; i++) a[i] = z[i] > 0 ? z[i] : alpha * z[i];
    },
    backward(Z, _A, dA, dZ) {
      const z = Z.data,
        da = dA.data,
        dz = dZ.data,
        n = Z.rows * Z.cols;
      for (let i = 0; i < n; i++) dz[i] = z[i] > 0 ? da[i] : alpha * da[i];
    },
  };
}

/**
 * f(z) = z if z > 0 else α(e^z - 1);  f'(z) = 1 if z > 0 else αe^z = A + α
 * (with α = 1 the derivative is continuous at 0).
 */
export function elu(alpha: number = DEFAULT_ELU_ALPHA): Activation {
  return {
    name: 'elu',
    forward(Z, A) {
      const z = Z.data,
        a = A.data,
        n = Z.rows * Z.cols;
      for (let i = 0; i < n; i++) a[i] = z[i] > 0 ? z[i] : alpha * Math.expm1(z[i]);
    },
    backward(Z, A, dA, dZ) {
      const z = Z.data,
        a = A.data,
        da = dA.data,
        dz = dZ.data,
        n = Z.rows * Z.cols;
      for (let i = 0; i < n; i++) dz[i] = z[i] > 0 ? da[i] : da[i] * (a[i] + alpha);
    },
  };
}

/**
 * Row-wise softmax: A_ik = e^(Z_ik - m_i) / Σ_j e^(Z_ij - m_i) with m_i the row max, so the
 * largest exponent is e^0 = 1 and huge logits cannot overflow.
 * Backward is the row-wise Jacobian-vector product: dZ_ik = A_ik (dA_ik - Σ_j dA_ij A_ij).
 * (After cross_entropy the network uses the fused gradient (P - T)/B instead; this general form
 * is what makes softmax + mse work.)
 */
export const softmax: Activation = {
  name: 'softmax',
  forward(Z, A) {
    const z = Z.data,
      a = A.data,
      rows = Z.rows,
      cols = Z.cols;
    for (let i = 0; i < rows; i++) {
      const start = i * cols,
        end = start + cols;
      let max = -Infinity;
      for (let k = start; k < end; k++) if (z[k] > max) max = z[k];
      let sum = 0;
      for (let k = start; k < end; k++) {
        const e = Math.exp(z[k] - max);
        a[k] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let k = start; k < end; k++) a[k] *= inv;
    }
  },
  backward(_Z, A, dA, dZ) {
    const a = A.data,
      da = dA.data,
      dz = dZ.data,
      rows = A.rows,
      cols = A.cols;
    for (let i = 0; i < rows; i++) {
      const start = i * cols,
        end = start + cols;
      let dot = 0;
      for (let k = start; k < end; k++) dot += da[k] * a[k];
      for (let k = start; k < end; k++) dz[k] = a[k] * (da[k] - dot);
    }
  },
};

/** The activation called `name`; `alpha` is leaky_relu's slope or elu's alpha (defaults apply). */
export function createActivation(name: ActivationName, alpha?: number): Activation {
  switch (name) {
    case 'identity':
      return identity;
    case 'sigmoid':
      return sigmoid;
    case 'tanh':
      return tanh;
    case 'relu':
      return relu;
    case 'leaky_relu':
      return leakyRelu(alpha ?? DEFAULT_LEAKY_RELU_ALPHA);
    case 'elu':
      return elu(alpha ?? DEFAULT_ELU_ALPHA);
    case 'softmax':
      return softmax;
    default:
      throw new Error(`Unknown activation "${String(name)}".`);
  }
}
