/**
 * A network's weights as flat typed arrays, one Float64Array for W (row-major, inputSize x units)
 * and one for b per dense layer, keyed by layer id in a Map: the form that crosses the worker
 * boundary (its buffers can be transferred) and is kept in IndexedDB, with no number[][] built.
 */
import type { Network } from './network';

export interface FlatLayerWeights {
  /** W is rows x cols (inputSize x units), row-major; b has cols entries. */
  rows: number;
  cols: number;
  W: Float64Array;
  b: Float64Array;
}

/** Dense layer id -> its weights. A Map, so an id such as "__proto__" is an ordinary key. */
export type FlatWeights = Map<string, FlatLayerWeights>;

/** Copies of the network's weights (one allocation per array, none per weight). */
export function flatWeightsOf(net: Network): FlatWeights {
  const out: FlatWeights = new Map();
  for (const p of net.params)
    out.set(p.id, { rows: p.W.rows, cols: p.W.cols, W: p.W.data.slice(), b: p.b.slice() });
  return out;
}

/** The buffers of `weights`, for Comlink.transfer / postMessage's transfer list. */
export function flatWeightBuffers(weights: FlatWeights): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const layer of weights.values())
    buffers.push(layer.W.buffer as ArrayBuffer, layer.b.buffer as ArrayBuffer);
  return buffers;
}

/**
 * Check `weights` against the network and return the layers to write: every dense layer when
 * `partial` is false, otherwise those present. Throws a plain Error (and writes nothing) for a
 * missing or unknown layer, a wrong shape or a value that is not finite.
 */
export function checkFlatWeights(net: Network, weights: FlatWeights, partial: boolean): string[] {
  if (!(weights instanceof Map)) throw new Error('The weights must be a Map of dense layer ids.');
  const known = new Map(net.params.map((p) => [p.id, p]));
  for (const id of weights.keys())
    if (!known.has(id))
      throw new Error(`The weights name a layer "${id}" that the network does not have.`);
  const ids: string[] = [];
  for (const p of net.params) {
    const w = weights.get(p.id);
    if (!w) {
      if (partial) continue;
      throw new Error(`The weights have no entry for dense layer "${p.id}".`);
    }
    const rows = p.W.rows,
      cols = p.W.cols;
    if (
      w.rows !== rows ||
      w.cols !== cols ||
      !(w.W instanceof Float64Array) ||
      !(w.b instanceof Float64Array) ||
      w.W.length !== rows * cols ||
      w.b.length !== cols
    )
      throw new Error(
        `Layer "${p.id}": W needs ${rows} x ${cols} numbers and b ${cols}, got ${w.rows} x ${w.cols}.`,
      );
    for (const arr of [w.W, w.b])
      for (let i = 0; i < arr.length; i++)
        if (!Number.isFinite(arr[i]))
          throw new Error(`Layer "${p.id}": a weight is not a finite number.`);
    ids.push(p.id);
  }
  return ids;
}

/** Write checked weights into the network (checkFlatWeights first: nothing is written on a throw). */
export function writeFlatWeights(net: Network, weights: FlatWeights, partial: boolean): string[] {
  const ids = checkFlatWeights(net, weights, partial);
  for (const p of net.params) {
    const w = weights.get(p.id);
    if (!w) continue;
    p.W.data.set(w.W);
    p.b.set(w.b);
  }
  return ids;
}
