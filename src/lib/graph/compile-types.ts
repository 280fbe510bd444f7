/** The types compile() takes and gives, and the state its checks share. */
import type { Task } from '../engine/metrics';
import type { OptimizerName } from '../engine/settings';
import type { LayerSpec } from '../engine/spec';
import type { NodeKind, ParamsByKind } from './document';
import type { ErrorCollector } from './error-collector';
import type { GraphShapes } from './shapes';
import type { Structure } from './structure';

/** What compile() knows about the chosen dataset; every field is optional. */
export interface CompileContext {
  /** Number of features: the Input takes its size from the dataset when this is set. */
  inputSize?: number;
  task?: Task;
  /** Number of classes (classification). */
  classCount?: number;
  /** The dataset's name as the user sees it ("Iris"), for messages. */
  datasetLabel?: string;
  /** The optimizer chosen, for the memory the size message names (default: Adam). */
  optimizer?: OptimizerName;
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

/** A node's parameters once the registry has read them. */
export type TypedParams = { [K in NodeKind]: { kind: K; params: ParamsByKind[K] } }[NodeKind];

/** What every check reads, and where it writes its messages. */
export interface CompileState {
  structure: Structure;
  /** Parameters of the nodes whose parameters are valid. */
  typed: Map<string, TypedParams>;
  shapes: GraphShapes;
  errors: ErrorCollector;
  context: CompileContext;
}
