/**
 * `gradcheck`: backprop's gradients against central finite differences, per dense layer, at the
 * file's weights (or, for an untrained design, the weights its seed draws). Finite differences
 * cost four forward passes per parameter, so large files are checked on evenly spaced rows.
 */
import { gradientCheck, type LayerGradientCheck } from '../../lib/engine/gradient-check';
import { selectRows } from '../../lib/data/index';
import { stringFlag, switchFlag, type FlagValues } from '../args';
import { JSON_FLAG, type Command } from '../command';
import { loadTable, requireTargets, rowsForModel } from '../datasets';
import { number, table } from '../format';
import type { CliIo } from '../io';
import { forward } from '../../lib/engine/network';
import { requireFiniteOutputs } from '../finite-outputs';
import { designParts, readModelPath } from '../model-io';
import { networkWithWeights } from '../network';
import type { LayerSpec } from '../../lib/engine/spec';

/** DESIGN.md §6: backprop and finite differences agree to this relative error in float64. */
export const PASS_RELATIVE_ERROR = 1e-7;
/** Above this the gradients are wrong, not merely imprecise. */
export const FAIL_RELATIVE_ERROR = 1e-4;
/** Multiply-adds the check may spend (about a few seconds). */
const WORK_BUDGET = 1e9;
const MIN_ROWS = 16;

export type Verdict = 'ok' | 'imprecise' | 'wrong';

export function verdictOf(check: LayerGradientCheck): Verdict {
  if (check.maxRelativeError < PASS_RELATIVE_ERROR) return 'ok';
  return check.maxRelativeError < FAIL_RELATIVE_ERROR ? 'imprecise' : 'wrong';
}

/** How many rows fit the work budget: parameters x 4 forward passes x multiply-adds per row. */
export function rowsWithinBudget(spec: LayerSpec, available: number): number {
  let parameters = 0,
    perRow = 0;
  for (const layer of spec.layers)
    if (layer.type === 'dense') {
      parameters += (layer.inputSize + 1) * layer.units;
      perRow += layer.inputSize * layer.units;
    }
  const affordable = Math.floor(WORK_BUDGET / Math.max(1, 4 * parameters * perRow));
  return Math.min(available, Math.max(MIN_ROWS, affordable));
}

/** `count` row indices spread evenly over `n` rows. */
function evenlySpaced(n: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => Math.floor((k * n) / count));
}

async function run(flags: FlagValues, io: CliIo): Promise<number> {
  const modelPath = stringFlag(flags, 'model')!;
  const model = await readModelPath(io, modelPath);
  const { spec, weights, data } = designParts(model, modelPath);
  const rows = rowsForModel(await loadTable(io, stringFlag(flags, 'data')!), data, spec.loss.type);
  const all = requireTargets(rows, data);
  const count = rowsWithinBudget(spec, all.X.rows);
  const picked = evenlySpaced(all.X.rows, count);
  const X = count === all.X.rows ? all.X : selectRows(all.X, picked);
  const Y = count === all.X.rows ? all.Y : selectRows(all.Y, picked);
  const net = networkWithWeights(spec, weights, model.training.seed);
  const checkedLines = count === all.X.rows ? rows.lines : picked.map((i) => rows.lines[i]);
  requireFiniteOutputs(forward(net, X).output, checkedLines, rows.source);
  const reg = { l1: model.training.l1, l2: model.training.l2 };
  const checks = gradientCheck(net, X, Y, reg);
  const verdicts = checks.map(verdictOf);
  const passed = verdicts.every((v) => v !== 'wrong');
  const weightsUsed = weights
    ? 'the file’s weights'
    : `initial weights from seed ${model.training.seed}`;

  if (switchFlag(flags, 'json')) {
    io.out(
      JSON.stringify({
        passed,
        rows: count,
        totalRows: all.X.rows,
        weights: weights ? 'file' : 'seed',
        layers: checks.map((c, k) => ({ ...c, verdict: verdicts[k] })),
      }) + '\n',
    );
    return passed ? 0 : 1;
  }
  const rowsNote =
    count === all.X.rows
      ? `all ${count} rows`
      : `${count} of ${all.X.rows} rows, evenly spaced (finite differences cost 4 forward passes per parameter)`;
  const lines = [
    ['layer', 'entries', 'max rel. error', 'max abs. error', 'skipped at kinks', 'verdict'],
  ];
  checks.forEach((c, k) =>
    lines.push([
      c.layerId,
      String(c.entries),
      number(c.maxRelativeError, 3),
      number(c.maxAbsoluteError, 3),
      String(c.skippedAtKinks),
      verdicts[k],
    ]),
  );
  io.out(
    `Gradient check of ${modelPath} at ${weightsUsed} on ${rowsNote} of ${rows.source}:\n` +
      `${table(lines)}\n` +
      (passed
        ? verdicts.every((v) => v === 'ok')
          ? `Backprop agrees with finite differences (every relative error < ${PASS_RELATIVE_ERROR}).\n`
          : `Backprop agrees with finite differences, some layers only to < ${FAIL_RELATIVE_ERROR} ("imprecise").\n`
        : `Backprop DISAGREES with finite differences (relative error ≥ ${FAIL_RELATIVE_ERROR}) in ${checks
            .filter((_, k) => verdicts[k] === 'wrong')
            .map((c) => c.layerId)
            .join(', ')}.\n`),
  );
  return passed ? 0 : 1;
}

export const gradcheckCommand: Command = {
  name: 'gradcheck',
  summary: 'check backprop against central finite differences, per layer',
  details: `Compares every dC/dW and dC/db with a fourth-order central difference at the file's weights (an untrained design: the weights its seed draws). Verdicts: "ok" below ${PASS_RELATIVE_ERROR} relative error, "imprecise" below ${FAIL_RELATIVE_ERROR}, "wrong" above. Exit code 1 when a layer is wrong. Large files are checked on evenly spaced rows so the check takes seconds.`,
  examples: ['gradcheck --model iris.model.json --data iris.csv'],
  flags: [
    { name: 'model', kind: 'string', value: 'FILE', description: 'a model file', required: true },
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
