/**
 * `init`: write an untrained model file from a template (the same templates as the app's
 * "Templates" menu): its graph, the spec compiled from it, its dataset's columns and classes,
 * and its training settings. No weights: `train` draws them from the seed.
 */
import { builtinDatasetInfo } from '../../lib/data/index';
import { loadBuiltinDatasetNode } from '../../lib/data/load-node';
import { compileGraph } from '../../lib/graph/compile';
import type { LayerItemSpec } from '../../lib/engine/spec';
import {
  createTemplateDocument,
  TEMPLATE_IDS,
  TEMPLATES,
  templateById,
} from '../../lib/graph/templates';
import { untrainedModelFile, type ModelFile } from '../../lib/model-file/index';
import { stringFlag, switchFlag, type FlagValues } from '../args';
import { JSON_FLAG, type Command } from '../command';
import { CliError } from '../errors';
import type { CliIo } from '../io';
import { writeModelPath } from '../model-io';

/** The untrained model file of a template. */
export async function templateModel(id: string): Promise<ModelFile> {
  const template = templateById(id);
  if (!template)
    throw new CliError(`There is no template "${id}". Choose one of: ${TEMPLATE_IDS.join(', ')}.`);
  const dataset = await loadBuiltinDatasetNode(template.dataset);
  const graph = createTemplateDocument(id);
  const { spec, errors } = compileGraph(graph, {
    inputSize: dataset.features.length,
    task: dataset.task,
    classCount: dataset.classes.length,
    datasetLabel: builtinDatasetInfo(template.dataset).label,
  });
  if (!spec)
    throw new Error(
      `The template "${id}" does not compile: ${errors.map((e) => e.message).join(' ')}`,
    );
  return untrainedModelFile({
    name: `${id}-mlp`,
    document: graph,
    spec,
    data: {
      dataset: dataset.name,
      features: dataset.features,
      target: dataset.target,
      task: dataset.task,
      classes: dataset.classes,
    },
    settings: template.training,
  });
}

/** A layer in the one-line summary; merges name what they merge (the line is in topological order). */
function layerSummary(layer: LayerItemSpec): string {
  switch (layer.type) {
    case 'dense':
      return `Dense ${layer.units}`;
    case 'activation':
      return layer.fn;
    case 'dropout':
      return `Dropout ${layer.rate}`;
    case 'add':
      return `Add(${layer.inputs.join(' + ')})`;
    case 'concat':
      return `Concat(${layer.inputs.join(' | ')})`;
  }
}

/** The registry's templates, for --help. */
const TEMPLATE_LIST = TEMPLATES.map((t) => `${t.id}: ${t.label} (data: ${t.dataset})`).join('; ');

async function run(flags: FlagValues, io: CliIo): Promise<number> {
  const id = stringFlag(flags, 'template')!;
  const out = stringFlag(flags, 'out')!;
  const model = await templateModel(id);
  await writeModelPath(io, out, model);
  const template = templateById(id)!;
  if (switchFlag(flags, 'json')) {
    io.out(JSON.stringify({ model: out, template: id, dataset: template.dataset }) + '\n');
    return 0;
  }
  const layers = model.spec!.layers.map(layerSummary);
  io.out(
    `Wrote ${out}: ${template.label}, ${model.spec!.input.size} → ${layers.join(' → ')} → ${model.spec!.loss.type}, untrained.\n` +
      `Train it with: npm run cli -- train --model ${out} --data ${template.dataset}\n`,
  );
  return 0;
}

export const initCommand: Command = {
  name: 'init',
  summary: 'write an untrained model file from a template',
  details: `Templates (the app's Templates menu): ${TEMPLATE_LIST}.\n\nThe file holds the graph, its layer spec, the template's dataset columns and training settings, and no weights.`,
  examples: [
    'init --template iris --out iris.model.json',
    'init --template deep-sigmoid-skip --out skip.model.json',
  ],
  flags: [
    {
      name: 'template',
      kind: 'string',
      value: 'NAME',
      choices: TEMPLATE_IDS,
      description: TEMPLATE_IDS.join(', '),
      required: true,
    },
    {
      name: 'out',
      kind: 'string',
      value: 'FILE',
      description: 'where to write the model file',
      required: true,
    },
    JSON_FLAG,
  ],
  run,
};
