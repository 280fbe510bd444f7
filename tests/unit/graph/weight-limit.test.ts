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
        // 16,822,282 · 32 bytes (Adam: weights, gradients, 2 moments) = 513.4 MB;
        // the limit 5,000,000 · 32 = 152.6 MB.
        message: `This network (Dense 4096) needs ~513.4 MB for the weights, gradients and Adam's state of its ${count.toLocaleString('en-US')} weights and biases; the limit here is ~152.6 MB (5,000,000 weights and biases), so that training does not stall the page. Use fewer or narrower Dense layers.`,
      },
    ]);
  });

  it('names the memory for the optimizer chosen', () => {
    const doc = chain(
      inputNode(4096),
      denseNode(4096),
      act('relu'),
      denseNode(10),
      act('softmax'),
      lossNode('cross_entropy'),
    );
    const { errors } = compileGraph(doc, { optimizer: 'sgd' });
    // 16,822,282 · 16 bytes = 256.7 MB; the limit 5,000,000 · 16 = 76.3 MB.
    expect(errors[0].message).toMatch(
      /^This network \(Dense 4096\) needs ~256\.7 MB for the weights and gradients \(SGD keeps no state\) .* the limit here is ~76\.3 MB/,
    );
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
