/**
 * A trained state (weights, optimizer state, epochs, history) packed into one Blob, and read back:
 * the worker packs it (the copy is made off the main thread) and the page stores the Blob in
 * IndexedDB, which keeps a Blob by reference, so a save of a 4-million-weight Adam run (about
 * 100 MB) costs the page a message, not a structured clone of every number.
 *
 * Layout: a little-endian u32 with the header's byte length, the header as UTF-8 JSON, zero
 * padding to a multiple of 8, then the float64 numbers: the history's columns, per layer W then b,
 * then per optimizer slot its arrays, in the header's order. The history travels as numbers, not
 * in the JSON, so a NaN or an Infinity in it comes back as it was.
 */
import type { FlatWeights } from '../engine/flat-weights';
import type { OptimizerName } from '../engine/settings';
import type { OptimizerState } from '../engine/optimizers/index';
import type { Standardization } from '../data/types';
import { emptyHistory, type History } from '../engine/types';
import type { TrainedState } from './api';
import type { PackedHistory } from './packed-history';

/** The history's columns in the order they are packed. */
const HISTORY_COLUMNS = Object.keys(emptyHistory()) as (keyof History)[];

interface PackHeader {
  epoch: number;
  totalSteps: number;
  /** The length of each history column (HISTORY_COLUMNS order). */
  historyLengths: number[];
  classes?: string[];
  standardization?: Standardization | null;
  layers: { id: string; rows: number; cols: number }[];
  optimizer: {
    name: OptimizerName;
    step: number;
    slots: { name: string; lengths: number[] }[];
  } | null;
}

/** The state as one Blob (copies its arrays once, in the thread that calls it). */
export function packTrainedState(state: TrainedState): Blob {
  const arrays: Float64Array[] = HISTORY_COLUMNS.map((k) => state.history[k]);
  const layers: PackHeader['layers'] = [];
  for (const [id, layer] of state.weights) {
    layers.push({ id, rows: layer.rows, cols: layer.cols });
    arrays.push(layer.W, layer.b);
  }
  const optimizer = state.optimizer
    ? {
        name: state.optimizer.name,
        step: state.optimizer.step,
        slots: state.optimizer.slots.map((s) => {
          arrays.push(...s.arrays);
          return { name: s.name, lengths: s.arrays.map((a) => a.length) };
        }),
      }
    : null;
  const header: PackHeader = {
    epoch: state.epoch,
    totalSteps: state.totalSteps,
    historyLengths: HISTORY_COLUMNS.map((k) => state.history[k].length),
    classes: state.classes,
    standardization: state.standardization,
    layers,
    optimizer,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const prefix = new Uint8Array(Math.ceil((4 + json.length) / 8) * 8);
  new DataView(prefix.buffer).setUint32(0, json.length, true);
  prefix.set(json, 4);
  return new Blob([prefix, ...arrays] as BlobPart[]);
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/**
 * The state in `buffer` (what packTrainedState wrote), its arrays views on the buffer; null for
 * anything else (outside input: never throws). The worker checks the values against the network.
 */
export function unpackTrainedState(buffer: ArrayBuffer): TrainedState | null {
  try {
    if (buffer.byteLength < 4) return null;
    const length = new DataView(buffer).getUint32(0, true);
    if (4 + length > buffer.byteLength) return null;
    const header = JSON.parse(
      new TextDecoder().decode(new Uint8Array(buffer, 4, length)),
    ) as Partial<PackHeader>;
    let offset = Math.ceil((4 + length) / 8) * 8;
    const take = (count: number): Float64Array => {
      if (!isCount(count) || offset + count * 8 > buffer.byteLength) throw new Error('short');
      const array = new Float64Array(buffer, offset, count);
      offset += count * 8;
      return array;
    };
    if (!isCount(header.epoch) || !isCount(header.totalSteps) || !Array.isArray(header.layers))
      return null;
    const lengths = header.historyLengths;
    if (!Array.isArray(lengths) || lengths.length !== HISTORY_COLUMNS.length) return null;
    const history = {} as PackedHistory;
    HISTORY_COLUMNS.forEach((key, i) => (history[key] = take(lengths[i])));
    const weights: FlatWeights = new Map();
    for (const layer of header.layers) {
      if (typeof layer?.id !== 'string' || !isCount(layer.rows) || !isCount(layer.cols))
        return null;
      weights.set(layer.id, {
        rows: layer.rows,
        cols: layer.cols,
        W: take(layer.rows * layer.cols),
        b: take(layer.cols),
      });
    }
    let optimizer: OptimizerState | null = null;
    const o = header.optimizer;
    if (o && typeof o.name === 'string' && isCount(o.step) && Array.isArray(o.slots)) {
      optimizer = {
        name: o.name,
        step: o.step,
        slots: o.slots.map((s) => ({
          name: String(s.name),
          arrays: (Array.isArray(s.lengths) ? s.lengths : []).map(take),
        })),
      };
    }
    if (offset !== buffer.byteLength) return null;
    return {
      weights,
      optimizer,
      epoch: header.epoch,
      totalSteps: header.totalSteps,
      history,
      ...(header.classes !== undefined && { classes: header.classes }),
      ...(header.standardization !== undefined && { standardization: header.standardization }),
    };
  } catch {
    return null;
  }
}
