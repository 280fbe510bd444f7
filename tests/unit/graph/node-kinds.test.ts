/** The node-kind registry: what the palette, the inspector and compile() read. */
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, INIT_NAMES, LOSS_NAMES } from '../../../src/lib/engine/spec';
import { NODE_KIND_ORDER, NODE_KINDS, isNodeKind } from '../../../src/lib/graph/node-kinds';

describe('NODE_KINDS', () => {
  it('lists the seven kinds in reading order with the names the page uses', () => {
    expect(NODE_KIND_ORDER).toEqual([
      'input',
      'dense',
      'activation',
      'dropout',
      'add',
      'concat',
      'loss',
    ]);
    expect(NODE_KIND_ORDER.map((k) => NODE_KINDS[k].label)).toEqual([
      'Input',
      'Dense',
      'Activation',
      'Dropout',
      'Add',
      'Concat',
      'Loss',
    ]);
    for (const kind of NODE_KIND_ORDER) {
      expect(NODE_KINDS[kind].kind).toBe(kind);
      expect(NODE_KINDS[kind].description.length).toBeGreaterThan(20);
    }
    expect(isNodeKind('dense')).toBe(true);
    expect(isNodeKind('toString')).toBe(false);
  });

  it('gives Input only an output handle and Loss only an input handle', () => {
    expect(NODE_KIND_ORDER.map((k) => [NODE_KINDS[k].hasInput, NODE_KINDS[k].hasOutput])).toEqual([
      [false, true],
      [true, true],
      [true, true],
      [true, true],
      [true, true],
      [true, true],
      [true, false],
    ]);
    // Only Add and Concat take several wires into their input handle.
    expect(NODE_KIND_ORDER.filter((k) => NODE_KINDS[k].mergesInputs)).toEqual(['add', 'concat']);
  });

  it('reads a Dropout rate from 0 up to (not including) 1', () => {
    for (const rate of [0, 0.2, 0.99])
      expect(NODE_KINDS.dropout.readParams({ rate })).toEqual({ ok: true, params: { rate } });
    for (const rate of [1, -0.1, 1.5, NaN, '0.5', undefined])
      expect(NODE_KINDS.dropout.readParams({ rate })).toEqual({
        ok: false,
        problems: [
          { key: 'rate', message: expect.stringMatching(/from 0 up to \(not including\) 1/) },
        ],
      });
    expect(NODE_KINDS.add.readParams({})).toEqual({ ok: true, params: {} });
    expect(NODE_KINDS.concat.readParams({ junk: 1 })).toEqual({ ok: true, params: {} });
  });

  it('labels the inspector fields', () => {
    const fields = NODE_KIND_ORDER.map((k) =>
      NODE_KINDS[k].fields.map((f) => [f.key, f.label, f.type]),
    );
    expect(fields).toEqual([
      [['size', 'Size', 'number']],
      [
        ['units', 'Units', 'number'],
        ['init', 'Initializer', 'select'],
      ],
      [
        ['fn', 'Function', 'select'],
        ['alpha', 'Alpha (α)', 'number'],
      ],
      [['rate', 'Rate', 'number']],
      [],
      [],
      [['loss', 'Loss', 'select']],
    ]);
    expect(NODE_KINDS.dense.fields[0]).toMatchObject({ min: 1, max: 4096, step: 1 });
  });

  it('offers every engine name exactly once, with readable labels', () => {
    const options = (kind: 'dense' | 'activation' | 'loss', key: string) =>
      NODE_KINDS[kind].fields.find((f) => f.key === key)?.options ?? [];
    expect(options('activation', 'fn').map((o) => o.value)).toEqual([...ACTIVATION_NAMES]);
    expect(options('loss', 'loss').map((o) => o.value)).toEqual([...LOSS_NAMES]);
    expect(options('dense', 'init').map((o) => o.value)).toEqual([...INIT_NAMES]);
    expect(options('activation', 'fn').find((o) => o.value === 'leaky_relu')?.label).toBe(
      'Leaky ReLU',
    );
    expect(options('loss', 'loss').map((o) => o.label)).toEqual([
      'Mean squared error',
      'Cross-entropy',
      'Binary cross-entropy',
    ]);
  });

  it('gives fresh default parameters that its own validation accepts', () => {
    for (const kind of NODE_KIND_ORDER) {
      const info = NODE_KINDS[kind];
      const defaults = info.defaultParams();
      expect(defaults).not.toBe(info.defaultParams());
      expect(info.readParams(defaults as unknown as Record<string, unknown>)).toEqual({
        ok: true,
        params: defaults,
      });
    }
  });

  it('reports each bad parameter under its key', () => {
    const read = NODE_KINDS.dense.readParams({ units: -1, init: 'glorot' });
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problems.map((p) => p.key)).toEqual(['units', 'init']);
  });
});
