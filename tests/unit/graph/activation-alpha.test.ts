/**
 * The activation's alpha (leaky ReLU's slope, ELU's alpha): the inspector shows its field only for
 * those two functions, with DESIGN.md §2's defaults when absent, and compile() checks the same
 * range the field offers.
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES } from '../../../src/lib/engine/spec';
import { compileGraph } from '../../../src/lib/graph/compile';
import { NODE_KINDS, visibleFields } from '../../../src/lib/graph/node-kinds';
import { chain, denseNode, inputNode, lossNode } from './build-doc';

const activation = NODE_KINDS.activation;

function alphaField(params: Record<string, unknown>) {
  return visibleFields(activation.fields, params).find((field) => field.key === 'alpha');
}

/** input 1 -> dense 3 -> activation(params) -> dense 1 -> mse. */
function networkWith(params: Record<string, unknown>) {
  return chain(inputNode(1), denseNode(3), ['activation', params], denseNode(1), lossNode('mse'));
}

describe('activation alpha field', () => {
  it('is shown for leaky ReLU and ELU only', () => {
    const shown = ACTIVATION_NAMES.filter((fn) => alphaField({ fn }) !== undefined);
    expect(shown).toEqual(['leaky_relu', 'elu']);
    expect(alphaField({})).toBeUndefined();
    expect(alphaField({ fn: 'swish' })).toBeUndefined();
    expect(alphaField({ fn: 'toString' })).toBeUndefined();
    // The function select is always there, first.
    expect(visibleFields(activation.fields, { fn: 'relu' }).map((f) => f.key)).toEqual(['fn']);
    expect(visibleFields(activation.fields, { fn: 'elu' }).map((f) => f.key)).toEqual([
      'fn',
      'alpha',
    ]);
  });

  it('fields without visibleWhen are always shown', () => {
    for (const kind of ['input', 'dense', 'loss'] as const)
      expect(visibleFields(NODE_KINDS[kind].fields, {})).toEqual(NODE_KINDS[kind].fields);
  });

  it("stands in DESIGN §2's defaults when alpha is absent: 0.01 for leaky ReLU, 1 for ELU", () => {
    const field = alphaField({ fn: 'leaky_relu' });
    expect(field?.type).toBe('number');
    expect(field?.whenAbsent?.({ fn: 'leaky_relu' })).toBe(0.01);
    expect(field?.whenAbsent?.({ fn: 'elu' })).toBe(1);
    expect(field?.whenAbsent?.({ fn: 'relu' })).toBeUndefined();
    // Both defaults are inside the range the field offers.
    expect(field).toMatchObject({ min: 0, max: 10 });
  });

  it('compile accepts alpha inside the range, at both ends, and keeps it', () => {
    for (const fn of ['leaky_relu', 'elu'])
      for (const alpha of [0, 0.2, 1.5, 10]) {
        const { spec, errors } = compileGraph(networkWith({ fn, alpha }));
        expect(errors).toEqual([]);
        expect(spec?.layers[1]).toMatchObject({ fn, alpha });
      }
  });

  it('compile leaves alpha out of the spec when absent, so the engine default applies', () => {
    const { spec, errors } = compileGraph(networkWith({ fn: 'elu' }));
    expect(errors).toEqual([]);
    expect(spec?.layers[1]).not.toHaveProperty('alpha');
  });

  it('compile refuses alpha outside the range, on the node, with the range in words', () => {
    for (const fn of ['leaky_relu', 'elu'])
      for (const alpha of [-0.01, 10.5]) {
        const { spec, errors } = compileGraph(networkWith({ fn, alpha }));
        expect(spec).toBeNull();
        expect(errors.map((e) => [e.nodeId, e.message])).toEqual([
          ['n3', `Alpha (α) must be from 0 to 10 (it is ${alpha}).`],
        ]);
      }
  });

  it('compile ignores the range where the function has no alpha (its field is hidden)', () => {
    const { errors } = compileGraph(networkWith({ fn: 'relu', alpha: -3 }));
    expect(errors).toEqual([]);
  });

  it('compile still refuses an alpha that is not a number, whatever the function', () => {
    for (const fn of ['leaky_relu', 'relu']) {
      const { errors } = compileGraph(networkWith({ fn, alpha: 'steep' }));
      expect(errors.map((e) => e.message)).toEqual(['The slope (alpha) must be a number.']);
    }
  });
});
