/**
 * The NumPy export: one .py file with the weights embedded and `predict(X)`, the forward pass in a
 * few readable lines (raw features in, standardized inside, the last layer's outputs out). Run as
 * a script it predicts the rows of a CSV file and prints one JSON object.
 */
import { DEFAULT_ELU_ALPHA, DEFAULT_LEAKY_RELU_ALPHA } from '../engine/activations';
import type { ActivationSpec, LayerItemSpec, LayerSpec } from '../engine/spec';
import { outputNodeId, soleInput, weightsNote, type ExportModel } from './export-model';
import {
  commentText,
  docstringText,
  pythonFloat,
  pythonFloatList,
  pythonMatrix,
  pythonNames,
  pythonString,
} from './python-source';

/** The NumPy expression of an activation applied to the variable `x`. */
function activationExpression(layer: ActivationSpec, x: string): string {
  switch (layer.fn) {
    case 'identity':
      return x;
    case 'sigmoid':
      return `sigmoid(${x})`;
    case 'tanh':
      return `np.tanh(${x})`;
    case 'relu':
      return `np.where(${x} > 0, ${x}, 0.0)`;
    case 'leaky_relu':
      return `np.where(${x} > 0, ${x}, ${pythonFloat(layer.alpha ?? DEFAULT_LEAKY_RELU_ALPHA)} * ${x})`;
    case 'elu':
      return `np.where(${x} > 0, ${x}, ${pythonFloat(layer.alpha ?? DEFAULT_ELU_ALPHA)} * np.expm1(np.minimum(${x}, 0)))`;
    case 'softmax':
      return `softmax(${x})`;
  }
}

/** The line of predict() that computes `layer` (named `out`) from its inputs, with its shape. */
function layerLine(layer: LayerItemSpec, out: string, name: (id: string) => string): string {
  const id = commentText(layer.id);
  switch (layer.type) {
    case 'dense':
      return `${out} = ${name(soleInput(layer))} @ W[${pythonString(layer.id)}] + b[${pythonString(layer.id)}]  # dense ${id}: N x ${layer.inputSize} -> N x ${layer.units}`;
    case 'activation':
      return `${out} = ${activationExpression(layer, name(soleInput(layer)))}  # ${layer.fn} ${id}: N x ${layer.size}`;
    case 'dropout':
      return `${out} = ${name(soleInput(layer))}  # dropout ${id} (rate ${layer.rate}): the identity when predicting, N x ${layer.size}`;
    case 'add':
      return `${out} = ${layer.inputs.map(name).join(' + ')}  # add ${id}: N x ${layer.size}`;
    case 'concat':
      return `${out} = np.concatenate([${layer.inputs.map(name).join(', ')}], axis=1)  # concat ${id}: N x ${layer.size}, columns in this order`;
  }
}

/** One line of predict() per layer, in the spec's (topological) order. */
function forwardLines(spec: LayerSpec, names: Map<string, string>): string[] {
  const name = (id: string) => names.get(id)!;
  return spec.layers.map((layer) => layerLine(layer, name(layer.id), name));
}

export function numpySource(model: ExportModel): string {
  const { spec, data } = model;
  const names = pythonNames([spec.input.id, ...spec.layers.map((l) => l.id)]);
  const input = names.get(spec.input.id)!;
  const standardize = data?.standardize;
  const dense = spec.layers.filter((l) => l.type === 'dense');
  const note = weightsNote(model);
  const features = data?.features ?? [];
  const classes = data?.task === 'classification' ? data.classes : [];

  const weightBlocks = dense.map((l) => {
    const w = model.weights[l.id];
    return [
      `# dense ${commentText(l.id)}: W is ${l.inputSize} x ${l.units} (a row per input), b has ${l.units} entries`,
      `W[${pythonString(l.id)}] = np.array(${pythonMatrix(w.W, '')}, dtype=np.float64).reshape(${l.inputSize}, ${l.units})`,
      `b[${pythonString(l.id)}] = np.array(${pythonFloatList(w.b)}, dtype=np.float64)`,
    ].join('\n');
  });

  return `"""${docstringText(model.name)}: a Backprop Studio model as plain NumPy.

predict(X) takes raw feature rows (N x ${spec.input.size}, columns in FEATURES order) and returns
what the network's last layer outputs (N x K).${note ? `\n\n${note}` : ''}

Run as a script, it predicts the rows of a CSV file (columns found by name) and prints one JSON
object: python3 THIS_FILE.py DATA.csv
"""
import csv
import json
import sys

import numpy as np

FEATURES = [${features.map(pythonString).join(', ')}]
# Class labels in the order of the output columns (empty for regression).
CLASSES = [${classes.map(pythonString).join(', ')}]
${
  standardize
    ? `# Standardization fitted on the training split: x' = (x - MEAN) / STD.
MEAN = np.array(${pythonFloatList(standardize.mean)}, dtype=np.float64)
STD = np.array(${pythonFloatList(standardize.std)}, dtype=np.float64)`
    : `# The inputs are used as given (no standardization).
MEAN = np.zeros(${spec.input.size})
STD = np.ones(${spec.input.size})`
}

W, b = {}, {}
${weightBlocks.join('\n\n')}


def sigmoid(z):
    e = np.exp(-np.abs(z))  # never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))  # row-wise, largest exponent e^0
    return e / e.sum(axis=1, keepdims=True)


def predict(X):
    """The network's outputs for raw feature rows X (N x ${spec.input.size})."""
    ${input} = (np.asarray(X, dtype=np.float64) - MEAN) / STD  # input ${commentText(spec.input.id)}: N x ${spec.input.size}
${forwardLines(spec, names)
  .map((l) => `    ${l}`)
  .join('\n')}
    return ${names.get(outputNodeId(spec))}


def predicted_labels(outputs):
    """A class label per row (argmax; one sigmoid output means p >= 0.5), or the value (regression)."""
    if not CLASSES:
        return [float(row[0]) for row in outputs]
    if outputs.shape[1] == 1:
        return [CLASSES[1] if row[0] >= 0.5 else CLASSES[0] for row in outputs]
    return [CLASSES[int(np.argmax(row))] for row in outputs]


def read_features(path):
    if not FEATURES:
        sys.exit("The model file named no feature columns: import this file and call predict(X).")
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = [c.strip() for c in rows[0]]
    missing = [name for name in FEATURES if name not in header]
    if missing:
        sys.exit(f"{path} has no column {', '.join(missing)}; the model reads {', '.join(FEATURES)}.")
    columns = [header.index(name) for name in FEATURES]
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    try:
        return np.array([[float(row[j]) for j in columns] for row in body], dtype=np.float64)
    except (ValueError, IndexError):
        sys.exit(f"{path} has a missing or non-numeric value in a feature column.")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 THIS_FILE.py DATA.csv")
    outputs = predict(read_features(sys.argv[1]))
    print(json.dumps({"predictions": predicted_labels(outputs), "outputs": outputs.tolist()}))
`;
}
