/**
 * `train`: train the network of a model file on a dataset and write the file back with its
 * weights, history, metrics and data block (features, target, classes, standardization).
 * Flags override the file's training settings; weights already in the file are the start.
 */
import {
  standardizeFeatures,
  BUILTIN_DATASET_NAMES,
  prepareData,
  targetWidth,
  type Dataset,
  type PreparedData,
  type Standardization,
} from '../../lib/data/index';
import { zeros } from '../../lib/engine/matrix';
import { rawFeature } from '../../lib/engine/feature-rows';
import { divergenceMessage } from '../../lib/engine/divergence';
import {
  OPTIMIZER_NAMES,
  OPTIMIZER_PARAMETERS,
  PRECISIONS,
  resolveSettings,
  settingProblem,
  type NumericSetting,
  type OptimizerName,
  type Precision,
  type SettingsPatch,
  type TrainingSettings,
} from '../../lib/engine/settings';
import { outputSize, type LayerSpec } from '../../lib/engine/spec';
import { Trainer } from '../../lib/engine/trainer';
import { compileGraph } from '../../lib/graph/compile';
import type { Metrics } from '../../lib/engine/types';
import {
  OPTIONAL_HISTORY_COLUMNS,
  compactHistory,
  settingsFromTraining,
  trainingBlock,
  type ModelFile,
  type ModelHistory,
} from '../../lib/model-file/index';
import { numberFlag, stringFlag, switchFlag, type FlagValues } from '../args';
import { JSON_FLAG, type Command } from '../command';
import { loadTrainingDataset } from '../datasets';
import { CliError, withEngineChecks } from '../errors';
import { number, percent, seconds, table } from '../format';
import type { CliIo } from '../io';
import { readModelPath, writeModelPath } from '../model-io';
import { createProgressBar } from '../progress';

/** The numeric flags and the setting each one sets (settings.ts names and limits). */
const NUMERIC_FLAGS: readonly (readonly [flag: string, field: NumericSetting])[] = [
  ['lr', 'learningRate'],
  ['momentum', 'momentum'],
  ['epochs', 'epochs'],
  ['batch-size', 'batchSize'],
  ['l2', 'l2'],
  ['seed', 'seed'],
  ['test-fraction', 'testFraction'],
];

/**
 * The file's settings with the flags applied, checked by the same rule as the app's form
 * (settingProblem per flag, then resolveSettings on the whole).
 */
export function settingsWithFlags(base: TrainingSettings, flags: FlagValues): TrainingSettings {
  const values = new Map<NumericSetting, number>();
  for (const [flag, field] of NUMERIC_FLAGS) {
    const value = numberFlag(flags, flag);
    if (value === undefined) continue;
    const problem = settingProblem(field, value);
    if (problem) throw new CliError(`--${flag}: ${problem} Got ${value}.`);
    values.set(field, value);
  }
  const name = (stringFlag(flags, 'optimizer') ?? base.optimizer.name) as OptimizerName;
  if (values.has('momentum') && !OPTIMIZER_PARAMETERS[name]?.includes('momentum'))
    throw new CliError(
      `--momentum applies to the momentum and nesterov optimizers; this run uses ${name}.`,
    );
  const optimizer: SettingsPatch['optimizer'] = { name };
  if (values.has('learningRate')) optimizer.learningRate = values.get('learningRate');
  if (values.has('momentum')) optimizer.momentum = values.get('momentum');
  const patch: SettingsPatch = { optimizer };
  for (const field of ['epochs', 'batchSize', 'l2', 'seed', 'testFraction'] as const)
    if (values.has(field)) patch[field] = values.get(field);
  if (switchFlag(flags, 'no-standardize')) patch.standardize = false;
  if (switchFlag(flags, 'no-shuffle')) patch.shuffle = false;
  const precision = stringFlag(flags, 'precision');
  if (precision !== undefined) patch.precision = precision as Precision;
  const result = resolveSettings(base, patch);
  if (!result.ok)
    throw new CliError(
      `The training settings cannot be used: ${Object.values(result.errors).join(' ')}`,
    );
  return result.settings;
}

