/**
 * compile(): graph document -> layer spec (DESIGN.md §3), with every problem explained on the
 * node or wire it belongs to, in words a newcomer understands, and the shapes inferred along
 * the wires. It never throws: the canvas calls it on every edit of a half-built graph.
 */
import type { Task } from '../engine/metrics';
import type { LayerItemSpec, LayerSpec } from '../engine/spec';
import type { GraphDocument, GraphEdge, GraphNode, NodeKind, ParamsByKind } from './document';
import { lossLabel, activationLabel, MAX_WIDTH } from './node-kinds';
import { inferShapes, type GraphShapes } from './shapes';
import { analyseStructure, kindInfo, type EdgeFault, type Structure } from './structure';

export type { GraphShapes, NodeShape } from './shapes';

/** What compile() knows about the chosen dataset; every field is optional. */
export interface CompileContext {
  /** Number of features: the Input takes its size from the dataset when this is set. */
  inputSize?: number;
  task?: Task;
  /** Number of classes (classification). */
  classCount?: number;
  /** The dataset's name as the user sees it ("Iris"), for messages. */
  datasetLabel?: string;
}

/** A problem with the graph; names the node or the wire it belongs to (one of them). */
export interface GraphError {
  nodeId?: string;
  edgeId?: string;
  message: string;
}

export interface CompileResult {
  /** The network, or null while there are errors (or nothing to compile). */
  spec: LayerSpec | null;
  errors: GraphError[];
  shapes: GraphShapes;
}

/** Starts the message of an error compile() did not expect (a bug); tests look for it. */
export const INTERNAL_ERROR_PREFIX = 'Internal error while checking the graph';

type TypedParams = { [K in NodeKind]: { kind: K; params: ParamsByKind[K] } }[NodeKind];

export function compileGraph(doc: GraphDocument, context: CompileContext = {}): CompileResult {
  try {
    return compileChecked(sanitize(doc), context ?? {});
  } catch (error) {
    // The page must keep working even if a check has a bug; say so instead of crashing.
    return {
      spec: null,
      errors: [{ message: `${INTERNAL_ERROR_PREFIX}: ${String(error)}` }],
      shapes: { nodes: {}, edges: {} },
    };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops entries that are not nodes or edges at all (no string ids), so every check can rely on them. */
function sanitize(doc: GraphDocument): GraphDocument {
  const raw: Record<string, unknown> = isRecord(doc) ? doc : {};
  const nodes = (Array.isArray(raw.nodes) ? (raw.nodes as unknown[]) : [])
    .filter((n): n is GraphNode => isRecord(n) && typeof n.id === 'string')
    .map((n) => ({ ...n, params: isRecord(n.params) ? n.params : {} }));
  const edges = (Array.isArray(raw.edges) ? (raw.edges as unknown[]) : []).filter(
    (e): e is GraphEdge =>
      isRecord(e) &&
      typeof e.id === 'string' &&
      typeof e.source === 'string' &&
      typeof e.target === 'string',
  );
  return { nodes, edges };
}

/** A usable dataset input size, or undefined. */
function datasetInputSize(context: CompileContext): number | undefined {
  const size = context.inputSize;
  return typeof size === 'number' && Number.isInteger(size) && size >= 1 && size <= MAX_WIDTH
    ? size
    : undefined;
}

class ErrorList {
  readonly errors: GraphError[] = [];
  readonly #seen = new Set<string>();
  constructor(private readonly structure: Structure) {}

  /** One message per place: the canvas lists a node's messages (wires count for their target). */
  #add(error: GraphError, place: string): void {
    const key = JSON.stringify([place, error.message]);
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.errors.push(error);
  }
  node(nodeId: string, message: string): void {
    this.#add({ nodeId, message }, nodeId);
  }
  /** A wire's message is shown on its target node (the first wire with the id, as the canvas finds it). */
  edge(edge: GraphEdge, message: string): void {
    const target = this.structure.edgeFaults.find((e) => e.edge.id === edge.id)?.edge.target;
    this.#add(
      { edgeId: edge.id, message },
      target !== undefined && this.structure.nodes.has(target) ? target : `edge:${edge.id}`,
    );
  }
  has(nodeId: string): boolean {
    return this.errors.some((error) => error.nodeId === nodeId);
  }
}

