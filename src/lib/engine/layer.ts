/**
 * The one contract every layer kind shares (ConvNetJS style), so the network loop never switches
 * on a kind. A layer reads its input and writes its output into buffers the network owns (one set
 * per batch size); a layer with parameters keeps them and their gradients itself.
 */
import { createActivation, type Activation } from './activations';
import { denseBackward, denseForward } from './dense';
import type { MatmulKernel } from './matmul';
import { zeros, type Matrix } from './matrix';
import type { ActivationSpec, DenseSpec } from './spec';
import type { DenseGrads, DenseParams } from './types';

export interface Layer {
  readonly id: string;
  readonly inputSize: number;
  readonly outputSize: number;
  /** Trainable parameters and their gradients, or null for a layer without any. */
  readonly params: DenseParams | null;
  readonly grads: DenseGrads | null;
  /** output = layer(input). */
  forward(input: Matrix, output: Matrix): void;
  /**
   * From dOutput = dC/d(output), fill this layer's parameter gradients (if any) and
   * dInput = dC/d(input), unless dInput is null (nothing before this layer needs it).
   */
  backward(input: Matrix, output: Matrix, dOutput: Matrix, dInput: Matrix | null): void;
}

export interface DenseLayer extends Layer {
  readonly params: DenseParams;
  readonly grads: DenseGrads;
}

export interface ActivationLayer extends Layer {
  readonly activation: Activation;
}

/** A dense layer with zero weights (initializers.ts fills them), its products on `kernel`. */
export function createDenseLayer(spec: DenseSpec, kernel: MatmulKernel): DenseLayer {
  const params: DenseParams = {
    id: spec.id,
    W: zeros(spec.inputSize, spec.units),
    b: new Float64Array(spec.units),
  };
  const grads: DenseGrads = {
    id: spec.id,
    dW: zeros(spec.inputSize, spec.units),
    db: new Float64Array(spec.units),
  };
  return {
    id: spec.id,
    inputSize: spec.inputSize,
    outputSize: spec.units,
    params,
    grads,
    forward(input, output) {
      denseForward(kernel, input, params.W, params.b, output);
    },
    backward(input, _output, dOutput, dInput) {
      denseBackward(kernel, input, params.W, dOutput, grads.dW, grads.db, dInput);
    },
  };
}

export function createActivationLayer(spec: ActivationSpec): ActivationLayer {
  const activation = createActivation(spec.fn, spec.alpha);
  return {
    id: spec.id,
    inputSize: spec.size,
    outputSize: spec.size,
    params: null,
    grads: null,
    activation,
    forward(input, output) {
      activation.forward(input, output);
    },
    backward(input, output, dOutput, dInput) {
      if (dInput) activation.backward(input, output, dOutput, dInput);
    },
  };
}
