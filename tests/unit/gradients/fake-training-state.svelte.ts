/**
 * A stand-in for TrainingState with just the reactive fields GradientsState reads, so its
 * queue of backward passes can be driven update by update without a worker.
 */
import type { LayerSpec } from '../../../src/lib/engine/spec';
import type { GradientHistory } from '../../../src/lib/state/event-batch';
import type { StepStats, TrainingEvent } from '../../../src/lib/worker/api';

export class FakeTrainingState {
  spec = $state.raw<LayerSpec | null>(null);
  stats = $state.raw<StepStats | null>(null);
  latest = $state.raw<TrainingEvent | null>(null);
  gradientHistory = $state.raw<GradientHistory>({ layerIds: [], firstUpdate: 1, columns: [] });
  status = $state.raw<TrainingEvent['status']>('idle');

  /** As if the worker reported update `update` with these ‖dC/dW‖ per dense layer. */
  report(update: number, norms: number[], status: TrainingEvent['status'] = 'running'): void {
    const spec = this.spec;
    if (!spec) throw new Error('set spec first');
    const denseIds = spec.layers.filter((l) => l.type === 'dense').map((l) => l.id);
    this.stats = {
      update,
      dense: denseIds.map((id, i) => ({
        id,
        inputSize: 1,
        units: 1,
        gradWNorm: norms[i],
        gradBNorm: norms[i] / 10,
        meanAbsGrad: norms[i] / 10,
        maxAbsGrad: norms[i],
        weightNorm: 1,
        updateRatio: 1e-3,
      })),
      activations: [],
    };
    this.latest = {
      status,
      epoch: 0,
      step: update,
      batchInEpoch: update,
      batchesPerEpoch: 1000,
    } as TrainingEvent;
    const h = this.gradientHistory;
    this.gradientHistory = {
      layerIds: denseIds,
      firstUpdate: h.columns.length === 0 ? update : h.firstUpdate,
      columns: [...h.columns, norms],
    };
  }
}
