/**
 * The wires of a schema-valid spec (DESIGN.md §3): ids used once, each layer reading the input or
 * layers before it (one input, or two or more for Add and Concat), widths that fit at every wire,
 * every layer leading on to the loss, and the loss head. Each problem names its place in the file.
 */
import { isMergeSpec, layerOutputSize, type LayerItemSpec, type LayerSpec } from '../engine/spec';
import { issueAt } from './issues';

/** A list of ids as written in the file; a long one is cut after a few (messages stay short). */
export function quoteIds(ids: readonly string[]): string {
  const shown = ids
    .slice(0, 5)
    .map((i) => JSON.stringify(i.length > 40 ? `${i.slice(0, 37)}...` : i));
  return `[${shown.join(', ')}${ids.length > 5 ? `, ... (${ids.length} in all)` : ''}]`;
}

/** One id as written in the file, cut when long. */
const quoteId = (id: string): string => quoteIds([id]).slice(1, -1);

type Path = (string | number)[];

/** Problems with the list of inputs itself: how many, each once, each known and earlier. */
function inputListProblems(
  layer: LayerItemSpec,
  widths: ReadonlyMap<string, number>,
  at: Path,
): string[] {
  const issues: string[] = [];
  const merges = isMergeSpec(layer);
  if (merges && layer.inputs.length < 2)
    issues.push(
      issueAt(at, `${layer.type} needs two or more inputs, got ${quoteIds(layer.inputs)}`),
    );
  if (!merges && layer.inputs.length !== 1)
    issues.push(
      issueAt(at, `the ${layer.type} layer takes exactly one input, got ${quoteIds(layer.inputs)}`),
    );
  if (new Set(layer.inputs).size !== layer.inputs.length)
    issues.push(issueAt(at, `an input is listed twice in ${quoteIds(layer.inputs)}`));
  // One problem per layer, however many unknown ids a hostile file lists.
  const unknown = layer.inputs.filter((id) => !widths.has(id));
  if (unknown.length > 0) {
    const more = unknown.length > 1 ? ` (and ${unknown.length - 1} more unknown)` : '';
    issues.push(
      issueAt(
        at,
        `${quoteId(unknown[0])} is neither the input nor a layer before this one (layers are in topological order)${more}`,
      ),
    );
  }
  return issues;
}

/** Problems with the layer's declared width against what its inputs give. */
function widthProblems(
  layer: LayerItemSpec,
  widths: ReadonlyMap<string, number>,
  at: (field: string) => Path,
): string[] {
  const known = layer.inputs.filter((id) => widths.has(id));
  if (known.length !== layer.inputs.length) return []; // already said: an unknown input
  const given = known.map((id) => widths.get(id) as number);
  if (layer.type === 'concat') {
    const total = given.reduce((a, b) => a + b, 0);
    return layer.size === total
      ? []
      : [
          issueAt(
            at('size'),
            `expected ${total} (the widths of ${quoteIds(layer.inputs)} together), got ${layer.size}`,
          ),
        ];
  }
  // Dense declares what comes in as inputSize; every other kind as size, from each input.
  const field = layer.type === 'dense' ? 'inputSize' : 'size';
  const declared = layer.type === 'dense' ? layer.inputSize : layer.size;
  const issues: string[] = [];
  layer.inputs.forEach((id, k) => {
    if (given[k] !== declared)
      issues.push(
        issueAt(
          at(field),
          `expected ${given[k]} (the size coming out of ${quoteId(id)}), got ${declared}`,
        ),
      );
  });
  return issues.slice(0, 1);
}

/** The spec's wires and widths; empty when they fit together. */
export function specWiringProblems(spec: LayerSpec): string[] {
  const issues: string[] = [];
  const widths = new Map<string, number>([[spec.input.id, spec.input.size]]);
  const unused = new Map<string, Path>();
  spec.layers.forEach((layer, i) => {
    const at = (field: string): Path => ['spec', 'layers', i, field];
    if (widths.has(layer.id)) issues.push(issueAt(at('id'), `the id "${layer.id}" is used twice`));
    issues.push(...inputListProblems(layer, widths, at('inputs')));
    issues.push(...widthProblems(layer, widths, at));
    for (const id of layer.inputs) unused.delete(id);
    // Go on from the declared widths, so one mistake is reported once, not at every later layer.
    if (!widths.has(layer.id)) widths.set(layer.id, layerOutputSize(layer));
    unused.set(layer.id, ['spec', 'layers', i, 'id']);
  });
  const last = spec.layers.at(-1)?.id ?? spec.input.id;
  if (widths.has(spec.loss.id))
    issues.push(issueAt(['spec', 'loss', 'id'], `the id "${spec.loss.id}" is used twice`));
  if (spec.loss.inputs.length !== 1 || spec.loss.inputs[0] !== last)
    issues.push(
      issueAt(
        ['spec', 'loss', 'inputs'],
        `expected ["${last}"] (the last layer), got ${quoteIds(spec.loss.inputs)}`,
      ),
    );
  unused.delete(last);
  for (const [id, path] of unused)
    issues.push(issueAt(path, `"${id}" leads nowhere: no later layer takes its output`));
  issues.push(...lossHeadProblems(spec));
  return issues;
}

/** DESIGN.md §2: cross-entropy follows a softmax; binary cross-entropy one sigmoid unit. */
function lossHeadProblems(spec: LayerSpec): string[] {
  const last = spec.layers.at(-1);
  const lastFn = last?.type === 'activation' ? last.fn : undefined;
  const shown = last === undefined ? 'the input' : lastFn ? `"${lastFn}"` : `a ${last.type} layer`;
  const outputs = last ? layerOutputSize(last) : spec.input.size;
  const at = ['spec', 'loss', 'type'];
  if (spec.loss.type === 'cross_entropy' && lastFn !== 'softmax')
    return [issueAt(at, `cross_entropy needs a softmax right before it, got ${shown}`)];
  if (spec.loss.type === 'binary_cross_entropy') {
    if (lastFn !== 'sigmoid')
      return [issueAt(at, `binary_cross_entropy needs a sigmoid right before it, got ${shown}`)];
    if (outputs !== 1)
      return [
        issueAt(at, `binary_cross_entropy needs 1 output (one sigmoid unit), got ${outputs}`),
      ];
  }
  return [];
}
