/**
 * The queue of backward passes: a pass plays to its end however many updates arrive meanwhile,
 * then the newest waiting update plays; Step updates play slowly; with motion off every update
 * is drawn at once. Driven by a fake training state and fake timers.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { flushSync } from 'svelte';
import { GradientsState } from '../../../src/lib/gradients/gradients-state.svelte';
import { pulseMsPerLayer, STEP_MS_PER_LAYER } from '../../../src/lib/gradients/flow-encoding';
import type { TrainingState } from '../../../src/lib/state/training.svelte';
import type { LayerSpec } from '../../../src/lib/engine/spec';
import { FakeTrainingState } from './fake-training-state.svelte';

const spec: LayerSpec = {
  input: { id: 'n1', size: 4 },
  layers: [
    { id: 'n2', type: 'dense', inputs: ['n1'], inputSize: 4, units: 5, init: 'auto' },
    { id: 'n3', type: 'activation', inputs: ['n2'], fn: 'sigmoid', size: 5 },
    { id: 'n4', type: 'dense', inputs: ['n3'], inputSize: 5, units: 3, init: 'auto' },
    { id: 'n5', type: 'activation', inputs: ['n4'], fn: 'softmax', size: 3 },
  ],
  loss: { id: 'n6', type: 'cross_entropy', inputs: ['n5'] },
};

let training: FakeTrainingState;
let gradients: GradientsState;

/** Report an update and let the state follow it (what the page's $effect does). */
function report(
  update: number,
  norms: number[],
  status: 'running' | 'paused' | 'done' = 'running',
) {
  training.report(update, norms, status);
  gradients.follow();
}

beforeEach(() => {
  vi.useFakeTimers();
  training = new FakeTrainingState();
  training.spec = spec;
  gradients = new GradientsState(training as unknown as TrainingState);
});
afterEach(() => {
  gradients.dispose();
  vi.useRealTimers();
});

describe('pass queue', () => {
  const passMs = pulseMsPerLayer('training', 6) * 6;

  test('a pass plays to its end; then the newest waiting update plays', () => {
    report(1, [0.1, 0.2]);
    expect(gradients.pass?.stats.update).toBe(1);
    expect(gradients.animating).toBe(true);
    expect(gradients.pass?.slots.get('n6')).toBe(0);
    expect(gradients.pass?.slots.get('n1')).toBe(5);
    report(2, [0.1, 0.2]);
    report(3, [0.3, 0.4]);
    expect(gradients.pass?.stats.update).toBe(1);
    vi.advanceTimersByTime(passMs - 1);
    expect(gradients.pass?.stats.update).toBe(1);
    vi.advanceTimersByTime(1);
    // Update 2 was overtaken by 3 while waiting: only the newest is animated.
    expect(gradients.pass?.stats.update).toBe(3);
    expect(gradients.animating).toBe(true);
    vi.advanceTimersByTime(passMs);
    expect(gradients.animating).toBe(false);
  });

  test('the update that comes with Pause (or the end of a run) plays at training pace', () => {
    report(1, [0.1, 0.2], 'running');
    vi.advanceTimersByTime(passMs);
    report(2, [0.1, 0.2], 'paused');
    expect(gradients.pass?.mode).toBe('training');
    vi.advanceTimersByTime(passMs);
    // The next update while paused is a Step.
    report(3, [0.1, 0.2], 'paused');
    expect(gradients.pass?.mode).toBe('step');
  });

  test('the same update twice is one pass', () => {
    report(1, [0.1, 0.2]);
    const first = gradients.pass?.id;
    gradients.follow();
    vi.advanceTimersByTime(passMs);
    expect(gradients.pass?.id).toBe(first);
  });

  test('an update while paused (Step) plays one layer per 400 ms', () => {
    report(1, [0.1, 0.2], 'paused');
    expect(gradients.pass?.mode).toBe('step');
    expect(gradients.pass?.msPerLayer).toBe(STEP_MS_PER_LAYER);
    vi.advanceTimersByTime(STEP_MS_PER_LAYER * 6 - 1);
    expect(gradients.animating).toBe(true);
    vi.advanceTimersByTime(1);
    expect(gradients.animating).toBe(false);
  });

  test('with motion off every update is drawn at once, without movement', () => {
    gradients.animate = false;
    flushSync();
    report(1, [0.1, 0.2]);
    expect(gradients.pass).toMatchObject({ msPerLayer: 0 });
    expect(gradients.animating).toBe(false);
    report(2, [0.5, 0.6]);
    expect(gradients.pass?.stats.update).toBe(2);
  });

  test('turning motion off mid-pass shows the newest update at once', () => {
    report(1, [0.1, 0.2]);
    report(2, [0.3, 0.4]);
    gradients.animate = false;
    gradients.stopMotion();
    expect(gradients.animating).toBe(false);
    expect(gradients.pass).toMatchObject({ msPerLayer: 0 });
    expect(gradients.pass?.stats.update).toBe(2);
  });

  test('a reset (no statistics) clears the canvas', () => {
    report(1, [0.1, 0.2]);
    training.stats = null;
    gradients.follow();
    expect(gradients.pass).toBeNull();
    expect(gradients.animating).toBe(false);
  });
});

test('the scale spans the recent norms in whole decades; diagnoses read the window', () => {
  for (let u = 1; u <= 5; u++) report(u, [1e-7, 0.5]);
  expect(gradients.domain).toEqual([1e-7, 1]);
  expect(gradients.diagnostics.map((d) => d.kind)).toEqual(['vanishing']);
  expect(gradients.diagnosticsByNode.get('n2')?.[0].nodeBadges?.n2).toMatch(
    /^Vanishing gradients: 5\.0e6× smaller/,
  );
  expect(gradients.nameOf('n3')).toBe('Sigmoid n3');
});
