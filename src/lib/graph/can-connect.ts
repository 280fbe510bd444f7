/**
 * Whether the canvas may draw a wire source -> target, and if not, why (shown while dragging).
 * Refuses what can never be part of a valid graph (DESIGN.md §3): wires into an Input or out of a
 * Loss, a node wired to itself, the same wire twice, a loop, and a second wire into a node that
 * takes one input (only Add and Concat take several). An output may feed several nodes.
 * Everything else is left to compile(), which explains it on the node.
 */
import type { GraphDocument } from './document';
import { kindInfo, reachable } from './structure';

export type ConnectCheck = { ok: true } | { ok: false; reason: string };

/** Whether `to` can be reached from `from` by following wires forward. */
export function reaches(doc: GraphDocument, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const edge of doc.edges)
    next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  return reachable(from, (id) => next.get(id) ?? []).has(to);
}

export function canConnect(doc: GraphDocument, source: string, target: string): ConnectCheck {
  const from = doc.nodes.find((node) => node.id === source);
  const to = doc.nodes.find((node) => node.id === target);
  if (!from || !to) return { ok: false, reason: 'that node no longer exists.' };
  const fromInfo = kindInfo(from);
  const toInfo = kindInfo(to);
  const fromLabel = fromInfo?.label ?? 'This node';
  const toLabel = toInfo?.label ?? 'This node';
  if (source === target)
    return { ok: false, reason: 'a node cannot feed itself (that is a loop).' };
  if (!fromInfo?.hasOutput)
    return { ok: false, reason: `a ${fromLabel} ends the network; nothing can come after it.` };
  if (!toInfo?.hasInput)
    return { ok: false, reason: `an ${toLabel} starts the network; nothing can feed into it.` };
  if (doc.edges.some((edge) => edge.source === source && edge.target === target))
    return { ok: false, reason: 'these two nodes are already wired.' };
  if (reaches(doc, target, source))
    return {
      ok: false,
      reason: 'that wire would make a loop (a cycle); data must flow one way, from Input to Loss.',
    };
  if (!toInfo.mergesInputs && doc.edges.some((edge) => edge.target === target))
    return {
      ok: false,
      reason: `${toLabel} already has an input; remove that wire first, or join both with an Add or a Concat.`,
    };
  return { ok: true };
}
