/**
 * The Backprop tab's state over a real comlink channel to the worker's session: the terms that
 * arrive (their buffers transferred) are the session's own for the current batch, a later
 * request wins over an earlier one, the hover explains a cell, and the mistake reaches the
 * worker (Check gradients fails with it) and reaches a restarted worker too.
 */
import { describe, expect, it } from 'vitest';
import { loadBuiltinDatasetNode } from '../../../src/lib/data/load-node';
import { BackpropInspector } from '../../../src/lib/state/backprop-inspector.svelte';
import { TrainingState } from '../../../src/lib/state/training.svelte';
import { GRADIENT_CHECK_TOLERANCE } from '../../../src/lib/worker/api';
import { createWorkerClient } from '../../../src/lib/worker/client';
import { IRIS_SETTINGS, IRIS_SPEC, channelWorker, settings } from '../worker/helpers';

const iris = await loadBuiltinDatasetNode('iris');

function inspectorOnChannel() {
  const workers: ReturnType<typeof channelWorker>[] = [];
  const training = new TrainingState({
    settings: IRIS_SETTINGS,
    createClient: () => {
      const w = channelWorker();
      workers.push(w);
      return createWorkerClient(w.worker, { intervalMs: 60_000 });
    },
  });
  return { training, inspector: new BackpropInspector(training), workers };
}

describe('BackpropInspector', () => {
  it('says what to do before anything is loaded', async () => {
    const { inspector } = inspectorOnChannel();
    await inspector.show('n2');
    expect(inspector.result).toBeNull();
    expect(inspector.error).toMatch(/Load a network and a dataset first/);
  });

  it('shows the worker session’s terms for the current batch, newest request first', async () => {
    const { training, inspector, workers } = inspectorOnChannel();
    expect(await training.load(IRIS_SPEC, iris, { settings: settings({ batchSize: 8 }) })).toBe(
      true,
    );
    expect(await training.step()).toBe(true);
    const older = inspector.show('n2');
    await inspector.show('n4');
    await older;
    expect(inspector.result!.layer.layerId).toBe('n4');
    expect(inspector.error).toBeNull();

    await inspector.show('n2');
    const direct = workers[0].session.backpropTerms({ layerId: 'n2', maxRows: 12, maxCols: 10 });
    const got = inspector.result!.layer.terms;
    expect(got.map((t) => t.name)).toEqual(direct.layer.terms.map((t) => t.name));
    got.forEach((t, i) =>
      expect(Array.from(t.values)).toEqual(Array.from(direct.layer.terms[i].values)),
    );
    expect(inspector.result!.update).toBe(1);

    // Hovering δ[3,1] explains it with the two cells it multiplies.
    inspector.hover({ term: 'delta', row: 3, col: 1 });
    expect(inspector.explanation!.text).toMatch(
      /^δ\[3,1\] = dC\/dA_out\[3,1\] × f'\(Z\)\[3,1\] = /,
    );
    inspector.hover({ term: 'dC/dW', row: 2, col: 1 });
    expect(inspector.explanation!.highlights).toEqual([
      { term: 'A_in', axis: 'col', index: 2 },
      { term: 'delta', axis: 'col', index: 1 },
    ]);

    // An Input node has no terms: the worker's words come back as the error.
    await inspector.show('n1');
    expect(inspector.result).toBeNull();
    expect(inspector.error).toMatch(/Input/);
    training.dispose();
  });

  it('sends the mistake to the worker, and again to a restarted one', async () => {
    const { training, inspector } = inspectorOnChannel();
    expect(await training.load(IRIS_SPEC, iris, { settings: settings({ batchSize: 8 }) })).toBe(
      true,
    );
    await training.step();
    expect((await training.checkGradients())!.maxRelativeError).toBeLessThan(
      GRADIENT_CHECK_TOLERANCE,
    );
    await inspector.setMistake('sum-instead-of-mean');
    // The old verdict described the correct maths: it goes.
    expect(training.gradientCheck).toBeNull();
    expect((await training.checkGradients())!.maxRelativeError).toBeGreaterThan(1e-3);
    await inspector.show('n2');
    expect(inspector.result!.firstDifference!.term).toBe('dC/dA_out');
    expect(inspector.result!.firstDifferenceInNetwork).toMatchObject({
      layerId: 'n6',
      term: 'fused',
    });

    expect(await training.restartWorker()).toBe(true);
    await inspector.sync();
    await training.step();
    expect((await training.checkGradients())!.maxRelativeError).toBeGreaterThan(1e-3);
    await inspector.setMistake(null);
    expect((await training.checkGradients())!.maxRelativeError).toBeLessThan(
      GRADIENT_CHECK_TOLERANCE,
    );
    training.dispose();
  });
});
