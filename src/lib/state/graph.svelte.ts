/**
 * The graph being edited: Svelte Flow's nodes and edges (bound to the canvas), the plain
 * GraphDocument derived from them, its compile result, an undo history and autosave.
 *
 * The flow nodes are the source of truth because Svelte Flow writes into them (drags,
 * selection, measured sizes). Everything that matters to the network is mirrored in the
 * document, and only a change of the document is an edit: it is recorded for undo and saved.
 *
 * Over 300 lines because Svelte Flow's nodes and edges, the document mirrored from them and the
 * undo history must change together in one class; the logic with no state (compile, canConnect,
 * layout, autosave) lives in graph/ and beside it.
 */
/* eslint-disable svelte/prefer-svelte-reactivity -- every Map and Set here is a local temporary;
   reactive state is replaced as a whole ($state.raw), never mutated in place. */
import type { Edge, Node, XYPosition } from '@xyflow/svelte';
import { untrack } from 'svelte';
import type { GraphDocument, GraphEdge, GraphNode, NodeKind } from '../graph/document';
import { NODE_KINDS } from '../graph/node-kinds';
import { compileGraph, type CompileContext, type CompileResult } from '../graph/compile';
import { canConnect, type ConnectCheck } from '../graph/can-connect';
import {
  createTemplateDocument,
  templateById,
  type Template,
  type TemplateId,
} from '../graph/templates';
import {
  DEFAULT_NODE_SIZE,
  freeSpot,
  tidyPositions,
  type Box,
  type Point,
  type Size,
} from '../graph/layout';
import { UndoHistory } from './history';
import { restoreGraph, saveGraph } from './autosave';

export interface FlowNodeData extends Record<string, unknown> {
  params: Record<string, unknown>;
}
export type FlowNode = Node<FlowNodeData, NodeKind>;
export type FlowEdge = Edge<Record<string, unknown>, 'shape'>;

/** One undo step: the document as JSON and the template it was loaded from, if any. */
interface Snapshot {
  json: string;
  template: TemplateId | null;
}

/** A notice for the user that is not tied to a node (restore problems, import errors). */
export interface GraphNotice {
  kind: 'info' | 'error';
  message: string;
  /** Said of the graph on screen (the first visit's example): goes away when another is loaded. */
  untilNextLoad?: boolean;
}

function toGraphNode(node: FlowNode): GraphNode {
  return {
    id: node.id,
    type: node.type as NodeKind,
    position: { x: node.position.x, y: node.position.y },
    params: { ...node.data.params },
  };
}

/** A node's measured size, when the canvas has measured it. */
function measuredSize(node: FlowNode): Size | null {
  const width = node.measured?.width ?? node.width;
  const height = node.measured?.height ?? node.height;
  return width !== undefined && height !== undefined ? { width, height } : null;
}

function toGraphEdge(edge: FlowEdge): GraphEdge {
  return { id: edge.id, source: edge.source, target: edge.target };
}

function toFlowNode(node: GraphNode): FlowNode {
  return {
    id: node.id,
    type: node.type,
    position: { x: node.position.x, y: node.position.y },
    data: { params: { ...node.params } },
    ariaLabel: `${NODE_KINDS[node.type].label} node ${node.id}`,
  };
}

function toFlowEdge(edge: GraphEdge): FlowEdge {
  return { id: edge.id, source: edge.source, target: edge.target, type: 'shape' };
}

/** `items` with none selected (the selected ones copied, the others kept as they are). */
function deselected<T extends { selected?: boolean }>(items: readonly T[]): T[] {
  return items.map((item) => (item.selected ? { ...item, selected: false } : item));
}

/** Smallest `${prefix}${k}` not used yet (k counts up from 1), so ids stay short and readable. */
function nextId(prefix: string, used: Iterable<string>): string {
  let max = 0;
  for (const id of used) {
    if (!id.startsWith(prefix)) continue;
    const k = Number(id.slice(prefix.length));
    if (Number.isInteger(k) && k > max) max = k;
  }
  return `${prefix}${max + 1}`;
}

