/**
 * The PyTorch export (DESIGN.md §5): one readable .py needing only torch and the standard library.
 * This file writes the model's own part — the model file's settings, the weights, an nn.Module
 * whose forward mirrors the graph line by line, and the loss of §2 — then appends the shared
 * runtime (pytorch-runtime.ts: data, split, optimizers, training, DDP, command line).
 */
import { DEFAULT_ELU_ALPHA, DEFAULT_LEAKY_RELU_ALPHA } from '../engine/activations';
import { createLoss } from '../engine/losses';
import type { ActivationSpec, LayerItemSpec, LayerSpec } from '../engine/spec';
import { formatJson } from '../model-file/write';
import { ExportError } from './errors';
import { layerLabel, outputNodeId, soleInput, weightsNote, type ExportModel } from './export-model';
import { PYTORCH_MAIN, PYTORCH_RUNTIME } from './pytorch-runtime';
import {
  commentText,
  docstringText,
  pythonFloat,
  pythonFloatList,
  pythonLiteral,
  pythonMatrix,
  pythonNames,
  pythonString,
} from './python-source';

/** The torch expression of an activation applied to the variable `x`. */
function activationExpression(layer: ActivationSpec, x: string): string {
  switch (layer.fn) {
    case 'identity':
      return x;
    case 'sigmoid':
      return `torch.sigmoid(${x})`;
    case 'tanh':
      return `torch.tanh(${x})`;
    case 'relu':
      return `torch.relu(${x})`;
    case 'leaky_relu':
      return `F.leaky_relu(${x}, ${pythonFloat(layer.alpha ?? DEFAULT_LEAKY_RELU_ALPHA)})`;
    case 'elu':
      return `F.elu(${x}, ${pythonFloat(layer.alpha ?? DEFAULT_ELU_ALPHA)})`;
    case 'softmax':
      return `torch.softmax(${x}, dim=1)`;
  }
}

/** True when the loss reads the input of the last activation (softmax + CE, sigmoid + BCE). */
function isFused(spec: LayerSpec): boolean {
  const last = spec.layers[spec.layers.length - 1];
  return (
    last !== undefined &&
    last.type === 'activation' &&
    last.fn === createLoss(spec.loss.type).fusedActivation
  );
}

/** Model.__init__'s lines: the standardization buffers and one nn.Linear per dense node. */
function initLines(spec: LayerSpec, names: Map<string, string>): string[] {
  const lines = [
    '# Standardization x -> (x - mean) / std, kept as buffers: saved with the model, never trained.',
    'self.register_buffer("mean", torch.tensor(MEAN, dtype=torch.float64))',
    'self.register_buffer("std", torch.tensor(STD, dtype=torch.float64))',
  ];
  for (const layer of spec.layers)
    if (layer.type === 'dense')
      lines.push(
        `self.${names.get(layer.id)} = nn.Linear(${layer.inputSize}, ${layer.units})  # dense ${commentText(layer.id)}: B x ${layer.inputSize} -> B x ${layer.units}`,
      );
  lines.push('self.load_weights(WEIGHTS)');
  return lines;
}

/** The line of forward that computes `layer` (named `out`) from its inputs, with its shape. */
function layerLine(layer: LayerItemSpec, out: string, name: (id: string) => string): string {
  const id = commentText(layer.id);
  switch (layer.type) {
    case 'dense':
      return `${out} = self.${out}(${name(soleInput(layer))})  # dense ${id}: B x ${layer.inputSize} -> B x ${layer.units}`;
    case 'activation':
      return `${out} = ${activationExpression(layer, name(soleInput(layer)))}  # ${layer.fn} ${id}: B x ${layer.size}`;
    case 'dropout':
      // Inverted dropout, x * m / (1 - r), as in the app; the identity in eval mode.
      return `${out} = F.dropout(${name(soleInput(layer))}, p=${pythonFloat(layer.rate)}, training=self.training)  # dropout ${id}: B x ${layer.size}`;
    case 'add':
      return `${out} = ${layer.inputs.map(name).join(' + ')}  # add ${id}: B x ${layer.size}`;
    case 'concat':
      return `${out} = torch.cat([${layer.inputs.map(name).join(', ')}], dim=1)  # concat ${id}: B x ${layer.size}, columns in this order`;
  }
}

