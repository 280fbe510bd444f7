/**
 * The layers that merge several inputs (DESIGN.md §2), batches as rows:
 *   add     y = x1 + x2 + ...  (one width)          backward  dC/dx_k = dC/dy for every k
 *   concat  y = [x1 | x2 | ...] along the features   backward  dC/dx_k = the columns of dC/dy
 *                                                              that x_k filled, in input order
 */
import type { Layer } from './layer';
import type { AddSpec, ConcatSpec } from './spec';

export function createAddLayer(spec: AddSpec): Layer {
  return {
    id: spec.id,
    outputSize: spec.size,
    params: null,
    grads: null,
    forward({ inputs, output }) {
      const y = output.data;
      y.set(inputs[0].data);
      for (let k = 1; k < inputs.length; k++) {
        const x = inputs[k].data;
        for (let i = 0; i < y.length; i++) y[i] += x[i];
      }
    },
    backward(_cache, dOutput, dInputs) {
      for (const dInput of dInputs) dInput?.data.set(dOutput.data);
    },
  };
}

export function createConcatLayer(spec: ConcatSpec): Layer {
  return {
    id: spec.id,
    outputSize: spec.size,
    params: null,
    grads: null,
    forward({ inputs, output }) {
      const y = output.data,
        width = output.cols;
      let offset = 0;
      for (const x of inputs) {
        const cols = x.cols;
        for (let i = 0; i < output.rows; i++)
          y.set(x.data.subarray(i * cols, (i + 1) * cols), i * width + offset);
        offset += cols;
      }
    },
    backward({ inputs }, dOutput, dInputs) {
      const dy = dOutput.data,
        width = dOutput.cols;
      let offset = 0;
      inputs.forEach((x, k) => {
        const cols = x.cols;
        const dx = dInputs[k];
        if (dx)
          for (let i = 0; i < dOutput.rows; i++)
            dx.data.set(dy.subarray(i * width + offset, i * width + offset + cols), i * cols);
        offset += cols;
      });
    },
  };
}
