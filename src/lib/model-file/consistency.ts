/**
 * Checks that the parts of a schema-valid model file fit together: the layer spec's wires and
 * widths fit (spec-wiring.ts), every node it names is in the graph, the weights have the shapes the spec implies,
 * and the data block matches the network's inputs and outputs. Each problem names its place.
 */
import { outputSize, targetWidth, type LayerSpec } from '../engine/spec';
import type { GraphDocument } from '../graph/document';
import { weightCount, weightLimitProblem } from '../graph/limits';
import { specGraphProblems } from './graph-agreement';
import { specWiringProblems } from './spec-wiring';
import { issueAt } from './issues';
import {
  OPTIONAL_HISTORY_COLUMNS,
  type ModelData,
  type ModelFile,
  type ModelHistory,
} from './types';

function countNoun(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function checkGraph(graph: GraphDocument): string[] {
  const issues: string[] = [];
  const ids = new Set<string>();
  graph.nodes.forEach((node, i) => {
    if (ids.has(node.id))
      issues.push(issueAt(['graph', 'nodes', i, 'id'], `the id "${node.id}" is used twice`));
    ids.add(node.id);
  });
  const edgeIds = new Set<string>();
  graph.edges.forEach((edge, i) => {
    if (edgeIds.has(edge.id))
      issues.push(issueAt(['graph', 'edges', i, 'id'], `the id "${edge.id}" is used twice`));
    edgeIds.add(edge.id);
    for (const end of ['source', 'target'] as const)
      if (!ids.has(edge[end]))
        issues.push(
          issueAt(['graph', 'edges', i, end], `there is no node "${edge[end]}" in graph.nodes`),
        );
  });
  return issues;
}

/** Every node the spec names must be a node of the graph it was compiled from. */
function checkSpecAgainstGraph(spec: LayerSpec, graph: GraphDocument): string[] {
  const nodeIds = new Set(graph.nodes.map((n) => n.id));
  const named: [(string | number)[], string][] = [
    [['spec', 'input', 'id'], spec.input.id],
    ...spec.layers.map((l, i): [(string | number)[], string] => [
      ['spec', 'layers', i, 'id'],
      l.id,
    ]),
    [['spec', 'loss', 'id'], spec.loss.id],
  ];
  return named
    .filter(([, id]) => !nodeIds.has(id))
    .map(([path, id]) => issueAt(path, `there is no node "${id}" in graph.nodes`));
}

function checkWeights(model: ModelFile, spec: LayerSpec | null | undefined): string[] {
  const weights = model.weights;
  if (weights === null || weights === undefined) return [];
  if (!spec) return [issueAt(['weights'], 'weights need a spec to belong to, but spec is missing')];
  const issues: string[] = [];
  const dense = spec.layers.filter((l) => l.type === 'dense');
  const denseIds = new Set(dense.map((l) => l.id));
  for (const key of Object.keys(weights))
    if (!denseIds.has(key))
      issues.push(issueAt(['weights', key], `there is no dense layer "${key}" in spec.layers`));
  for (const layer of dense) {
    // Ids are plain strings ("constructor" too): only the block's own entries count.
    const entry = Object.hasOwn(weights, layer.id) ? weights[layer.id] : undefined;
    if (!entry) {
      issues.push(
        issueAt(['weights', layer.id], `missing (dense layer "${layer.id}" needs W and b)`),
      );
      continue;
    }
    const rows = layer.inputSize,
      cols = layer.units;
    const expected = `expected ${countNoun(rows, 'row')} of ${countNoun(cols, 'number')}`;
    if (entry.W.length !== rows)
      issues.push(
        issueAt(['weights', layer.id, 'W'], `${expected}, got ${countNoun(entry.W.length, 'row')}`),
      );
    else
      entry.W.forEach((row, r) => {
        if (row.length !== cols)
          issues.push(
            issueAt(
              ['weights', layer.id, 'W', r],
              `expected ${countNoun(cols, 'number')} (one per unit), got ${row.length}`,
            ),
          );
      });
    if (entry.b.length !== cols)
      issues.push(
        issueAt(
          ['weights', layer.id, 'b'],
          `expected ${countNoun(cols, 'number')} (one per unit), got ${entry.b.length}`,
        ),
      );
  }
  return issues;
}

function checkData(model: ModelFile, spec: LayerSpec | null | undefined): string[] {
  const data = model.data;
  if (!data) return [];
  const issues: string[] = [
    ...duplicateNames(data.features, ['data', 'features'], 'feature'),
    ...duplicateNames(data.classes, ['data', 'classes'], 'class'),
  ];
  if (!spec) return issues;
  const inputs = spec.input.size;
  const s = data.standardize;
  if (s) {
    for (const key of ['mean', 'std'] as const)
      if (s[key].length !== inputs)
        issues.push(
          issueAt(
            ['data', 'standardize', key],
            `expected ${countNoun(inputs, 'number')} (one per input), got ${s[key].length}`,
          ),
        );
  }
  // A design may be half-way to its data; a trained network must match it exactly.
  const trained = model.weights !== null && model.weights !== undefined;
  if (trained) issues.push(...dataFitProblems(spec, data));
  return issues;
}

/**
 * How the data block does not fit the network (its inputs, its outputs, its loss); empty when it
 * fits. The reader asks this of trained files; commands that run a design ask it before running.
 */
export function dataFitProblems(spec: LayerSpec, data: ModelData): string[] {
  const issues: string[] = [];
  const inputs = spec.input.size;
  if (data.features.length !== inputs)
    issues.push(
      issueAt(
        ['data', 'features'],
        `expected ${countNoun(inputs, 'name')} (the input size), got ${data.features.length}`,
      ),
    );
  if (data.task === 'classification' && data.classes.length < 2)
    issues.push(
      issueAt(
        ['data', 'classes'],
        `classification needs at least 2 classes, got ${data.classes.length}`,
      ),
    );
  if (spec.loss.type === 'binary_cross_entropy' && data.classes.length !== 2)
    issues.push(
      issueAt(
        ['data', 'classes'],
        `binary_cross_entropy needs exactly 2 classes, got ${data.classes.length}`,
      ),
    );
  const needed = targetWidth(data.task, data.classes.length, spec.loss.type);
  const outputs = outputSize(spec);
  if (data.task === 'regression' && spec.loss.type !== 'mse')
    issues.push(
      issueAt(['spec', 'loss', 'type'], `regression needs "mse", got "${spec.loss.type}"`),
    );
  else if (needed !== outputs)
    issues.push(
      issueAt(
        ['data', 'classes'],
        `the network outputs ${countNoun(outputs, 'value')} but ${data.task === 'regression' ? 'regression' : `${data.classes.length} classes with ${spec.loss.type}`} needs ${needed}`,
      ),
    );
  return issues;
}

/** Each name said once: a feature read twice or two outputs with one label are mistakes. */
function duplicateNames(names: readonly string[], path: string[], what: string): string[] {
  const seen = new Set<string>();
  const reported = new Set<string>();
  const issues: string[] = [];
  for (const name of names) {
    if (seen.has(name) && !reported.has(name)) {
      reported.add(name);
      issues.push(issueAt(path, `the ${what} "${name}" is listed twice`));
    }
    seen.add(name);
  }
  return issues;
}

/** The editor's limit on the network's size holds in files too. */
function checkSize(spec: LayerSpec): string[] {
  const problem = weightLimitProblem(weightCount(spec));
  return problem ? [issueAt(['spec', 'layers'], problem)] : [];
}

function checkHistory(history: ModelHistory | undefined): string[] {
  if (!history) return [];
  const n = history.epoch.length;
  const issues: string[] = [];
  for (const key of ['trainLoss', 'testLoss', ...OPTIONAL_HISTORY_COLUMNS] as const) {
    const values = history[key];
    // Accuracy columns are empty in regression and R² columns in classification.
    if (values && values.length !== n && values.length !== 0)
      issues.push(
        issueAt(
          ['training', 'history', key],
          `expected ${countNoun(n, 'value')} (one per epoch), got ${values.length}`,
        ),
      );
  }
  return issues;
}

/** Every way the parts of `model` disagree with each other (empty when they fit). */
export function checkModelConsistency(model: ModelFile): string[] {
  const spec = model.spec;
  const issues = [...checkGraph(model.graph)];
  if (spec) {
    issues.push(...specWiringProblems(spec), ...checkSpecAgainstGraph(spec, model.graph));
    issues.push(...checkSize(spec));
  }
  // Shape checks of the weights only make sense once the spec itself is sound.
  if (issues.length === 0) issues.push(...checkWeights(model, spec), ...checkData(model, spec));
  // Whether the spec is the graph's, once each is sound on its own (compile is the costly part).
  if (issues.length === 0) issues.push(...specGraphProblems(spec, model.graph, model.data));
  issues.push(...checkHistory(model.training.history));
  return issues;
}