/**
 * Does the dataset fit the network? Said before any work is done. `classes` are the classes the
 * outputs stand for: a trained file's own (DESIGN.md §2), else the dataset's.
 */
function checkFit(spec: LayerSpec, dataset: Dataset, classes: readonly string[]): void {
  const features = dataset.features.length;
  if (features !== spec.input.size)
    throw new CliError(
      `The network's input takes ${spec.input.size} features but ${dataset.name} has ${features} (${dataset.features.join(', ')}). Set the Input node's size to ${features}, or choose another dataset.`,
    );
  if (dataset.task === 'regression' && spec.loss.type !== 'mse')
    throw new CliError(
      `${dataset.name} is a regression dataset (its target "${dataset.target}" is a number), but the network's loss is ${spec.loss.type}. Use mse.`,
    );
  const needed = targetWidth(dataset.task, classes.length, spec.loss.type);
  const outputs = outputSize(spec);
  if (needed !== outputs) {
    const what =
      dataset.task === 'regression'
        ? 'one value (regression)'
        : `${needed} (${classes.length} classes with ${spec.loss.type})`;
    throw new CliError(
      `The network outputs ${outputs} values but ${dataset.name} needs ${what}. Change the last Dense layer's units to ${needed}.`,
    );
  }
}

/**
 * A file saved while its graph did not compile has no spec: compile it here, with the dataset's
 * sizes, so a graph that only needed the data's input size still trains. Its problems otherwise.
 */
function specFromGraph(model: ModelFile, path: string, dataset: Dataset): LayerSpec {
  const { spec, errors } = compileGraph(model.graph, {
    inputSize: dataset.features.length,
    task: dataset.task,
    classCount: dataset.classes.length,
    datasetLabel: dataset.name,
  });
  if (spec) return spec;
  const where = (e: { nodeId?: string; edgeId?: string }) =>
    e.nodeId ? `node ${e.nodeId}: ` : e.edgeId ? `wire ${e.edgeId}: ` : '';
  throw new CliError(
    `The graph in "${path}" has no layer spec and does not compile:\n${errors.map((e) => `  ${where(e)}${e.message}`).join('\n')}`,
  );
}

/**
 * The dataset with its feature columns in the order of `features` (the columns the file's weights
 * were trained on), when it has them all under those names; otherwise as it is, with a warning.
 */
function alignFeatures(dataset: Dataset, features: readonly string[], io: CliIo): Dataset {
  const order = features.map((name) => dataset.features.indexOf(name));
  if (order.some((j) => j === -1)) {
    io.err(
      `Warning: the weights in the file were trained on the columns ${features.join(', ')}; ${dataset.name} has ${dataset.features.join(', ')}. Training goes on from those weights, column by position.\n`,
    );
    return dataset;
  }
  if (order.every((j, k) => j === k)) return dataset;
  const { rows, cols } = dataset.X;
  const X = zeros(rows, cols);
  for (let i = 0; i < rows; i++)
    order.forEach((j, k) => (X.data[i * cols + k] = rawFeature(dataset.X, i, j)));
  return { ...dataset, features: [...features], X };
}

/** Prepared data (prepared unscaled) with the inputs standardized as `scaling` says. */
function withStandardization(data: PreparedData, scaling: Standardization): PreparedData {
  return {
    ...data,
    xTrain: standardizeFeatures(data.xTrain, scaling),
    xTest: standardizeFeatures(data.xTest, scaling),
    standardize: scaling,
  };
}

/** The earlier history followed by this run's, its epochs numbered on from the earlier ones. */
function continuedHistory(before: ModelHistory | undefined, run: ModelHistory): ModelHistory {
  if (!before || before.epoch.length === 0) return run;
  const offset = before.epoch[before.epoch.length - 1];
  const joined: ModelHistory = {
    epoch: [...before.epoch, ...run.epoch.map((e) => e + offset)],
    trainLoss: [...before.trainLoss, ...run.trainLoss],
    testLoss: [...before.testLoss, ...run.testLoss],
  };
  for (const key of OPTIONAL_HISTORY_COLUMNS) {
    const a = before[key] ?? [],
      b = run[key] ?? [];
    if (a.length + b.length > 0) joined[key] = [...a, ...b];
  }
  return joined;
}

