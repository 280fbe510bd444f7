/**
 * The one contract every layer kind shares (ConvNetJS style), so the network loop never switches
 * on a kind. A layer reads its inputs and writes its output into buffers the network owns (one set
 * per batch size); a layer with parameters keeps them and their gradients itself.
 */
import { createActivation, type Activation } from './activations';
import { denseBackward, denseForward } from './dense';
import type { MatmulKernel } from './matmul';
import type { Matrix } from './matrix';
import type { Rng } from './rng';
import type { ActivationSpec, DenseSpec } from './spec';
import type { DenseGrads, DenseParams } from './types';

/**
 * How a forward pass runs. Evaluation (the default: prediction, metrics, gradient checks) makes
 * dropout the identity; a training step draws dropout masks from the trainer's seeded `rng`.
 */
export type ForwardMode = { training: false } | { training: true; rng: Rng };

export const EVALUATION: ForwardMode = { training: false };

/** One layer's buffers for one batch size: what went in, what came out, what backward needs. */
export interface LayerCache {
  id: string;
  /** The outputs of the layer's inputs, in the order of its spec's `inputs`. */
  inputs: Matrix[];
  /** inputs[0]: for a one-input layer, what went in. */
  input: Matrix;
  output: Matrix;
  /** What the layer keeps from forward for backward (dropout's mask), or null. */
  memory: Matrix | null;
}

export interface Layer {
  readonly id: string;
  readonly outputSize: number;
  /** Trainable parameters and their gradients, or null for a layer without any. */
  readonly params: DenseParams | null;
  readonly grads: DenseGrads | null;
  /** The `memory` buffer the layer needs per batch size, if any. */
  createMemory?(batchSize: number): Matrix;
  /** cache.output = layer(cache.inputs). */
  forward(cache: LayerCache, mode: ForwardMode): void;
  /**
   * From dOutput = dC/d(output), fill this layer's parameter gradients (if any) and each
   * dInputs[k] = dC/d(inputs[k]), overwriting it, unless it is null (nothing needs it).
   */
  backward(cache: LayerCache, dOutput: Matrix, dInputs: readonly (Matrix | null)[]): void;
}

export interface DenseLayer extends Layer {
  readonly params: DenseParams;
  readonly grads: DenseGrads;
}

export interface ActivationLayer extends Layer {
  readonly activation: Activation;
}

/** Where a layer's parameter and gradient arrays come from (zero-filled, `length` numbers). */
export type AllocateArray = (length: number) => Float64Array;

const plainArray: AllocateArray = (length) => new Float64Array(length);

/**
 * A dense layer with zero weights (initializers.ts fills them), its products on `kernel`, its
 * arrays from `allocate` (the network's WebAssembly arena when it has one, kernels/wasm-arena.ts).
 */
export function createDenseLayer(
  spec: DenseSpec,
  kernel: MatmulKernel,
  allocate: AllocateArray = plainArray,
): DenseLayer {
  const matrix = (rows: number, cols: number): Matrix => ({
    rows,
    cols,
    data: allocate(rows * cols),
  });
  const params: DenseParams = {
    id: spec.id,
    W: matrix(spec.inputSize, spec.units),
    b: allocate(spec.units),
  };
  const grads: DenseGrads = {
    id: spec.id,
    dW: matrix(spec.inputSize, spec.units),
    db: allocate(spec.units),
  };
  return {
    id: spec.id,
    outputSize: spec.units,
    params,
    grads,
    forward({ input, output }) {
      denseForward(kernel, input, params.W, params.b, output);
    },
    backward({ input }, dOutput, [dInput]) {
      denseBackward(kernel, input, params.W, dOutput, grads.dW, grads.db, dInput);
    },
  };
}

export function createActivationLayer(spec: ActivationSpec): ActivationLayer {
  const activation = createActivation(spec.fn, spec.alpha);
  return {
    id: spec.id,
    outputSize: spec.size,
    params: null,
    grads: null,
    activation,
    forward({ input, output }) {
      activation.forward(input, output);
    },
    backward({ input, output }, dOutput, [dInput]) {
      if (dInput) activation.backward(input, output, dOutput, dInput);
    },
  };
}
