/**
 * Checks of what each kind needs around it (a loss and the activation before it, a softmax at
 * the end) and of the network's output against the chosen dataset.
 */
import type { LossName } from '../engine/spec';
import type { CompileState } from './compile-types';
import type { GraphNode } from './document';
import { activationLabel, lossLabel } from './node-kinds';
import type { Structure } from './structure';
import { labelOf } from './wiring-checks';

function onlyNeighbour(
  structure: Structure,
  id: string,
  direction: 'before' | 'after',
): GraphNode | undefined {
  const wires = (direction === 'before' ? structure.incoming : structure.outgoing).get(id) ?? [];
  if (wires.length !== 1) return undefined;
  return structure.nodes.get(direction === 'before' ? wires[0].source : wires[0].target);
}

/** Cross-entropy after a Softmax, binary cross-entropy after a one-unit Sigmoid. */
function checkLoss(state: CompileState, loss: GraphNode, name: LossName): void {
  const { structure, typed, shapes, errors } = state;
  const before = onlyNeighbour(structure, loss.id, 'before');
  if (!before) return;
  const t = typed.get(before.id);
  const fn = t?.kind === 'activation' ? t.params.fn : null;
  if (name === 'cross_entropy' && fn !== 'softmax')
    errors.node(
      loss.id,
      fn === null
        ? `Cross-entropy needs a Softmax right before it. Add an Activation set to Softmax between the ${labelOf(before)} and this Loss.`
        : `Cross-entropy needs a Softmax right before it, not ${activationLabel(fn)}. Set that Activation's Function to Softmax.`,
    );
  if (name !== 'binary_cross_entropy') return;
  const width = shapes.nodes[loss.id]?.in ?? null;
  if (fn !== 'sigmoid')
    errors.node(
      loss.id,
      'Binary cross-entropy needs a Sigmoid with a single unit right before it: a Dense with 1 unit, then an Activation set to Sigmoid.',
    );
  else if (width !== null && width !== 1)
    errors.node(
      loss.id,
      `Binary cross-entropy needs a single output, but ${width} arrive. Set the last Dense to 1 unit, or use Cross-entropy after a Softmax.`,
    );
}

/** Softmax turns the final scores into probabilities: it comes last, over several numbers. */
function checkSoftmax({ structure, shapes, errors }: CompileState, node: GraphNode): void {
  const after = (structure.outgoing.get(node.id) ?? []).map((e) => structure.nodes.get(e.target));
  if (after.some((next) => next?.type !== 'loss'))
    errors.node(
      node.id,
      'Softmax must be the last layer, right before the Loss: it turns the outputs into probabilities. Move it to the end or choose another function.',
    );
  if (shapes.nodes[node.id]?.in === 1)
    errors.node(
      node.id,
      'A Softmax over a single number always outputs 1, so nothing can be learned. Give the Dense before it one unit per class (at least 2), or use a Sigmoid with Binary cross-entropy.',
    );
}

export function checkNeighbours(state: CompileState): void {
  for (const node of state.structure.nodes.values()) {
    const t = state.typed.get(node.id);
    if (t?.kind === 'loss') checkLoss(state, node, t.params.loss);
    else if (t?.kind === 'activation' && t.params.fn === 'softmax') checkSoftmax(state, node);
  }
}

/** Kinds that pass their input's width on unchanged. */
const keepsWidth = (node: GraphNode | undefined) =>
  node?.type === 'activation' || node?.type === 'dropout';

/** The node that sets the output width: the last node before the loss that keeps no width. */
function widthSetter(structure: Structure, lossId: string): GraphNode | undefined {
  const seen = new Set<string>();
  let node = onlyNeighbour(structure, lossId, 'before');
  while (node && keepsWidth(node) && !seen.has(node.id)) {
    seen.add(node.id);
    node = onlyNeighbour(structure, node.id, 'before');
  }
  return keepsWidth(node) ? undefined : node;
}

/** The Loss of the main part against the dataset: the kind of task and the output width. */
export function checkAgainstDataset(state: CompileState, mainPart: readonly string[]): void {
  for (const id of mainPart) {
    const t = state.typed.get(id);
    if (t?.kind === 'loss') checkLossAgainstDataset(state, id, t.params.loss);
  }
}

function checkLossAgainstDataset(state: CompileState, lossId: string, name: LossName): void {
  const { context, errors, shapes, structure, typed } = state;
  if (context.task === undefined) return;
  const data = context.datasetLabel ? `The ${context.datasetLabel} dataset` : 'The dataset';
  if (context.task === 'regression' && name !== 'mse') {
    errors.node(
      lossId,
      `${data} predicts a number (regression), so use Mean squared error, not ${lossLabel(name)}.`,
    );
    return;
  }
  const classes = context.classCount;
  if (context.task === 'classification' && name === 'binary_cross_entropy') {
    if (classes !== undefined && classes !== 2)
      errors.node(
        lossId,
        `Binary cross-entropy is for 2 classes, but ${data.toLowerCase()} has ${classes}. Use Cross-entropy after a Softmax over ${classes} units.`,
      );
    return;
  }
  // Cross-entropy and mse on classes compare with one-hot rows; regression with one number.
  const wanted = context.task === 'regression' ? 1 : classes;
  const width = shapes.nodes[lossId]?.in ?? null;
  if (wanted === undefined || width === null || width === wanted) return;
  const what =
    context.task === 'regression'
      ? `${data} predicts one number, so the network must output 1`
      : `${data} has ${wanted} classes, so the network must output ${wanted} numbers`;
  const setter = widthSetter(structure, lossId);
  if (setter?.type === 'dense' && typed.has(setter.id))
    errors.node(setter.id, `${what}; it outputs ${width}. Set this Dense to ${wanted} units.`);
  else
    errors.node(
      lossId,
      `${what}; it outputs ${width}. Add a Dense with ${wanted} units before the Loss.`,
    );
}