function metricsTable(metrics: Metrics, task: Dataset['task']): string {
  const score = task === 'classification' ? 'accuracy' : 'R²';
  const show = (v: number | undefined) => (task === 'classification' ? percent(v) : number(v));
  return table([
    ['', 'loss', score],
    ['train', number(metrics.trainLoss), show(metrics.trainAccuracy ?? metrics.trainR2)],
    ['test', number(metrics.testLoss), show(metrics.testAccuracy ?? metrics.testR2)],
  ]);
}

async function run(flags: FlagValues, io: CliIo): Promise<number> {
  const modelPath = stringFlag(flags, 'model')!;
  const outPath = stringFlag(flags, 'out') ?? modelPath;
  const model = await readModelPath(io, modelPath);
  const settings = settingsWithFlags(settingsFromTraining(model.training), flags);
  const dataName = stringFlag(flags, 'data') ?? model.data?.dataset;
  if (!dataName)
    throw new CliError('Which data? Give --data with a built-in dataset name or a CSV file.');
  const dataset = await loadTrainingDataset(io, dataName, stringFlag(flags, 'target'));
  const spec = model.spec ?? specFromGraph(model, modelPath, dataset);
  const startWeights = model.weights ?? undefined;
  // A trained file keeps its classes in its order (DESIGN.md §2); the data may have fewer.
  const keptClasses =
    startWeights && model.data?.task === 'classification' && dataset.task === 'classification'
      ? model.data.classes
      : undefined;
  checkFit(spec, dataset, keptClasses ?? dataset.classes);
  // Weights belong to the columns they were trained on: keep those columns in that order.
  const columns =
    startWeights && model.data ? alignFeatures(dataset, model.data.features, io) : dataset;
  // Weights also belong to the standardization they were trained with: keep it, do not refit.
  const keptScaling = startWeights && settings.standardize ? model.data?.standardize : undefined;
  const split = prepareData(
    columns,
    {
      testFraction: settings.testFraction,
      seed: settings.seed,
      standardize: settings.standardize && !keptScaling,
      ...(keptClasses ? { classes: keptClasses } : {}),
      // The dataset is read once here: split and standardize in its own buffer, no copy.
      inPlace: true,
    },
    spec.loss.type,
  );
  const prepared = keptScaling ? withStandardization(split, keptScaling) : split;
  // The engine checks the settings and the weights against the spec.
  const trainer = withEngineChecks(
    () => new Trainer({ spec, data: prepared, settings, initialWeights: startWeights }),
  );

  const progress = createProgressBar(io);
  const start = io.now();
  while (trainer.epoch < settings.epochs) {
    const report = trainer.runEpoch();
    if (report.divergence) {
      progress.done();
      throw new CliError(`${divergenceMessage(report.divergence)} Nothing was written.`);
    }
    progress.update({
      epoch: trainer.epoch,
      epochs: settings.epochs,
      trainLoss: report.metrics?.trainLoss,
      testAccuracy: report.metrics?.testAccuracy,
      testR2: report.metrics?.testR2,
    });
  }
  progress.done();
  const elapsed = io.now() - start;

  const metrics = trainer.evaluate();
  const runHistory = compactHistory(trainer.history);
  const history = startWeights ? continuedHistory(model.training.history, runHistory) : runHistory;
  const trained: ModelFile = {
    ...model,
    spec,
    data: {
      dataset: prepared.dataset,
      features: prepared.features,
      target: prepared.target,
      task: prepared.task,
      classes: prepared.classes,
      ...(prepared.standardize ? { standardize: prepared.standardize } : {}),
    },
    training: trainingBlock(settings, history, metrics),
    weights: trainer.getWeights(),
  };
  await writeModelPath(io, outPath, trained);

  if (switchFlag(flags, 'json')) {
    io.out(
      JSON.stringify({
        model: outPath,
        dataset: prepared.dataset,
        task: prepared.task,
        epochs: settings.epochs,
        trainRows: prepared.xTrain.rows,
        testRows: prepared.xTest.rows,
        seconds: elapsed / 1000,
        metrics,
      }) + '\n',
    );
    return 0;
  }
  const from = startWeights ? 'continuing from the weights in the file' : `seed ${settings.seed}`;
  io.out(
    `Trained "${model.name}" on ${prepared.dataset} for ${settings.epochs} epochs (${settings.optimizer.name}, learning rate ${settings.optimizer.learningRate}, batch ${settings.batchSize}${settings.precision === 'float32' ? ', float32 steps' : ''}, ${from}) in ${seconds(elapsed)}.\n` +
      `${prepared.xTrain.rows} training rows, ${prepared.xTest.rows} test rows.\n` +
      `${metricsTable(metrics, prepared.task)}\n` +
      `Wrote ${outPath}\n`,
  );
  return 0;
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a model file on a dataset and save its weights',
  details: `Flags override the training settings stored in the file. Weights already in the file are the starting point (training continues); a file without weights starts from weights drawn from the seed. The trained model is written back to --model unless --out names another file.\n\nDATA is a built-in dataset (${BUILTIN_DATASET_NAMES.join(', ')}) or a CSV file with a header row; its target is the last column unless --target names another. Without --data, the dataset named in the file is used. fashion_mnist keeps its official split (60,000 training and 10,000 test images), so --test-fraction does not apply to it.\n\nA progress bar (epoch, loss, ETA) is drawn on stderr when it is a terminal.`,
  examples: [
    'train --model iris.model.json --data iris',
    'train --model my.model.json --data measurements.csv --target label --epochs 500 --optimizer adam --lr 0.005 --out trained.model.json',
  ],
  flags: [
    {
      name: 'model',
      kind: 'string',
      value: 'FILE',
      description: 'the model file to train',
      required: true,
    },
    {
      name: 'data',
      kind: 'string',
      value: 'NAME|FILE.csv',
      description: 'built-in dataset or CSV file (default: the one in the file)',
    },
    {
      name: 'target',
      kind: 'string',
      value: 'COL',
      description: 'CSV column to predict (default: the last column)',
    },
    { name: 'epochs', kind: 'integer', value: 'N', description: 'number of epochs' },
    { name: 'batch-size', kind: 'integer', value: 'B', description: 'rows per mini-batch' },
    {
      name: 'optimizer',
      kind: 'string',
      value: 'NAME',
      choices: OPTIMIZER_NAMES,
      description: `${OPTIMIZER_NAMES.join(', ')}`,
    },
    { name: 'lr', kind: 'number', value: 'X', description: 'learning rate' },
    {
      name: 'momentum',
      kind: 'number',
      value: 'X',
      description: 'momentum (momentum and nesterov optimizers)',
    },
    {
      name: 'l2',
      kind: 'number',
      value: 'X',
      description: 'L2 weight penalty λ: adds (λ/2) Σ W² to the loss',
    },
    {
      name: 'seed',
      kind: 'number',
      value: 'S',
      description: 'seed of every random choice (initial weights, split, shuffles)',
    },
    {
      name: 'test-fraction',
      kind: 'number',
      value: 'F',
      description: 'share of rows held out for testing, 0 to 0.9',
    },
    {
      name: 'precision',
      kind: 'string',
      value: 'P',
      choices: PRECISIONS,
      description:
        "arithmetic of the training step's products: float64 (exact, default) or float32 (fast); evaluation stays float64",
    },
    {
      name: 'no-standardize',
      kind: 'switch',
      description: 'use the features as given (no standardization)',
    },
    {
      name: 'no-shuffle',
      kind: 'switch',
      description: 'visit the training rows in the same order every epoch',
    },
    {
      name: 'out',
      kind: 'string',
      value: 'FILE',
      description: 'write the trained model here (default: overwrite --model)',
    },
    JSON_FLAG,
  ],
  run,
};
