/**
 * `predict`: run a trained model on the rows of a CSV file (or a built-in dataset). Prints each
 * row's prediction, and the accuracy (classification) or R² (regression) and the loss when the
 * file has the target column.
 */
import { dataLoss, forward } from '../../lib/engine/network';
import { accuracy, rSquared, rowClass } from '../../lib/engine/metrics';
import type { Matrix } from '../../lib/engine/matrix';
import { stringFlag, switchFlag, type FlagValues } from '../args';
import { JSON_FLAG, type Command } from '../command';
import { loadTable, rowsForModel } from '../datasets';
import { number, percent, table } from '../format';
import type { CliIo } from '../io';
import { requireFiniteOutputs } from '../finite-outputs';
import { readModelPath, trainedParts } from '../model-io';
import { networkWithWeights } from '../network';

/** Probability of the predicted class of row i (one sigmoid output: p or 1 - p). */
function confidence(P: Matrix, i: number, k: number): number {
  if (P.cols === 1) {
    const p = P.data[i];
    return k === 1 ? p : 1 - p;
  }
  return P.data[i * P.cols + k];
}

async function run(flags: FlagValues, io: CliIo): Promise<number> {
  const modelPath = stringFlag(flags, 'model')!;
  const model = await readModelPath(io, modelPath);
  const { spec, weights, data } = trainedParts(model, modelPath);
  const csv = await loadTable(io, stringFlag(flags, 'data')!);
  const rows = rowsForModel(csv, data, spec.loss.type);
  const net = networkWithWeights(spec, weights, model.training.seed);
  const cache = forward(net, rows.X);
  const P = cache.output;
  requireFiniteOutputs(P, rows.lines, rows.source);
  const n = P.rows;
  const classification = data.task === 'classification';

  const predictions: (string | number)[] = [];
  const confidences: number[] = [];
  for (let i = 0; i < n; i++) {
    if (classification) {
      const k = rowClass(P, i);
      predictions.push(data.classes[k]);
      confidences.push(confidence(P, i, k));
    } else predictions.push(P.data[i * P.cols]);
  }
  const summary: { loss?: number; accuracy?: number; r2?: number } = {};
  if (rows.Y) {
    summary.loss = dataLoss(net, cache, rows.Y);
    if (classification) summary.accuracy = accuracy(P, rows.Y);
    else summary.r2 = rSquared(P, rows.Y);
  }

  if (switchFlag(flags, 'json')) {
    const outputs: number[][] = [];
    for (let i = 0; i < n; i++)
      outputs.push(Array.from(P.data.subarray(i * P.cols, (i + 1) * P.cols)));
    io.out(
      JSON.stringify({
        rows: n,
        ...(classification ? { classes: data.classes } : {}),
        predictions,
        outputs,
        ...summary,
      }) + '\n',
    );
    return 0;
  }

  const header = ['line', 'prediction'];
  if (classification) header.push('probability');
  if (rows.targets) header.push('actual');
  const lines = [header];
  for (let i = 0; i < n; i++) {
    const line = [String(rows.lines[i])];
    if (classification) line.push(String(predictions[i]), percent(confidences[i]));
    else line.push(number(predictions[i] as number));
    if (rows.targets) {
      const t = rows.targets[i];
      const actual = classification ? data.classes[t] : number(t);
      const wrong = classification && actual !== predictions[i];
      line.push(wrong ? `${actual} ✗` : actual);
    }
    lines.push(line);
  }
  io.out(`${table(lines)}\n`);
  if (summary.loss !== undefined) {
    const score = classification
      ? `accuracy ${percent(summary.accuracy)} (${Math.round((summary.accuracy ?? 0) * n)} of ${n} rows right)`
      : `R² ${number(summary.r2)}`;
    io.out(`${rows.source}: ${score}, loss ${number(summary.loss)} (${spec.loss.type})\n`);
  } else
    io.out(`${rows.source}: ${n} rows predicted (no "${data.target}" column to score against)\n`);
  return 0;
}

export const predictCommand: Command = {
  name: 'predict',
  summary: 'predict the rows of a CSV file with a trained model',
  details:
    'The CSV needs the columns the model was trained on (by name, in any order); they are standardized as the model file says. When the file also has the target column, the accuracy (classification) or R² (regression) and the loss are printed. DATA may also be a built-in dataset name.',
  examples: [
    'predict --model iris.model.json --data flowers.csv',
    'predict --model iris.model.json --data iris --json',
  ],
  flags: [
    {
      name: 'model',
      kind: 'string',
      value: 'FILE',
      description: 'a trained model file',
      required: true,
    },
    {
      name: 'data',
      kind: 'string',
      value: 'FILE.csv',
      description: 'the rows to predict',
      required: true,
    },
    JSON_FLAG,
  ],
  run,
};
