/**
 * `grad`: the loss and its gradients dC/dW, dC/db for every dense layer, at the model file's
 * weights, over the whole data file as one batch (after the file's standardization). The loss
 * includes the file's weight penalties (training.l1, training.l2), as in training.
 * JSON: { "loss": x, "gradients": { "<layer id>": { "W": [[...]], "b": [...] } } }.
 */
import { toRows } from '../../lib/engine/matrix';
import { forward, lossAndGradients } from '../../lib/engine/network';
import { stringFlag, switchFlag, type FlagValues } from '../args';
import { JSON_FLAG, type Command } from '../command';
import { loadTable, requireTargets, rowsForModel } from '../datasets';
import { number } from '../format';
import type { CliIo } from '../io';
import { requireFiniteOutputs } from '../finite-outputs';
import { readModelPath, trainedParts } from '../model-io';
import { networkWithWeights } from '../network';

export interface GradOutput {
  loss: number;
  gradients: Record<string, { W: number[][]; b: number[] }>;
}

function formatRow(values: readonly number[]): string {
  return values.map((v) => number(v, 5).padStart(12)).join('');
}

async function run(flags: FlagValues, io: CliIo): Promise<number> {
  const modelPath = stringFlag(flags, 'model')!;
  const model = await readModelPath(io, modelPath);
  const { spec, weights, data } = trainedParts(model, modelPath);
  const rows = rowsForModel(await loadTable(io, stringFlag(flags, 'data')!), data, spec.loss.type);
  const { X, Y } = requireTargets(rows, data);
  const net = networkWithWeights(spec, weights, model.training.seed);
  requireFiniteOutputs(forward(net, X).output, rows.lines, rows.source);
  const reg = { l1: model.training.l1, l2: model.training.l2 };
  const { loss, grads } = lossAndGradients(net, X, Y, reg);
  // Null prototype: layer ids are user data ("__proto__" is an ordinary key).
  const output: GradOutput = { loss, gradients: Object.create(null) as GradOutput['gradients'] };
  for (const g of grads) output.gradients[g.id] = { W: toRows(g.dW), b: Array.from(g.db) };

  if (switchFlag(flags, 'json')) {
    io.out(JSON.stringify(output) + '\n');
    return 0;
  }
  const penalty = reg.l1 || reg.l2 ? ` (with penalty l1 ${reg.l1}, l2 ${reg.l2})` : '';
  const parts = [`loss ${number(loss, 8)}${penalty} over ${X.rows} rows of ${rows.source}`];
  for (const g of grads) {
    parts.push(`\n${g.id}  dC/dW (${g.dW.rows} × ${g.dW.cols}):`);
    for (const row of output.gradients[g.id].W) parts.push(formatRow(row));
    parts.push(`${g.id}  dC/db (${g.db.length}):`, formatRow(output.gradients[g.id].b));
  }
  io.out(parts.join('\n') + '\n');
  return 0;
}

export const gradCommand: Command = {
  name: 'grad',
  summary: 'print the loss and dC/dW, dC/db of every dense layer at the file’s weights',
  details:
    'The whole data file is one batch, standardized as the model file says. The loss includes the weight penalties stored in the file (training.l1, training.l2). With --json: {"loss": x, "gradients": {"<layer id>": {"W": [[...]], "b": [...]}}}.',
  examples: ['grad --model iris.model.json --data iris.csv --json'],
  flags: [
    {
      name: 'model',
      kind: 'string',
      value: 'FILE',
      description: 'a model file with weights',
      required: true,
    },
    {
      name: 'data',
      kind: 'string',
      value: 'FILE.csv',
      description: 'rows with the target column',
      required: true,
    },
    JSON_FLAG,
  ],
  run,
};
