/**
 * Keeping trained work across edits of the network: which dense layers keep their weights when
 * the spec changes (same id, same W shape), whether an edit changed only initializers, and the
 * trainings of earlier specs kept aside (bounded) so undo/redo brings them back whole.
 */
import { flatWeightsOf, type FlatWeights } from '../engine/flat-weights';
import type { LayerSpec } from '../engine/spec';
import type { Network } from '../engine/network';
import type { Training } from './build';

/** The spec's JSON without the dense initializers (they only matter at the next reset). */
export function specWithoutInitializers(spec: LayerSpec): string {
  return JSON.stringify({
    ...spec,
    layers: spec.layers.map((l) => (l.type === 'dense' ? { ...l, init: null } : l)),
  });
}

export interface KeptWeights {
  /** The trained weights of the layers whose shape is unchanged (copies). */
  weights: FlatWeights;
  kept: string[];
  /** New layers, layers of a new shape, and layers removed. */
  dropped: string[];
}

/** Which of `net`'s trained layers fit `next` unchanged (same id, same inputSize x units). */
export function keptWeights(net: Network, next: LayerSpec): KeptWeights {
  const trained = flatWeightsOf(net);
  const weights: FlatWeights = new Map();
  const kept: string[] = [];
  const dropped: string[] = [];
  const nextIds = new Set<string>();
  for (const layer of next.layers) {
    if (layer.type !== 'dense') continue;
    nextIds.add(layer.id);
    const old = trained.get(layer.id);
    if (old && old.rows === layer.inputSize && old.cols === layer.units) {
      weights.set(layer.id, old);
      kept.push(layer.id);
    } else dropped.push(layer.id);
  }
  for (const id of trained.keys()) if (!nextIds.has(id)) dropped.push(id);
  return { weights, kept, dropped };
}

/** Weights and biases of a training's network (what the shelf counts). */
function parameterCount(training: Training): number {
  return training.trainer.network.params.reduce((n, p) => n + p.W.data.length + p.b.length, 0);
}

/**
 * Trainings of earlier specs, by the spec's JSON, newest last. At most `maxEntries`, and at most
 * `maxParameters` weights in all (each training holds several copies of its weights), so a big
 * network is not kept twice; the oldest go first.
 */
export class TrainingShelf {
  readonly #entries = new Map<string, Training>();
  readonly #maxEntries: number;
  readonly #maxParameters: number;

  constructor(maxEntries = 8, maxParameters = 4_000_000) {
    this.#maxEntries = maxEntries;
    this.#maxParameters = maxParameters;
  }

  get size(): number {
    return this.#entries.size;
  }

  put(training: Training): void {
    const key = JSON.stringify(training.spec);
    this.#entries.delete(key);
    if (parameterCount(training) > this.#maxParameters) return;
    this.#entries.set(key, training);
    let total = 0;
    for (const t of this.#entries.values()) total += parameterCount(t);
    for (const [k, t] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && total <= this.#maxParameters) break;
      this.#entries.delete(k);
      total -= parameterCount(t);
    }
  }

  /** The training of `spec` on the same prepared data, removed from the shelf; or null. */
  take(spec: LayerSpec, prepared: Training['prepared']): Training | null {
    const key = JSON.stringify(spec);
    const found = this.#entries.get(key);
    if (!found || found.prepared !== prepared) return null;
    this.#entries.delete(key);
    return found;
  }

  clear(): void {
    this.#entries.clear();
  }
}

export interface EditOutcome {
  /** The training to use from now on (the same object for 'same' and 'initializer'). */
  training: Training;
  kind: 'same' | 'initializer' | 'restored' | 'kept' | 'changed';
  kept: string[];
  dropped: string[];
}

/**
 * Apply an edit of the network to `current` (see RespecKind in api.ts). `build` makes a new
 * training of `spec` on the same prepared data from the kept weights (it may throw: then nothing
 * changed). The training left behind goes on the shelf for undo.
 */
export function applyEdit(
  current: Training,
  spec: LayerSpec,
  shelf: TrainingShelf,
  build: (spec: LayerSpec, kept: KeptWeights, continueRun: boolean) => Training,
): EditOutcome {
  const denseIds = spec.layers.flatMap((l) => (l.type === 'dense' ? [l.id] : []));
  if (JSON.stringify(spec) === JSON.stringify(current.spec))
    return { training: current, kind: 'same', kept: denseIds, dropped: [] };
  if (specWithoutInitializers(spec) === specWithoutInitializers(current.spec)) {
    // Same trainer: weights, optimizer state and history stay; Reset draws with the new initializer.
    current.spec = spec;
    current.rebuildAtReset = true;
    return { training: current, kind: 'initializer', kept: denseIds, dropped: [] };
  }
  const settings = current.trainer.settings;
  const restored = shelf.take(spec, current.prepared);
  if (restored) {
    restored.trainer.configure(settings);
    shelf.put(current);
    return { training: restored, kind: 'restored', kept: denseIds, dropped: [] };
  }
  const kept = keptWeights(current.trainer.network, spec);
  const continueRun = kept.dropped.length === 0;
  const training = build(spec, kept, continueRun);
  shelf.put(current);
  return {
    training,
    kind: continueRun ? 'kept' : 'changed',
    kept: kept.kept,
    dropped: kept.dropped,
  };
}