export class GraphState {
  /** Bound to <SvelteFlow bind:nodes>; replaced, never mutated in place ($state.raw). */
  nodes = $state.raw<FlowNode[]>([]);
  /** Bound to <SvelteFlow bind:edges>. */
  edges = $state.raw<FlowEdge[]>([]);
  /** What compile() knows about the data (set by the training panel when a dataset is chosen). */
  context = $state.raw<CompileContext>({});
  /** Restore/import problems and other page-level messages; null when there is nothing to say. */
  notice = $state.raw<GraphNotice | null>(null);
  /** The template last loaded (the training panel may follow its dataset and settings). */
  template = $state.raw<Template | null>(null);
  /** The design's name: the model file's `name` and the exported file's name. */
  name = $state.raw('network');
  /**
   * True when there was storage but no saved graph: the user's first visit (the page then opens
   * with a ready example). False after any saved graph, even an empty or unreadable one.
   */
  readonly firstVisit: boolean = false;
  /** Counts whole-graph loads (template, import, tidy up): the canvas fits the view after each. */
  loads = $state(0);
  /**
   * Set by Tidy up (cleared by a load): the fit after it keeps a readable zoom and starts at the
   * graph's left end, rather than shrinking a long graph to an unreadable strip.
   */
  readableFit = $state(false);

