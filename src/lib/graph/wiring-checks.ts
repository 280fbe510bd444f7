/**
 * Checks of the wiring as a whole: the network is one directed acyclic graph from a single Input
 * to a single Loss (DESIGN.md §3) — no loops, one wire into each node except Add and Concat
 * (two or more), nothing left over. Each problem is explained on the node or wire where the user
 * can fix it. An output may feed several nodes.
 */
import type { CompileState } from './compile-types';
import type { GraphNode } from './document';
import { kindInfo, type EdgeFault } from './structure';

export function labelOf(node: GraphNode | undefined): string {
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

/** Wires that cannot be used at all (they are left out of every other check). */
export function checkWires({ structure, errors }: CompileState): void {
  for (const { edge, fault } of structure.edgeFaults)
    if (fault !== null)
      errors.edge(edge, edgeFaultMessage(fault, structure.nodes.get(edge.source)));
}

/** One wire into every node, except two or more into Add and Concat; outputs may fan out. */
export function checkWireCounts({ structure, errors }: CompileState): void {
  for (const node of structure.nodes.values()) {
    const info = kindInfo(node);
    const label = labelOf(node);
    const wiresIn = structure.incoming.get(node.id)?.length ?? 0;
    if (info?.mergesInputs && wiresIn === 1)
      errors.node(
        node.id,
        `This ${label} has one wire coming in, but it needs two or more to ${node.type === 'add' ? 'add up' : 'put side by side'}. Wire another node into it, or delete it.`,
      );
    else if (!info?.mergesInputs && wiresIn > 1)
      errors.node(
        node.id,
        `This ${label} has ${wiresIn} wires coming in, but a ${label} takes exactly one input. Keep one and delete the others, or join them with an Add or a Concat first.`,
      );
  }
}

/** One message per loop, on the wire that closes it (the last one drawn). */
export function checkLoops({ structure, errors }: CompileState): void {
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
}

/**
 * Exactly one Input and one Loss, all in one connected part, with no loose ends. Returns the
 * main part (the Input's, else the Loss's, else the largest), whose output later checks read.
 */
export function checkOneNetwork({ structure, errors }: CompileState): string[] {
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

  const partOf = (id: string | undefined) =>
    id === undefined ? undefined : structure.parts.find((part) => part.includes(id));
  const largest = structure.parts.reduce<string[]>(
    (best, part) => (part.length > best.length ? part : best),
    [],
  );
  const mainPart = partOf(inputs[0]?.id) ?? partOf(losses[0]?.id) ?? largest;

  for (const part of structure.parts) {
    if (part === mainPart) continue;
    const head = part.find((id) => (structure.incoming.get(id)?.length ?? 0) === 0) ?? part[0];
    if (part.length > 1)
      errors.node(
        head,
        `This part (${part.length} nodes, starting here) is not connected to the rest of the network. Wire it in or delete it.`,
      );
    // A lone extra Input or Loss has been told already.
    else if (!errors.has(head))
      errors.node(
        head,
        `This ${labelOf(structure.nodes.get(head))} is not connected to the network. Wire it in between the Input and the Loss, or delete it.`,
      );
  }

  for (const id of mainPart) {
    const info = kindInfo(structure.nodes.get(id));
    if (!info) continue;
    if (info.hasInput && (structure.incoming.get(id)?.length ?? 0) === 0)
      errors.node(
        id,
        inputs.length === 0
          ? `The network has no Input. Add an Input node and wire it into this ${info.label}.`
          : `Nothing feeds this ${info.label}. Wire the node before it into its left handle.`,
      );
    if (info.hasOutput && (structure.outgoing.get(id)?.length ?? 0) === 0)
      errors.node(
        id,
        losses.length === 0
          ? `The network has no Loss. Add a Loss node after this ${info.label}.`
          : `This ${info.label} leads nowhere. Wire it on towards the Loss.`,
      );
  }
  return mainPart;
}
