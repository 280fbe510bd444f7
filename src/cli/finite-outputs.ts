/**
 * Refusing to report on outputs that are not numbers: when weights or activations overflow, the
 * predictions, losses and gradients printed from them would mean nothing (a NaN row still has an
 * "argmax", so an accuracy would look real). predict, grad and gradcheck check this first.
 */
import type { Matrix } from '../lib/engine/matrix';
import { CliError } from './errors';

/** Indices of the rows of `outputs` with at least one NaN or infinite entry. */
export function nonFiniteRows(outputs: Matrix): number[] {
  const rows: number[] = [];
  for (let i = 0; i < outputs.rows; i++)
    for (let j = 0; j < outputs.cols; j++)
      if (!Number.isFinite(outputs.data[i * outputs.cols + j])) {
        rows.push(i);
        break;
      }
  return rows;
}

/**
 * A CliError when some outputs are not finite: how many rows, where the first one is, and what to
 * do. `lines[i]` is the line of the data file row i came from.
 */
export function requireFiniteOutputs(
  outputs: Matrix,
  lines: readonly number[],
  source: string,
): void {
  const bad = nonFiniteRows(outputs);
  if (bad.length === 0) return;
  const first = lines[bad[0]];
  const where = first === undefined ? '' : ` (the first is line ${first} of ${source})`;
  throw new CliError(
    `the network's outputs are not finite for ${bad.length} of ${outputs.rows} rows: some weight or activation overflows${where}, so no prediction, loss or gradient can be given. Train the model again (a smaller learning rate keeps the weights in range) or check the weights in the file.`,
  );
}
