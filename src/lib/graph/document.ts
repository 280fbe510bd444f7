/**
 * The graph document: what the canvas edits, what autosave keeps, and the `graph` block of the
 * model file (DESIGN.md §4). Plain, serialisable data (it crosses to the worker and to disk).
 */
import type { ActivationName, InitName, LossName } from '../engine/spec';

export type NodeKind = 'input' | 'dense' | 'activation' | 'loss';

export interface InputParams {
  size: number;
}
export interface DenseParamsDoc {
  units: number;
  init: InitName;
}
export interface ActivationParams {
  fn: ActivationName;
  /** leaky_relu slope / elu alpha; absent means the default. */
  alpha?: number;
}
export interface LossParams {
  loss: LossName;
}

export interface ParamsByKind {
  input: InputParams;
  dense: DenseParamsDoc;
  activation: ActivationParams;
  loss: LossParams;
}

export interface GraphNode<K extends NodeKind = NodeKind> {
  id: string;
  type: K;
  position: { x: number; y: number };
  /** Kind-specific parameters; may be incomplete or wrong in a document being edited. */
  params: Partial<ParamsByKind[K]> & Record<string, unknown>;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
}

export interface GraphDocument {
  nodes: GraphNode[];
  edges: GraphEdge[];
}
