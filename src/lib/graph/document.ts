/**
 * The graph document: what the canvas edits, what autosave keeps, and the `graph` block of the
 * model file (DESIGN.md §4). Plain, serialisable data (it crosses to the worker and to disk).
 */
import type { ActivationName, InitName, LossName } from '../engine/spec';

export type NodeKind = 'input' | 'dense' | 'activation' | 'dropout' | 'add' | 'concat' | 'loss';

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
export interface DropoutParams {
  /** 0 <= rate < 1: the share of numbers zeroed in each training step. */
  rate: number;
}
/** Add and Concat have no parameters: their inputs are their wires, in `edges` order. */
export type MergeParams = Record<string, never>;
export interface LossParams {
  loss: LossName;
}

export interface ParamsByKind {
  input: InputParams;
  dense: DenseParamsDoc;
  activation: ActivationParams;
  dropout: DropoutParams;
  add: MergeParams;
  concat: MergeParams;
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