  /**
   * The document as JSON: an edit is a change of this string (selection, measuring and other
   * Svelte Flow bookkeeping are not), and deriveds below re-run only when it changes.
   */
  #documentJson = $derived(
    JSON.stringify({ nodes: this.nodes.map(toGraphNode), edges: this.edges.map(toGraphEdge) }),
  );
  readonly document: GraphDocument = $derived(JSON.parse(this.#documentJson));
  /** The document without positions: moving a node does not compile again. */
  #networkJson = $derived(
    JSON.stringify({
      nodes: this.document.nodes.map((node) => ({ ...node, position: { x: 0, y: 0 } })),
      edges: this.document.edges,
    }),
  );
  readonly compiled: CompileResult = $derived(
    compileGraph(JSON.parse(this.#networkJson) as GraphDocument, this.context),
  );
  /** Error messages per node id (edge errors are listed under their target node too). */
  readonly errorsByNode: Map<string, string[]> = $derived.by(() => {
    const byNode = new Map<string, string[]>();
    for (const error of this.compiled.errors) {
      const id =
        error.nodeId ?? this.edges.find((edge) => edge.id === error.edgeId)?.target ?? undefined;
      if (id === undefined) continue;
      byNode.set(id, [...(byNode.get(id) ?? []), error.message]);
    }
    return byNode;
  });
  readonly selectedNodes: FlowNode[] = $derived(this.nodes.filter((node) => node.selected));
  readonly isDragging: boolean = $derived(this.nodes.some((node) => node.dragging));

  #history = new UndoHistory<Snapshot>();
  /** The document as last recorded (the value the next undo step starts from). */
  #committedJson: string;
  /** Consecutive edits with the same merge key (typing "128" into Units) make one undo step. */
  #lastMergeKey: string | null = null;
  /** Bumped on every history change so canUndo/canRedo are reactive. */
  #historyVersion = $state(0);
  #storage: Storage | null;

  constructor(options: { storage?: Storage | null } = {}) {
    this.#storage =
      options.storage !== undefined
        ? options.storage
        : typeof localStorage === 'undefined'
          ? null
          : localStorage;
    if (this.#storage) {
      const restored = restoreGraph(this.#storage);
      this.firstVisit = restored.status === 'empty';
      if (restored.status === 'restored') this.#replace(restored.document);
      else if (restored.status === 'corrupt')
        this.notice = {
          kind: 'error',
          message: `The saved graph could not be restored and was set aside: ${restored.message}`,
        };
    }
    this.#committedJson = untrack(() => this.#documentJson);
  }

  get canUndo(): boolean {
    void this.#historyVersion;
    return this.#history.canUndo;
  }

  get canRedo(): boolean {
    void this.#historyVersion;
    return this.#history.canRedo;
  }

  /**
   * Record the current document as an edit if it changed since the last record, and autosave.
   * Verbs call it themselves; `watchEdits` calls it for Svelte Flow's own edits (drag, delete).
   */
  commit(mergeKey: string | null = null): void {
    const json = this.#documentJson;
    if (json === this.#committedJson) return;
    if (mergeKey === null || mergeKey !== this.#lastMergeKey)
      this.#history.record(this.#snapshot());
    this.#lastMergeKey = mergeKey;
    this.#committedJson = json;
    this.#historyVersion++;
    this.#save();
  }

  /** Call inside an $effect: commits what Svelte Flow changed (moves once a drag ends, deletes). */
  watchEdits(): void {
    void this.#documentJson;
    if (this.isDragging) return;
    untrack(() => this.commit());
  }

  /** Call inside an $effect: mirrors compile errors onto the node elements (aria-invalid, class). */
  watchErrors(): void {
    const errors = this.errorsByNode;
    untrack(() => {
      let changed = false;
      const nodes = this.nodes.map((node) => {
        const invalid = errors.has(node.id);
        const wasInvalid = node.domAttributes?.['aria-invalid'] === 'true';
        if (invalid === wasInvalid) return node;
        changed = true;
        return {
          ...node,
          class: invalid ? 'has-error' : undefined,
          domAttributes: invalid ? { 'aria-invalid': 'true' as const } : undefined,
        };
      });
      if (changed) this.nodes = nodes;
    });
  }

  setContext(context: CompileContext): void {
    this.context = { ...this.context, ...context };
  }

  /** Add a node of `kind` with its default parameters at `position`; it becomes the selection. */
  addNode(kind: NodeKind, position: XYPosition): string {
    const id = nextId(
      'n',
      this.nodes.map((node) => node.id),
    );
    const node = toFlowNode({
      id,
      type: kind,
      position,
      params: { ...NODE_KINDS[kind].defaultParams() },
    });
    this.nodes = [...deselected(this.nodes), { ...node, selected: true }];
    this.commit();
    return id;
  }

  /**
   * Add a node of `kind` in free space as near `centre` (the view's centre, in flow coordinates)
   * as it fits, so repeated adds sit side by side instead of piling up.
   */
  addNodeNear(kind: NodeKind, centre: Point): string {
    const occupied: Box[] = this.nodes.map((node) => ({
      ...node.position,
      ...(measuredSize(node) ?? DEFAULT_NODE_SIZE),
    }));
    return this.addNode(kind, freeSpot(occupied, centre));
  }

  /** "Tidy up": lay the graph out left to right in layers (one undo step). */
  tidyUp(): void {
    const sizes = new Map<string, Size>();
    for (const node of this.nodes) {
      const size = measuredSize(node);
      if (size) sizes.set(node.id, size);
    }
    const positions = tidyPositions(this.document, sizes);
    this.nodes = this.nodes.map((node) => {
      const at = positions.get(node.id);
      return at ? { ...node, position: at } : node;
    });
    this.#lastMergeKey = null;
    this.commit();
    // Frame the tidied graph, as after a template, but never smaller than readable.
    this.readableFit = true;
    this.loads++;
  }

  /** Whether an edge source -> target may be drawn (the reason when it never could be). */
  checkConnection(source: string, target: string): ConnectCheck {
    return canConnect(this.document, source, target);
  }

  /** The edge Svelte Flow should add for a drawn connection, or null when it is refused. */
  newEdge(source: string, target: string): FlowEdge | null {
    if (!this.checkConnection(source, target).ok) return null;
    return this.#freshEdge(source, target);
  }

  /** Add the edge source -> target if it is allowed; returns the check either way. */
  connect(source: string, target: string): ConnectCheck {
    const check = this.checkConnection(source, target);
    if (!check.ok) return check;
    this.edges = [...this.edges, this.#freshEdge(source, target)];
    this.commit();
    return check;
  }

  /**
   * The nodes that could feed `target` in place of its current input(s), each with the check
   * (the inspector's "Input from" list: wiring by keyboard).
   */
  inputChoices(target: string): { id: string; kind: NodeKind; check: ConnectCheck }[] {
    const withoutInputs: GraphDocument = {
      nodes: this.document.nodes,
      edges: this.document.edges.filter((edge) => edge.target !== target),
    };
    return this.document.nodes
      .filter((node) => node.id !== target && NODE_KINDS[node.type].hasOutput)
      .map((node) => ({
        id: node.id,
        kind: node.type,
        check: canConnect(withoutInputs, node.id, target),
      }));
  }

  /** Make `source` the only input of `target`, or disconnect it (null). One undo step. */
  setInput(target: string, source: string | null): ConnectCheck | null {
    const others = this.edges.filter((edge) => edge.target !== target);
    let added: FlowEdge[] = [];
    let check: ConnectCheck | null = null;
    if (source !== null) {
      check = canConnect(
        { nodes: this.document.nodes, edges: others.map(toGraphEdge) },
        source,
        target,
      );
      if (!check.ok) return check;
      added = [this.#freshEdge(source, target)];
    }
    this.edges = [...others, ...added];
    this.commit();
    return check;
  }

  /**
   * Move the wire `edgeId` one place earlier (-1) or later (+1) among the wires into its target:
   * a merge node's inputs follow that order (for Concat, the column order; DESIGN.md §3).
   * Returns whether anything moved.
   */
  moveInput(edgeId: string, delta: -1 | 1): boolean {
    const edge = this.edges.find((e) => e.id === edgeId);
    if (!edge) return false;
    const siblings = this.edges
      .map((e, index) => ({ e, index }))
      .filter(({ e }) => e.target === edge.target);
    const at = siblings.findIndex(({ e }) => e.id === edgeId);
    const other = siblings[at + delta];
    if (!other) return false;
    const edges = [...this.edges];
    edges[siblings[at].index] = other.e;
    edges[other.index] = edge;
    this.edges = edges;
    this.commit();
    return true;
  }

  /** Remove one wire (the inspector's "Remove" next to a merge node's input). */
  removeEdge(edgeId: string): void {
    this.edges = this.edges.filter((edge) => edge.id !== edgeId);
    this.commit();
  }

  /** Change some parameters of one node (from the inspector); compiles again at once. */
  updateParams(id: string, patch: Record<string, unknown>): void {
    this.nodes = this.nodes.map((node) =>
      node.id === id ? { ...node, data: { params: { ...node.data.params, ...patch } } } : node,
    );
    this.commit(`params:${id}:${Object.keys(patch).sort().join(',')}`);
  }

  /** Delete the selected nodes (with their edges) and the selected edges. */
  removeSelected(): void {
    const removed = new Set(this.nodes.filter((node) => node.selected).map((node) => node.id));
    this.nodes = this.nodes.filter((node) => !removed.has(node.id));
    this.edges = this.edges.filter(
      (edge) => !edge.selected && !removed.has(edge.source) && !removed.has(edge.target),
    );
    this.commit();
  }

  /** Copy the selected nodes (and the edges among them) a little below-right; copies get selected. */
  duplicateSelected(): void {
    const selected = this.nodes.filter((node) => node.selected);
    if (selected.length === 0) return;
    const usedNodeIds = this.nodes.map((node) => node.id);
    const newIds = new Map<string, string>();
    for (const node of selected) {
      const id = nextId('n', usedNodeIds);
      usedNodeIds.push(id);
      newIds.set(node.id, id);
    }
    const copies = selected.map((node) => ({
      ...toFlowNode({
        ...toGraphNode(node),
        id: newIds.get(node.id) as string,
        position: { x: node.position.x + 40, y: node.position.y + 40 },
      }),
      selected: true,
    }));
    const usedEdgeIds = this.edges.map((edge) => edge.id);
    const edgeCopies: FlowEdge[] = [];
    for (const edge of this.edges) {
      const source = newIds.get(edge.source);
      const target = newIds.get(edge.target);
      if (source === undefined || target === undefined) continue;
      const id = nextId('e', usedEdgeIds);
      usedEdgeIds.push(id);
      edgeCopies.push(toFlowEdge({ id, source, target }));
    }
    this.nodes = [...deselected(this.nodes), ...copies];
    this.edges = [...deselected(this.edges), ...edgeCopies];
    this.commit();
  }

  /** Make `id` the only selected node. */
  select(id: string | null): void {
    this.nodes = this.nodes.map((node) =>
      (node.id === id) === Boolean(node.selected) ? node : { ...node, selected: node.id === id },
    );
    this.edges = deselected(this.edges);
  }

  /** Replace the whole graph (template, import); one undo step brings the old one back. */
  loadDocument(document: GraphDocument): void {
    this.#replace(document, { keepSelection: false });
    this.#lastMergeKey = null;
    this.commit();
    if (this.notice?.untilNextLoad) this.notice = null;
    this.readableFit = false;
    this.loads++;
  }

  /**
   * Make the graph on screen where history starts (the first visit's example): Undo cannot take
   * it away and leave an empty canvas.
   */
  startHistoryHere(): void {
    this.#history.clear();
    this.#lastMergeKey = null;
    this.#committedJson = this.#documentJson;
    this.#historyVersion++;
  }

  /** Load a template; `layout` may move its nodes (the canvas fits them to the window). */
  loadTemplate(id: string, layout: (document: GraphDocument) => GraphDocument = (d) => d): void {
    const template = templateById(id);
    if (!template) throw new Error(`Unknown template "${id}"`);
    this.loadDocument(layout(createTemplateDocument(template.id)));
    this.template = template;
    this.name = template.id;
  }

  /** Replace the graph with an imported one (undoable), keeping the file's name. */
  importDocument(document: GraphDocument, name: string): void {
    this.loadDocument(document);
    this.template = null;
    this.name = name;
  }

  showNotice(notice: GraphNotice): void {
    this.notice = notice;
  }

  undo(): void {
    const previous = this.#history.undo(this.#snapshot());
    if (previous !== undefined) this.#jumpTo(previous);
  }

  redo(): void {
    const next = this.#history.redo(this.#snapshot());
    if (next !== undefined) this.#jumpTo(next);
  }

  dismissNotice(): void {
    this.notice = null;
  }

  /** A wire source -> target with the next free edge id (not added yet). */
  #freshEdge(source: string, target: string): FlowEdge {
    const id = nextId(
      'e',
      this.edges.map((edge) => edge.id),
    );
    return toFlowEdge({ id, source, target });
  }

  /** What an undo step restores: the document and the template it came from. */
  #snapshot(): Snapshot {
    return { json: this.#committedJson, template: this.template?.id ?? null };
  }

  #jumpTo(snapshot: Snapshot): void {
    this.#replace(JSON.parse(snapshot.json) as GraphDocument);
    // The training panel follows the template's dataset, so undoing a template load goes back
    // to the earlier template's data too.
    this.template = snapshot.template === null ? null : (templateById(snapshot.template) ?? null);
    this.#committedJson = this.#documentJson;
    this.#lastMergeKey = null;
    this.#historyVersion++;
    this.#save();
  }

  /**
   * Show `document` on the canvas. Nodes and edges that are still there keep their flow objects
   * (measured size, selection), so Svelte Flow need not measure them again before drawing edges.
   */
  #replace(document: GraphDocument, { keepSelection = true } = {}): void {
    const oldNodes = new Map(this.nodes.map((node) => [node.id, node]));
    this.nodes = document.nodes.map((graphNode) => {
      const node = toFlowNode(graphNode);
      const old = oldNodes.get(node.id);
      if (old?.type !== node.type) return node;
      const selected = keepSelection ? old.selected : false;
      return { ...old, position: node.position, data: node.data, selected };
    });
    const oldEdges = new Map(this.edges.map((edge) => [edge.id, edge]));
    this.edges = document.edges.map((graphEdge) => {
      const old = oldEdges.get(graphEdge.id);
      if (old?.source !== graphEdge.source || old.target !== graphEdge.target)
        return toFlowEdge(graphEdge);
      return keepSelection || !old.selected ? old : { ...old, selected: false };
    });
  }

  #save(): void {
    if (!this.#storage) return;
    const error = saveGraph(this.#storage, this.document);
    if (error !== null)
      this.notice = {
        kind: 'error',
        message: `Autosave failed (${error}); export the graph to keep it.`,
      };
  }
}