/** forward's lines, one per node, in the spec's (topological) order, each naming its inputs. */
function forwardLines(spec: LayerSpec, names: Map<string, string>, fused: boolean): string[] {
  const name = (id: string) => names.get(id)!;
  const lines = [
    `${name(spec.input.id)} = (features - self.mean) / self.std  # input ${commentText(spec.input.id)}: B x ${spec.input.size}, standardized`,
  ];
  spec.layers.forEach((layer, i) => {
    if (fused && i === spec.layers.length - 1)
      lines.push(
        `if logits:\n    return ${name(soleInput(layer))}  # what the loss reads: the input of the last activation`,
      );
    lines.push(layerLine(layer, name(layer.id), name));
  });
  lines.push(`return ${name(outputNodeId(spec))}`);
  return lines;
}

/** data_loss(net, X, T): the loss of §2, reading the logits where it fuses with the activation. */
function lossFunction(spec: LayerSpec, fused: boolean): string {
  const type = spec.loss.type;
  if (type === 'mse')
    return `def data_loss(net, X, T):
    """mse: the mean over all B*K entries of (P - T)^2."""
    return ((net(X) - T) ** 2).mean()`;
  if (type === 'cross_entropy')
    return fused
      ? `def data_loss(net, X, T):
    """Cross-entropy -(1/B) sum T log P, from the softmax's input Z: log P = log_softmax(Z), exact
    where P rounds to 0; its gradient w.r.t. Z is the fused (P - T) / B of the app."""
    return -(T * torch.log_softmax(net(X, logits=True), dim=1)).sum() / X.shape[0]`
      : `def data_loss(net, X, T):
    """Cross-entropy -(1/B) sum T log P (P clamped at 1e-300 so log 0 stays finite)."""
    return -(T * torch.log(net(X).clamp(min=1e-300))).sum() / X.shape[0]`;
  return fused
    ? `def data_loss(net, X, T):
    """Binary cross-entropy -(1/B) sum [t log p + (1-t) log(1-p)], from the sigmoid's input z:
    each term is max(z, 0) - t z + log(1 + e^-|z|); its gradient w.r.t. z is the fused (p - t) / B."""
    Z = net(X, logits=True)
    return (Z.clamp(min=0) - T * Z + torch.log1p(torch.exp(-Z.abs()))).sum() / X.shape[0]`
    : `def data_loss(net, X, T):
    """Binary cross-entropy -(1/B) sum [t log p + (1-t) log(1-p)] (clamped at 1e-300)."""
    P = net(X)
    return -(T * torch.log(P.clamp(min=1e-300)) + (1 - T) * torch.log((1 - P).clamp(min=1e-300))).sum() / X.shape[0]`;
}

function weightsLiteral(model: ExportModel): string {
  const blocks = model.spec.layers
    .filter((l) => l.type === 'dense')
    .map((l) => {
      const w = model.weights[l.id];
      return `    ${pythonString(l.id)}: {  # ${l.inputSize} x ${l.units}\n        "W": ${pythonMatrix(w.W, '        ')},\n        "b": ${pythonFloatList(w.b)},\n    },`;
    });
  return blocks.length === 0 ? '{}' : `{\n${blocks.join('\n')}\n}`;
}

const indent = (lines: string[], prefix: string) =>
  lines
    .join('\n')
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');