function labelOf(node: GraphNode | undefined): string {
  return kindInfo(node)?.label ?? 'node';
}

function edgeFaultMessage(fault: Exclude<EdgeFault, null>, source: GraphNode | undefined): string {
  switch (fault) {
    case 'duplicate-id':
      return 'Two wires share one id; this one is ignored. Delete it and draw it again.';
    case 'missing-node':
      return 'This wire leads to a node that does not exist. Delete the wire.';
    case 'self-loop':
      return `This wire connects the ${labelOf(source)} to itself; a node cannot feed itself. Delete the wire.`;
    case 'duplicate':
      return 'This wire repeats another one between the same two nodes. Delete one of them.';
    case 'out-of-loss':
      return 'Nothing can come after a Loss: it ends the network. Delete this wire.';
    case 'into-input':
      return 'Nothing can feed into an Input: it starts the network. Delete this wire.';
  }
}

function compileChecked(doc: GraphDocument, context: CompileContext): CompileResult {
  const structure = analyseStructure(doc);
  const errors = new ErrorList(structure);
  const dataSize = datasetInputSize(context);

  // 1. Parameters, read with the registry.
  const typed = new Map<string, TypedParams>();
  for (const node of structure.duplicateNodes)
    errors.node(
      node.id,
      `Two nodes share the id "${node.id}"; only the first is used. Delete the copy.`,
    );
  for (const node of structure.nodes.values()) {
    const info = kindInfo(node);
    if (!info) {
      errors.node(node.id, `Unknown kind of node "${String(node.type)}". Delete it.`);
      continue;
    }
    if (node.type === 'input' && dataSize !== undefined) {
      typed.set(node.id, { kind: 'input', params: { size: dataSize } });
      continue;
    }
    const read = info.readParams(node.params);
    if (read.ok) typed.set(node.id, { kind: node.type, params: read.params } as TypedParams);
    else for (const problem of read.problems) errors.node(node.id, problem.message);
  }

  const shapes = inferShapes(structure, (node) => {
    const t = typed.get(node.id);
    if (node.type === 'input') return t?.kind === 'input' ? t.params.size : null;
    if (node.type === 'dense') return t?.kind === 'dense' ? t.params.units : null;
    return node.type === 'activation' ? undefined : null;
  });

  // 2. Wires that cannot be used at all.
  for (const { edge, fault } of structure.edgeFaults)
    if (fault !== null)
      errors.edge(edge, edgeFaultMessage(fault, structure.nodes.get(edge.source)));

  // 3. The network is a chain: one wire in, one wire out.
  const { incoming, outgoing } = structure;
  for (const node of structure.nodes.values()) {
    const label = labelOf(node);
    const wiresIn = incoming.get(node.id)?.length ?? 0;
    const wiresOut = outgoing.get(node.id)?.length ?? 0;
    if (wiresIn > 1)
      errors.node(
        node.id,
        `This ${label} has ${wiresIn} wires coming in, but a node takes exactly one input. Keep one and delete the others.`,
      );
    if (wiresOut > 1)
      errors.node(
        node.id,
        `This ${label} feeds ${wiresOut} nodes; branching is not supported yet. Keep one outgoing wire.`,
      );
  }

  // 4. Loops: one message per loop, on the wire that closes it (the last one drawn).
  for (const loop of structure.loops) {
    const members = new Set(loop);
    const closing = structure.edgeFaults
      .filter(
        ({ edge, fault }) => fault === null && members.has(edge.source) && members.has(edge.target),
      )
      .at(-1);
    if (closing)
      errors.edge(
        closing.edge,
        'This wire closes a loop (a cycle); data must flow one way, from Input to Loss. Delete it or wire it elsewhere.',
      );
  }

  // 5. Exactly one Input and one Loss.
  const all = [...structure.nodes.values()];
  const inputs = all.filter((node) => node.type === 'input');
  const losses = all.filter((node) => node.type === 'loss');
  for (const extra of inputs.slice(1))
    errors.node(
      extra.id,
      `There are ${inputs.length} Input nodes, but a network starts at exactly one. Delete this one or the other.`,
    );
  for (const extra of losses.slice(1))
    errors.node(
      extra.id,
      `There are ${losses.length} Loss nodes, but a network ends at exactly one. Delete this one or the other.`,
    );

  // 6. One connected part; loose ends of the main part are explained where they are.
  const partOf = (id: string | undefined) =>
    id === undefined ? undefined : structure.parts.find((part) => part.includes(id));
  const mainPart =
    partOf(inputs[0]?.id) ??
    partOf(losses[0]?.id) ??
    structure.parts.reduce<string[] | undefined>(
      (largest, part) => (largest === undefined || part.length > largest.length ? part : largest),
      undefined,
    );
  for (const part of structure.parts) {
    if (part === mainPart) continue;
    const head = part.find((id) => (incoming.get(id)?.length ?? 0) === 0) ?? part[0];
    const node = structure.nodes.get(head);
    if (part.length === 1) {
      if (errors.has(head)) continue;
      errors.node(
        head,
        `This ${labelOf(node)} is not connected to the network. Wire it in between the Input and the Loss, or delete it.`,
      );
    } else {
      errors.node(
        head,
        `This part (${part.length} nodes, starting here) is not connected to the rest of the network. Wire it in or delete it.`,
      );
    }
  }
  for (const id of mainPart ?? []) {
    const node = structure.nodes.get(id) as GraphNode;
    const info = kindInfo(node);
    if (!info) continue;
    if (info.hasInput && (incoming.get(id)?.length ?? 0) === 0)
      errors.node(
        id,
        inputs.length === 0
          ? `The network has no Input. Add an Input node and wire it into this ${info.label}.`
          : `Nothing feeds this ${info.label}. Wire the node before it into its left handle.`,
      );
    if (info.hasOutput && (outgoing.get(id)?.length ?? 0) === 0)
      errors.node(
        id,
        losses.length === 0
          ? `The network has no Loss. Add a Loss node after this ${info.label}.`
          : `This ${info.label} leads nowhere. Wire it on towards the Loss.`,
      );
  }

  // 7. What each kind needs right before or after it.
  const predecessorOf = (id: string): GraphNode | undefined => {
    const wires = incoming.get(id) ?? [];
    return wires.length === 1 ? structure.nodes.get(wires[0].source) : undefined;
  };
  const successorOf = (id: string): GraphNode | undefined => {
    const wires = outgoing.get(id) ?? [];
    return wires.length === 1 ? structure.nodes.get(wires[0].target) : undefined;
  };
  for (const node of structure.nodes.values()) {
    const t = typed.get(node.id);
    if (t?.kind === 'loss') {
      const before = predecessorOf(node.id);
      if (before) checkLossNeighbour(node, t.params.loss, before, typed, shapes, errors);
    } else if (t?.kind === 'activation' && t.params.fn === 'softmax') {
      const after = successorOf(node.id);
      if (after && after.type !== 'loss')
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
  }

  // 8. The output against the dataset.
  for (const id of mainPart ?? []) {
    const t = typed.get(id);
    if (t?.kind === 'loss')
      checkAgainstDataset(id, t.params.loss, structure, typed, shapes, errors, context);
  }

  const spec = errors.errors.length === 0 ? buildSpec(inputs[0], structure, typed, shapes) : null;
  return { spec, errors: inDocumentOrder(errors.errors, structure), shapes };
}

/** Errors in the order of the nodes they are shown on (a wire's on its target), stable otherwise. */
function inDocumentOrder(errors: GraphError[], structure: Structure): GraphError[] {
  const rank = new Map([...structure.nodes.keys()].map((id, index) => [id, index]));
  const targets = new Map<string, string>();
  for (const { edge } of structure.edgeFaults)
    if (!targets.has(edge.id)) targets.set(edge.id, edge.target);
  const place = (error: GraphError) =>
    rank.get(error.nodeId ?? targets.get(error.edgeId ?? '') ?? '') ?? rank.size;
  return errors
    .map((error, index) => ({ error, index }))
    .sort((a, b) => place(a.error) - place(b.error) || a.index - b.index)
    .map(({ error }) => error);
}

function checkLossNeighbour(
  loss: GraphNode,
  name: ParamsByKind['loss']['loss'],
  before: GraphNode,
  typed: Map<string, TypedParams>,
  shapes: GraphShapes,
  errors: ErrorList,
): void {
  const t = typed.get(before.id);
  const fn = t?.kind === 'activation' ? t.params.fn : null;
  const width = shapes.nodes[loss.id]?.in ?? null;
  if (name === 'cross_entropy') {
    if (fn !== 'softmax')
      errors.node(
        loss.id,
        fn === null
          ? `Cross-entropy needs a Softmax right before it. Add an Activation set to Softmax between the ${labelOf(before)} and this Loss.`
          : `Cross-entropy needs a Softmax right before it, not ${activationLabel(fn)}. Set that Activation's Function to Softmax.`,
      );
  } else if (name === 'binary_cross_entropy') {
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
}

/** The node that sets the output width: the last Dense (or the Input) before the loss. */
function widthSetter(lossId: string, structure: Structure): GraphNode | undefined {
  const seen = new Set<string>();
  let id = lossId;
  for (;;) {
    const wires = structure.incoming.get(id) ?? [];
    if (wires.length !== 1 || seen.has(id)) return undefined;
    seen.add(id);
    const node = structure.nodes.get(wires[0].source);
    if (!node || node.type !== 'activation') return node;
    id = node.id;
  }
}

function checkAgainstDataset(
  lossId: string,
  name: ParamsByKind['loss']['loss'],
  structure: Structure,
  typed: Map<string, TypedParams>,
  shapes: GraphShapes,
  errors: ErrorList,
  context: CompileContext,
): void {
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
  const wanted = context.task === 'regression' ? 1 : classes;
  const width = shapes.nodes[lossId]?.in ?? null;
  if (wanted === undefined || width === null || width === wanted) return;
  const what =
    context.task === 'regression'
      ? `${data} predicts one number, so the network must output 1`
      : `${data} has ${wanted} classes, so the network must output ${wanted} numbers`;
  const setter = widthSetter(lossId, structure);
  if (setter?.type === 'dense' && typed.has(setter.id))
    errors.node(setter.id, `${what}; it outputs ${width}. Set this Dense to ${wanted} units.`);
  else
    errors.node(
      lossId,
      `${what}; it outputs ${width}. Add a Dense with ${wanted} units before the Loss.`,
    );
}

/** Walks the (valid) chain from the Input to the Loss; called only when there are no errors. */
function buildSpec(
  input: GraphNode | undefined,
  structure: Structure,
  typed: Map<string, TypedParams>,
  shapes: GraphShapes,
): LayerSpec | null {
  const start = input ? typed.get(input.id) : undefined;
  if (!input || start?.kind !== 'input') return null;
  const layers: LayerItemSpec[] = [];
  let previous = input.id;
  let width = start.params.size;
  for (;;) {
    const wire = structure.outgoing.get(previous)?.[0];
    const t = wire ? typed.get(wire.target) : undefined;
    if (!wire || !t || t.kind === 'input') return null;
    const id = wire.target;
    if (t.kind === 'loss')
      return {
        input: { id: input.id, size: start.params.size },
        layers,
        loss: { id, type: t.params.loss, inputs: [previous] },
      };
    if (t.kind === 'dense') {
      layers.push({
        id,
        type: 'dense',
        inputs: [previous],
        inputSize: width,
        units: t.params.units,
        init: t.params.init,
      });
      width = t.params.units;
    } else {
      layers.push({
        id,
        type: 'activation',
        inputs: [previous],
        fn: t.params.fn,
        size: width,
        ...(t.params.alpha !== undefined ? { alpha: t.params.alpha } : {}),
      });
    }
    if (shapes.nodes[id]?.out !== width || layers.length > structure.nodes.size) return null;
    previous = id;
  }
}
