/**
 * The ONNX export: opset 17, float32, input `features` (N x F raw features), output `outputs`,
 * standardization inside the graph (Sub, Div), a Gemm per dense node (Y = X W + b, W as in the
 * model file), the matching operator per activation, Sum per add, Concat (axis 1) per concat and
 * Identity per dropout (it does nothing outside training). Tensor names carry the node ids.
 */
import { DEFAULT_ELU_ALPHA, DEFAULT_LEAKY_RELU_ALPHA } from '../engine/activations';
import { outputSize, type ActivationSpec } from '../engine/spec';
import { soleInput, weightsNote, type ExportModel } from './export-model';
import { onnxModelType } from './onnx-schema';

export const ONNX_OPSET = 17;
/** IR version 8 is the one that goes with opset 17 (ONNX 1.12). */
const IR_VERSION = 8;
const FLOAT = 1;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;

interface NodeMessage {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute?: object[];
  doc_string?: string;
}

function tensor(name: string, dims: number[], values: ArrayLike<number>): object {
  return { name, dims, data_type: FLOAT, float_data: Array.from(values) };
}

function floatTensorType(dims: (number | string)[]): object {
  return {
    tensor_type: {
      elem_type: FLOAT,
      shape: {
        dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })),
      },
    },
  };
}

/** The operator of an activation, with its attributes. */
function activationNode(layer: ActivationSpec, input: string, output: string): NodeMessage {
  const node = (op_type: string, attribute?: object[]): NodeMessage => ({
    name: layer.id,
    op_type,
    input: [input],
    output: [output],
    ...(attribute ? { attribute } : {}),
    doc_string: `${layer.fn} ${layer.id}: N x ${layer.size}`,
  });
  const alpha = (value: number) => [{ name: 'alpha', type: ATTRIBUTE_FLOAT, f: value }];
  switch (layer.fn) {
    case 'identity':
      return node('Identity');
    case 'sigmoid':
      return node('Sigmoid');
    case 'tanh':
      return node('Tanh');
    case 'relu':
      return node('Relu');
    case 'leaky_relu':
      return node('LeakyRelu', alpha(layer.alpha ?? DEFAULT_LEAKY_RELU_ALPHA));
    case 'elu':
      return node('Elu', alpha(layer.alpha ?? DEFAULT_ELU_ALPHA));
    case 'softmax':
      return node('Softmax', [{ name: 'axis', type: ATTRIBUTE_INT, i: 1 }]);
  }
}

export function onnxBytes(model: ExportModel): Uint8Array {
  const { spec, data } = model;
  const F = spec.input.size;
  // Names by prefix, so no node id can collide with another tensor or with features/outputs.
  const valueName = (id: string) => `out:${id}`;
  const nodes: NodeMessage[] = [];
  const initializers: object[] = [];
  const standardize = data?.standardize;
  if (standardize) {
    initializers.push(tensor('standardize:mean', [F], standardize.mean));
    initializers.push(tensor('standardize:std', [F], standardize.std));
    nodes.push({
      name: 'standardize:sub',
      op_type: 'Sub',
      input: ['features', 'standardize:mean'],
      output: ['standardize:centered'],
    });
    nodes.push({
      name: 'standardize:div',
      op_type: 'Div',
      input: ['standardize:centered', 'standardize:std'],
      output: [valueName(spec.input.id)],
      doc_string: `input ${spec.input.id}: (x - mean) / std, fitted on the training split`,
    });
  } else
    nodes.push({
      name: spec.input.id,
      op_type: 'Identity',
      input: ['features'],
      output: [valueName(spec.input.id)],
    });

  for (const layer of spec.layers) {
    const output = valueName(layer.id);
    const inputs = layer.inputs.map(valueName);
    switch (layer.type) {
      case 'dense': {
        const w = model.weights[layer.id];
        initializers.push(tensor(`W:${layer.id}`, [layer.inputSize, layer.units], w.W.flat()));
        initializers.push(tensor(`b:${layer.id}`, [layer.units], w.b));
        nodes.push({
          name: layer.id,
          op_type: 'Gemm',
          input: [valueName(soleInput(layer)), `W:${layer.id}`, `b:${layer.id}`],
          output: [output],
          doc_string: `dense ${layer.id}: N x ${layer.inputSize} -> N x ${layer.units}`,
        });
        break;
      }
      case 'activation':
        nodes.push(activationNode(layer, valueName(soleInput(layer)), output));
        break;
      case 'dropout':
        // DESIGN.md §2: dropout is the identity outside training, so the export holds none.
        nodes.push({
          name: layer.id,
          op_type: 'Identity',
          input: [valueName(soleInput(layer))],
          output: [output],
          doc_string: `dropout ${layer.id} (rate ${layer.rate}): the identity when predicting, N x ${layer.size}`,
        });
        break;
      case 'add':
        // Sum takes any number of inputs (ONNX's Add takes two).
        nodes.push({
          name: layer.id,
          op_type: 'Sum',
          input: inputs,
          output: [output],
          doc_string: `add ${layer.id}: N x ${layer.size}`,
        });
        break;
      case 'concat':
        nodes.push({
          name: layer.id,
          op_type: 'Concat',
          input: inputs,
          output: [output],
          attribute: [{ name: 'axis', type: ATTRIBUTE_INT, i: 1 }],
          doc_string: `concat ${layer.id}: N x ${layer.size}, inputs side by side in this order`,
        });
        break;
    }
  }
  // The last value is the graph's output, under the name every user expects.
  nodes[nodes.length - 1].output = ['outputs'];

  const metadata: { key: string; value: string }[] = [
    { key: 'features', value: JSON.stringify(data?.features ?? []) },
    { key: 'task', value: data?.task ?? '' },
    { key: 'classes', value: JSON.stringify(data?.task === 'classification' ? data.classes : []) },
  ];
  const note = weightsNote(model);
  const message = {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'Backprop Studio',
    model_version: 1,
    doc_string: `${model.name}: raw features in (N x ${F}), standardized inside; the last layer's outputs out.${note ? ` ${note}` : ''}`,
    metadata_props: metadata,
    graph: {
      name: model.name,
      node: nodes,
      initializer: initializers,
      input: [{ name: 'features', type: floatTensorType(['N', F]) }],
      output: [{ name: 'outputs', type: floatTensorType(['N', outputSize(spec)]) }],
    },
  };
  const type = onnxModelType();
  const problem = type.verify(message);
  if (problem) throw new Error(`The ONNX message is malformed: ${problem}`);
  const bytes = type.encode(type.fromObject(message)).finish();
  // In Node protobufjs hands back a Buffer: the same bytes as a plain Uint8Array everywhere.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
