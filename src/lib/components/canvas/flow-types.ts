/**
 * Node and edge components by type, declared once outside any component (Svelte Flow re-creates
 * every node when this object changes identity).
 */
import type { EdgeTypes, FitViewOptions, NodeTypes } from '@xyflow/svelte';
import type { NodeKind } from '../../graph/document';
import InputNode from '../nodes/InputNode.svelte';
import DenseNode from '../nodes/DenseNode.svelte';
import ActivationNode from '../nodes/ActivationNode.svelte';
import LossNode from '../nodes/LossNode.svelte';
import DropoutNode from '../nodes/DropoutNode.svelte';
import MergeNode from '../nodes/MergeNode.svelte';
import ShapeEdge from './ShapeEdge.svelte';

export const nodeTypes = {
  input: InputNode,
  dense: DenseNode,
  activation: ActivationNode,
  dropout: DropoutNode,
  add: MergeNode,
  concat: MergeNode,
  loss: LossNode,
} satisfies Record<NodeKind, unknown> as unknown as NodeTypes;

export const edgeTypes = { shape: ShapeEdge } as unknown as EdgeTypes;

/** MIME type of a palette drag; the payload is the node kind. */
export const NODE_KIND_MIME = 'application/x-backprop-studio-node';

/**
 * How the view frames the whole graph (on start, after a template or import, "Fit view"): the
 * left margin keeps nodes clear of the zoom controls in the bottom-left corner.
 */
export const FIT_VIEW_OPTIONS = {
  padding: { top: '40px', right: '32px', bottom: '32px', left: '64px' },
  maxZoom: 1.2,
} satisfies FitViewOptions;

/**
 * Where a new node's top-left corner goes relative to the point it is added at (the drop point
 * or the view's centre): half a typical node's width (about 170 px) to the left and a title's
 * height up, so that point lands on the node's title.
 */
export const NEW_NODE_ANCHOR = { x: 85, y: 30 } as const;
