/**
 * A network's weights as plain JSON keyed by dense layer id (the model file's `weights`): copy
 * them out, and load them back checked before anything is written.
 */
import type { Network } from './network';
import type { WeightsJson } from './types';

/** A plain-JSON copy of the weights, keyed by dense layer id (model file `weights`). */
export function getWeights(net: Network): WeightsJson {
  // Null prototype: a layer id is user data, and "__proto__" must be an ordinary key.
  const out = Object.create(null) as WeightsJson;
  for (const p of net.params) {
    const W: number[][] = [];
    for (let i = 0; i < p.W.rows; i++)
      W.push(Array.from(p.W.data.subarray(i * p.W.cols, (i + 1) * p.W.cols)));
    out[p.id] = { W, b: Array.from(p.b) };
  }
  return out;
}

/**
 * Load weights (e.g. from a model file). Everything is checked before anything is written, so
 * bad weights leave the network as it was.
 */
export function setWeights(net: Network, weights: WeightsJson): void {
  if (typeof weights !== 'object' || weights === null)
    throw new Error('The weights must be an object keyed by dense layer id.');
  const known = new Set(net.params.map((p) => p.id));
  for (const id of Object.keys(weights))
    if (!known.has(id))
      throw new Error(`The weights name a layer "${id}" that the network does not have.`);
  // Own properties only: an id such as "constructor" must not find Object.prototype's.
  const entry = (id: string) =>
    Object.prototype.hasOwnProperty.call(weights, id) ? weights[id] : undefined;
  for (const p of net.params) {
    const w = entry(p.id);
    const rows = p.W.rows,
      cols = p.W.cols;
    if (!w) throw new Error(`The weights have no entry for dense layer "${p.id}".`);
    if (!Array.isArray(w.W) || w.W.length !== rows)
      throw new Error(
        `Layer "${p.id}": W needs ${rows} rows (one per input), got ${describeLength(w.W)}.`,
      );
    w.W.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== cols)
        throw new Error(
          `Layer "${p.id}": row ${i} of W needs ${cols} numbers, got ${describeLength(row)}.`,
        );
      row.forEach((v, j) => {
        if (typeof v !== 'number' || !Number.isFinite(v))
          throw new Error(`Layer "${p.id}": W[${i}][${j}] is not a finite number.`);
      });
    });
    if (!Array.isArray(w.b) || w.b.length !== cols)
      throw new Error(`Layer "${p.id}": b needs ${cols} numbers, got ${describeLength(w.b)}.`);
    w.b.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new Error(`Layer "${p.id}": b[${j}] is not a finite number.`);
    });
  }
  for (const p of net.params) {
    const w = entry(p.id)!;
    w.W.forEach((row, i) => p.W.data.set(row, i * p.W.cols));
    p.b.set(w.b);
  }
}

function describeLength(value: unknown): string {
  return Array.isArray(value) ? `${value.length}` : 'none';
}
