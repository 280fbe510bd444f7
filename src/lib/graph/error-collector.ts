/**
 * Where compile()'s checks put their messages. The canvas shows a wire's message on the wire's
 * target node and lists a node's messages keyed by their text, so one place never gets the same
 * message twice; the list comes out in the order of the nodes it is shown on.
 */
import type { GraphError } from './compile-types';
import type { GraphEdge } from './document';
import type { Structure } from './structure';

export class ErrorCollector {
  readonly #errors: GraphError[] = [];
  readonly #seen = new Set<string>();
  /** The target of each wire id, as the canvas resolves it (the first wire with that id). */
  readonly #targetOf = new Map<string, string>();

  constructor(private readonly structure: Structure) {
    for (const { edge } of structure.edgeFaults)
      if (!this.#targetOf.has(edge.id)) this.#targetOf.set(edge.id, edge.target);
  }

  node(nodeId: string, message: string): void {
    this.#add({ nodeId, message }, nodeId);
  }

  edge(edge: GraphEdge, message: string): void {
    const target = this.#targetOf.get(edge.id);
    const shownOn = target !== undefined && this.structure.nodes.has(target) ? target : null;
    this.#add({ edgeId: edge.id, message }, shownOn ?? `edge:${edge.id}`);
  }

  /** Whether a node already has a message of its own. */
  has(nodeId: string): boolean {
    return this.#errors.some((error) => error.nodeId === nodeId);
  }

  get count(): number {
    return this.#errors.length;
  }

  /** The messages in the order of the nodes they are shown on; stable otherwise. */
  inDocumentOrder(): GraphError[] {
    const rank = new Map([...this.structure.nodes.keys()].map((id, index) => [id, index]));
    const place = (error: GraphError) =>
      rank.get(error.nodeId ?? this.#targetOf.get(error.edgeId ?? '') ?? '') ?? rank.size;
    return this.#errors
      .map((error, index) => ({ error, index }))
      .sort((a, b) => place(a.error) - place(b.error) || a.index - b.index)
      .map(({ error }) => error);
  }

  #add(error: GraphError, place: string): void {
    const key = JSON.stringify([place, error.message]);
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#errors.push(error);
  }
}
