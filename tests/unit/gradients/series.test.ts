/** Placing the per-update norm window in epochs, and naming layers. */
import { describe, expect, test } from 'vitest';
import { epochNorm } from '../../../src/lib/gradients/diagnostics';
import { epochSummaries, layerNamer, placeColumns } from '../../../src/lib/gradients/series';
import type { LayerSpec } from '../../../src/lib/engine/spec';

const window = (firstUpdate: number, count: number) => ({
  layerIds: ['a'],
  firstUpdate,
  columns: Array.from({ length: count }, (_, c) => [firstUpdate + c]),
});

describe('placeColumns', () => {
  test('4 batches per epoch, latest update 10 is batch 2 of epoch 3', () => {
    const placed = placeColumns(window(1, 10), {
      epoch: 2,
      step: 10,
      batchInEpoch: 2,
      batchesPerEpoch: 4,
    });
    expect(placed.map((c) => [c.update, c.epoch, c.batch])).toEqual([
      [1, 1, 1],
      [2, 1, 2],
      [3, 1, 3],
      [4, 1, 4],
      [5, 2, 1],
      [6, 2, 2],
      [7, 2, 3],
      [8, 2, 4],
      [9, 3, 1],
      [10, 3, 2],
    ]);
  });

  test('the update that closes an epoch belongs to it', () => {
    const placed = placeColumns(window(3, 6), {
      epoch: 2,
      step: 8,
      batchInEpoch: 0,
      batchesPerEpoch: 4,
    });
    expect(placed.map((c) => [c.update, c.epoch, c.batch])).toEqual([
      [3, 1, 3],
      [4, 1, 4],
      [5, 2, 1],
      [6, 2, 2],
      [7, 2, 3],
      [8, 2, 4],
    ]);
  });
});

test('epochSummaries leaves out an epoch cut by the window', () => {
  const placed = placeColumns(window(3, 6), {
    epoch: 2,
    step: 8,
    batchInEpoch: 0,
    batchesPerEpoch: 4,
  });
  const epochs = epochSummaries(['a'], placed);
  expect(epochs.map((e) => e.epoch)).toEqual([2]);
  // Geometric mean of the norms 5, 6, 7, 8 (the column values are the update numbers).
  expect(epochNorm(epochs[0], 'a')).toBeCloseTo((5 * 6 * 7 * 8) ** 0.25, 12);
});

test('layerNamer names dense and activation layers with their kind and id', () => {
  const spec: LayerSpec = {
    input: { id: 'n1', size: 2 },
    layers: [
      { id: 'n2', type: 'dense', inputs: ['n1'], inputSize: 2, units: 3, init: 'auto' },
      { id: 'n3', type: 'activation', inputs: ['n2'], fn: 'leaky_relu', size: 3 },
    ],
    loss: { id: 'n4', type: 'mse', inputs: ['n3'] },
  };
  const name = layerNamer(spec);
  expect([name('n1'), name('n2'), name('n3'), name('n4'), name('zz')]).toEqual([
    'Input n1',
    'Dense n2',
    'Leaky ReLU n3',
    'Loss n4',
    'zz',
  ]);
  expect(layerNamer(null)('n2')).toBe('n2');
});