export function pytorchSource(model: ExportModel): string {
  const { spec, data } = model;
  if (!data)
    throw new ExportError(
      'The PyTorch export needs to know the features and target: choose a dataset for the model first.',
    );
  const names = pythonNames([spec.input.id, ...spec.layers.map((l) => l.id)]);
  const fused = isFused(spec);
  const dense = spec.layers.filter((l) => l.type === 'dense');
  const note = weightsNote(model);
  // The file as the app would save it, without the weights (they follow as WEIGHTS).
  const fileBlock = JSON.parse(formatJson({ ...model.file, weights: null })) as unknown;
  const standardize = data.standardize;
  const mean = standardize ? standardize.mean : new Array<number>(spec.input.size).fill(0);
  const std = standardize ? standardize.std : new Array<number>(spec.input.size).fill(1);

  return `#!/usr/bin/env python3
"""${docstringText(model.name)}: a Backprop Studio model as a PyTorch module.

  python3 THIS_FILE.py predict DATA.csv
      prints one JSON object {"predictions": [...], "outputs": [[...]]}
  python3 THIS_FILE.py train DATA.csv [--epochs N] [--out FILE.model.json] [--no-shuffle]
      trains with the file's settings (${commentText(model.file.training.optimizer.name)}, learning rate ${model.file.training.optimizer.learningRate}, batch ${model.file.training.batchSize}) and the app's
      maths, then writes a model file the app opens
  torchrun --nproc_per_node=N THIS_FILE.py train DATA.csv ...
      the same with DistributedDataParallel (gloo on CPU, nccl when CUDA is there)

Only torch and the standard library; float64 throughout, like the app. Inputs are raw feature
rows in FEATURES order: the model standardizes them itself.${note ? `\n\n${note}` : ''}
"""
import argparse
import copy
import csv
import json
import math
import os
import sys
import tempfile

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler

torch.set_default_dtype(torch.float64)

# Weights per dense node, as in the model file: W has a row per input, b an entry per unit.
WEIGHTS = ${weightsLiteral(model)}
# Standardization fitted on the training split (mean 0 and std 1 when inputs are used as given).
MEAN = ${pythonFloatList(mean)}
STD = ${pythonFloatList(std)}


class Model(nn.Module):
    """${spec.input.size} features -> ${spec.layers.map(layerLabel).join(' -> ')}; loss ${spec.loss.type}."""

    def __init__(self):
        super().__init__()
${indent(initLines(spec, names), '        ')}

    def forward(self, features${fused ? ', logits=False' : ''}):
        """Raw feature rows (B x ${spec.input.size}) -> the last layer's outputs.${fused ? '\n        With logits=True: the input of the last activation, which the loss reads.' : ''}"""
${indent(forwardLines(spec, names, fused), '        ')}

    def dense_layers(self):
        """The nn.Linear of each dense node, by node id."""
        return {${dense.map((l) => `${pythonString(l.id)}: self.${names.get(l.id)}`).join(', ')}}

    @torch.no_grad()
    def load_weights(self, weights):
        """Copy model-file weights in (nn.Linear keeps W transposed: units x inputs)."""
        for node_id, layer in self.dense_layers().items():
            layer.weight.copy_(torch.tensor(weights[node_id]["W"], dtype=torch.float64).t())
            layer.bias.copy_(torch.tensor(weights[node_id]["b"], dtype=torch.float64))


def load_model():
    """The model with the weights of this file, float64, in eval mode."""
    return Model().double().eval()


${lossFunction(spec, fused)}

${PYTORCH_RUNTIME}

# --- The model file this came from (graph, layer spec, data, training settings), without weights

MODEL_FILE = ${pythonLiteral(fileBlock)}

# True when the file had no weights and WEIGHTS were drawn from its initializer (seed ${model.seed}).
WEIGHTS_FROM_SEED = ${model.weightsFromSeed ? 'True' : 'False'}
# Random numbers the app drew for the initial weights: its shuffles continue after them.
INIT_DRAWS = ${model.initDraws}
${PYTORCH_MAIN}`;
}
