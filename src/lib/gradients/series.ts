/**
 * The recent window of per-update gradient norms (every update, not only the latest of each
 * throttled event) turned into what the diagnoses and the canvas scale read: columns that know
 * their update and epoch, per-epoch summaries, the layer names.
 */
import type { LayerSpec } from '../engine/spec';
import { activationLabel, NODE_KINDS } from '../graph/node-kinds';
import { addToEpochNorms, type EpochGradientNorms } from './diagnostics';
import type { NormColumn } from './types';

/** The per-update ‖dC/dW‖ window (TrainingSession.gradientHistory has this shape). */
export interface NormWindow {
  layerIds: string[];
  /** Update number of columns[0]. */
  firstUpdate: number;
  /** columns[c][l]: layer l at update firstUpdate + c. */
  columns: number[][];
}

/** Where the latest update of the window sits in training (from the latest event). */
export interface EpochPosition {
  /** Completed epochs. */
  epoch: number;
  /** Updates since load/reset (the window's last column, when the window is current). */
  step: number;
  /** Batches done in the current epoch (0 right after an epoch ends), and per epoch. */
  batchInEpoch: number;
  batchesPerEpoch: number;
}

/** A column with its epoch and its batch number within that epoch (1-based). */
export interface PlacedColumn extends NormColumn {
  batch: number;
}

/**
 * The window's columns with update and epoch numbers, counting back from the latest update
 * (assumes the batches per epoch did not change within the window).
 */
export function placeColumns(window: NormWindow, at: EpochPosition): PlacedColumn[] {
  const perEpoch = Math.max(1, at.batchesPerEpoch);
  // The latest update closed epoch `epoch` when batchInEpoch is 0, else it is inside epoch + 1.
  const lastEpoch = at.batchInEpoch === 0 ? at.epoch : at.epoch + 1;
  const lastBatch = at.batchInEpoch === 0 ? perEpoch : at.batchInEpoch;
  return window.columns.map((norms, c) => {
    const update = window.firstUpdate + c;
    const back = at.step - update;
    const offset = lastBatch - 1 - back; // batches since the start of lastEpoch (0-based)
    const epochShift = Math.floor(offset / perEpoch);
    return {
      update,
      epoch: lastEpoch + epochShift,
      batch: offset - epochShift * perEpoch + 1,
      norms,
    };
  });
}

/**
 * Per-epoch ‖dC/dW‖ summaries of the window. An epoch whose first batches scrolled out of the
 * window is left out: a partial epoch does not compare fairly with a whole one.
 */
export function epochSummaries(
  layerIds: readonly string[],
  columns: readonly PlacedColumn[],
): EpochGradientNorms[] {
  const first = columns[0];
  const partialEpoch = first && first.batch !== 1 ? first.epoch : null;
  let epochs: EpochGradientNorms[] = [];
  for (const column of columns) {
    if (column.epoch === partialEpoch) continue;
    epochs = addToEpochNorms(epochs, layerIds, column);
  }
  return epochs;
}

/** "Dense n2", "Sigmoid n3", "Loss n6": how messages and charts name a layer of `spec`. */
export function layerNamer(spec: LayerSpec | null): (id: string) => string {
  const byId = new Map<string, string>();
  if (spec) {
    byId.set(spec.input.id, `Input ${spec.input.id}`);
    for (const layer of spec.layers) {
      byId.set(
        layer.id,
        layer.type === 'activation'
          ? `${activationLabel(layer.fn)} ${layer.id}`
          : `${NODE_KINDS[layer.type].label} ${layer.id}`,
      );
    }
    byId.set(spec.loss.id, `Loss ${spec.loss.id}`);
  }
  return (id) => byId.get(id) ?? id;
}
