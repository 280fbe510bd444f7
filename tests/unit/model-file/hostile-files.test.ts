/**
 * The reader against hostile and careless files (DESIGN.md §4): ids that are names of Object's
 * own properties, params nested past any stack, huge wrong rows, networks past the editor's
 * limits, lists of problems in the thousands, and a spec that is not its graph's.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { DEFAULT_TRAINING, type TrainingSettings } from '../../../src/lib/engine/settings';
import { MAX_WEIGHTS } from '../../../src/lib/graph/limits';
import {
  readModelFile,
  settingsFromTraining,
  trainingBlock,
  writeModelFile,
  type ModelTraining,
} from '../../../src/lib/model-file/index';
import { irisModel } from './fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EditableJson = Record<string, any>;

function irisJson(): EditableJson {
  return JSON.parse(JSON.stringify(irisModel()));
}

function errorOf(file: unknown): string {
  const result = readModelFile(typeof file === 'string' ? file : JSON.stringify(file));
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.error;
}

/** The iris file with the id `from` renamed to `to` everywhere (graph, spec, weights). */
function renamed(from: string, to: string): string {
  return JSON.stringify(irisModel()).split(JSON.stringify(from)).join(JSON.stringify(to));
}

describe('ids are plain strings', () => {
  for (const id of ['__proto__', 'constructor', 'hasOwnProperty', 'toString']) {
    it(`a dense layer called "${id}" reads, keeps its weights and writes back the same`, () => {
      const text = renamed('n2', id);
      const read = readModelFile(text);
      if (!read.ok) throw new Error(read.error);
      const weights = read.model.weights!;
      expect(Object.keys(weights)).toEqual([id, 'n4']);
      expect(Object.hasOwn(weights, id)).toBe(true);
      expect(weights[id].W).toEqual(irisModel().weights!.n2.W);
      const again = readModelFile(writeModelFile(read.model));
      if (!again.ok) throw new Error(again.error);
      expect(JSON.parse(writeModelFile(again.model))).toEqual(JSON.parse(text));
    });
  }

  it('weights missing for "constructor" are named, not found on Object.prototype', () => {
    const file = JSON.parse(renamed('n4', 'constructor'));
    delete file.weights.constructor;
    expect(errorOf(file)).toBe(
      'weights.constructor: missing (dense layer "constructor" needs W and b)',
    );
  });

  it('a node or param called __proto__ in the graph is an unknown field, not a prototype', () => {
    const text = JSON.stringify(irisModel()).replace(
      '"params":{"units":5,',
      '"params":{"__proto__":{"units":9},"units":5,',
    );
    expect(errorOf(text)).toBe('graph.nodes[1].params: unknown field "__proto__"');
  });
});

describe('node params are checked per kind', () => {
  it('5,000 levels of nested lists in a param give one clear problem', () => {
    let deep = '1';
    for (let i = 0; i < 5000; i++) deep = `[${deep}]`;
    const text = JSON.stringify(irisModel()).replace('"units":5,', `"units":${deep},`);
    expect(errorOf(text)).toBe('graph.nodes[1].params.units: expected a number, got a list of 1');
    const extra = JSON.stringify(irisModel()).replace('"units":5,', `"units":5,"extra":${deep},`);
    expect(errorOf(extra)).toBe('graph.nodes[1].params: unknown field "extra"');
  });

  it('a choice must be text and a number a number', () => {
    const file = irisJson();
    file.graph.nodes[2].params.fn = 3;
    file.graph.nodes[3].params.units = 'five';
    expect(errorOf(file)).toBe(
      'graph.nodes[2].params.fn: expected text, got 3\ngraph.nodes[3].params.units: expected a number, got "five"',
    );
  });
});

