/** The editor's limit on the network's size (limits.ts), shown on its widest Dense layer. */
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../../src/lib/graph/compile';
import { MAX_WEIGHTS, weightCount } from '../../../src/lib/graph/limits';
import { act, chain, denseNode, inputNode, lossNode } from './build-doc';

describe('the weight limit', () => {
  it('refuses a network past MAX_WEIGHTS with the count and the limit, on its largest Dense', () => {
    const doc = chain(
      inputNode(4096),
      denseNode(4096),
      act('relu'),
      denseNode(10),
      act('softmax'),
      lossNode('cross_entropy'),
    );
    const count = 4097 * 4096 + 4097 * 10;
    expect(count).toBeGreaterThan(MAX_WEIGHTS);
    const { spec, errors } = compileGraph(doc);
    expect(spec).toBeNull();
    expect(errors).toEqual([
      {
        nodeId: 'n2',
        message: `The network has ${count.toLocaleString('en-US')} weights and biases; the limit is 5,000,000 (training keeps several copies of each in memory). Use fewer units.`,
      },
    ]);
  });

  it('accepts a network of about a million weights, and counts weights and biases', () => {
    const doc = chain(
      inputNode(64),
      denseNode(1000),
      act('relu'),
      denseNode(1000),
      act('relu'),
      denseNode(10),
      act('softmax'),
      lossNode('cross_entropy'),
    );
    const { spec, errors } = compileGraph(doc);
    expect(errors).toEqual([]);
    expect(weightCount(spec!)).toBe(65 * 1000 + 1001 * 1000 + 1001 * 10);
  });
});
