/** The memory estimate the graph's size check and the worker's build check share, by hand count. */
import { describe, expect, it } from 'vitest';
import {
  describeDenseWidths,
  formatBytes,
  trainingStateBytes,
  trainingStateWords,
} from '../../../src/lib/engine/memory-estimate';

describe('the memory estimate', () => {
  it('counts weights, gradients and the optimizer state, 8 bytes each', () => {
    // 784-256-128-10: (784 + 1)·256 + (256 + 1)·128 + (128 + 1)·10 weights and biases.
    const p = 200_960 + 32_896 + 1_290;
    // Adam: weights, gradients, two moments = 4 arrays of 8 bytes.
    expect(trainingStateBytes(p, 'adam')).toBe(7_524_672);
    // SGD: weights and gradients only; momentum one velocity more.
    expect(trainingStateBytes(p, 'sgd')).toBe(3_762_336);
    expect(trainingStateBytes(p, 'momentum')).toBe(5_643_504);
    expect(trainingStateBytes(p, 'rmsprop')).toBe(5_643_504);
    // 7,524,672 / 1024² = 7.176 MB; 3,762,336 / 1024² = 3.588 MB.
    expect(formatBytes(7_524_672)).toBe('7.2 MB');
    expect(formatBytes(3_762_336)).toBe('3.6 MB');
  });

  it('12 × Dense 4096 after 4 inputs with 3 outputs needs ~5.5 GB with Adam', () => {
    const p = 5 * 4096 + 11 * 4097 * 4096 + 4097 * 3;
    expect(p).toBe(184_627_203);
    // 184,627,203 · 32 = 5,908,070,496 bytes = 5.502 GB (binary).
    expect(trainingStateBytes(p, 'adam')).toBe(5_908_070_496);
    expect(formatBytes(trainingStateBytes(p, 'adam'))).toBe('5.5 GB');
    expect(formatBytes(1024 ** 3)).toBe('1.0 GB');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });

  it('says what is counted and names the network', () => {
    expect(trainingStateWords('adam')).toBe("the weights, gradients and Adam's state");
    expect(trainingStateWords('sgd')).toBe('the weights and gradients (SGD keeps no state)');
    expect(describeDenseWidths([4096, 4096, 3])).toBe('2 × Dense 4096');
    expect(describeDenseWidths([64, 10])).toBe('Dense 64');
  });
});