describe('limits', () => {
  it('a width past the editor’s limit is refused', () => {
    const file = irisJson();
    file.spec.layers[0].units = 1_000_000;
    expect(errorOf(file)).toContain(
      'spec.layers[0].units: expected a number of at most 4096, got 1000000',
    );
  });

  it('a network past the weight limit is refused with the count and the limit', () => {
    // 4 -> 4096 -> 4096 -> 3 and no weights: (5 + 4097) x 4096 + 4097 x 3 = 16,814,083 > 5,000,000.
    const file = irisJson();
    delete file.weights;
    file.spec.layers[0].units = 4096;
    file.spec.layers[1].size = 4096;
    file.spec.layers[2].inputSize = 4096;
    file.spec.layers.splice(2, 0, {
      id: 'n7',
      type: 'dense',
      inputs: ['n3'],
      inputSize: 4096,
      units: 4096,
      init: 'auto',
    });
    file.spec.layers[3].inputs = ['n7'];
    file.graph.nodes.push({
      id: 'n7',
      type: 'dense',
      position: { x: 0, y: 0 },
      params: { units: 4096, init: 'auto' },
    });
    const count = (4 + 1) * 4096 + (4096 + 1) * 4096 + (4096 + 1) * 3;
    expect(count).toBeGreaterThan(MAX_WEIGHTS);
    expect(errorOf(file)).toBe(
      `spec.layers: This network needs ~${((count * 32) / 1024 ** 2).toFixed(1)} MB for the weights, gradients and Adam's state of its ${count.toLocaleString('en-US')} weights and biases; the limit here is ~152.6 MB (5,000,000 weights and biases), so that training does not stall the page. Use fewer or narrower Dense layers.`,
    );
  });
});

describe('many problems', () => {
  it('a row of 130,000 wrong entries gives a short message', () => {
    const file = irisJson();
    file.weights.n2.W[0] = Array.from({ length: 130_000 }, () => 'x');
    const error = errorOf(file);
    expect(error).toBe(
      'weights.n2.W[0][0]: expected a number, got "x" (and 129999 more entries that are not numbers)',
    );
  });

  it('lists the first 20 problems and counts the rest', () => {
    const file = irisJson();
    file.training.history.trainLoss = Array.from({ length: 3 }, () => 'x');
    file.graph.nodes = Array.from({ length: 100 }, (_, i) => ({ id: `m${i}`, type: 'conv' }));
    const lines = errorOf(file).split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[20]).toMatch(/^and \d+ more problems$/);
    expect(Number(/\d+/.exec(lines[20])![0])).toBeGreaterThanOrEqual(100 + 3 - 20);
  });
});

describe('names are said once', () => {
  it('duplicate feature names and class labels are refused by name', () => {
    const file = irisJson();
    file.data.features[2] = 'sepal_length_cm';
    file.data.classes[2] = 'setosa';
    expect(errorOf(file)).toBe(
      'data.features: the feature "sepal_length_cm" is listed twice\ndata.classes: the class "setosa" is listed twice',
    );
  });
});

describe('the spec is what the graph compiles to', () => {
  it('a different number of units is named with both sides', () => {
    const file = irisJson();
    delete file.weights;
    file.graph.nodes[1].params.units = 6;
    expect(errorOf(file)).toBe(
      'spec.layers[0].units: the spec says 5, the graph gives 6 (spec must be what the graph compiles to)\n' +
        'spec.layers[1].size: the spec says 5, the graph gives 6 (spec must be what the graph compiles to)\n' +
        'spec.layers[2].inputSize: the spec says 5, the graph gives 6 (spec must be what the graph compiles to)',
    );
  });

  it('a cycle in the graph of a file with a spec is refused with the graph’s problem', () => {
    const file = irisJson();
    file.graph.edges.push({ id: 'e9', source: 'n3', target: 'n2' });
    const error = errorOf(file);
    expect(error).toMatch(/^spec: the file has a spec but its graph does not compile/);
    expect(error).toMatch(/loop/i);
  });

  it('a different function or initializer is named', () => {
    const file = irisJson();
    file.graph.nodes[2].params.fn = 'tanh';
    file.graph.nodes[3].params.init = 'he';
    expect(errorOf(file)).toBe(
      'spec.layers[1].fn: the spec says "sigmoid", the graph gives "tanh" (spec must be what the graph compiles to)\n' +
        'spec.layers[2].init: the spec says "auto", the graph gives "he" (spec must be what the graph compiles to)',
    );
  });
});

describe('the training block is the engine’s settings', () => {
  it('ModelTraining is TrainingSettings (switches optional) plus history and metrics', () => {
    type Settings = Required<Omit<ModelTraining, 'history' | 'metrics'>>;
    expectTypeOf<Settings>().toEqualTypeOf<Required<TrainingSettings>>();
    expect(settingsFromTraining(trainingBlock(DEFAULT_TRAINING))).toEqual(DEFAULT_TRAINING);
  });
});
