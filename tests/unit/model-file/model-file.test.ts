import { describe, expect, it } from 'vitest';
import {
  MIGRATIONS,
  migrateToCurrent,
  parseModelFile,
  readModelFile,
  writeModelFile,
  type Migration,
  type ModelFile,
} from '../../../src/lib/model-file/index';
import { irisModel } from './fixtures';

/** Read `text` and return its error (failing the test if it was accepted). */
function errorOf(text: string): string {
  const result = readModelFile(text);
  if (result.ok) throw new Error('expected the file to be rejected');
  return result.error;
}

/** Parsed JSON that a test edits freely, as a user's text editor would. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EditableJson = Record<string, any>;

/** The error for the iris model after `change` was applied to its JSON form. */
function errorAfter(change: (file: EditableJson) => void): string {
  const file = JSON.parse(JSON.stringify(irisModel()));
  change(file);
  return errorOf(JSON.stringify(file));
}

describe('model file round trip', () => {
  it('write then read gives the same model (NaN in a history survives as null)', () => {
    const model = irisModel();
    const text = writeModelFile(model);
    expect(text).toContain('"testAccuracy": [null, 0.5, 0.7]');
    const result = readModelFile(text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.model).toEqual(model);
  });

  it('writes a row of W on one line', () => {
    const text = writeModelFile(irisModel());
    const model = irisModel();
    expect(text).toContain(`[${model.weights!.n2.W[1].join(', ')}]`);
    expect(JSON.parse(text).weights.n2.W).toEqual(model.weights!.n2.W);
  });

  it('a graph-only export (no weights, no data, no history) is valid', () => {
    const model = irisModel();
    delete model.weights;
    delete model.data;
    delete model.training.history;
    delete model.training.metrics;
    const result = readModelFile(writeModelFile(model));
    expect(result).toEqual({ ok: true, model });
    const withNull: ModelFile = { ...model, weights: null };
    expect(readModelFile(writeModelFile(withNull)).ok).toBe(true);
  });

  it('a design whose graph does not compile yet (spec null) is valid without weights', () => {
    const model = irisModel();
    delete model.weights;
    model.spec = null;
    expect(readModelFile(writeModelFile(model)).ok).toBe(true);
  });

  it('a trained model that does not fit its data is not valid, an untrained design may be', () => {
    const model = irisModel();
    model.data!.classes = ['a', 'b'];
    expect(() => writeModelFile(model)).toThrow(
      'data.classes: the network outputs 3 values but 2 classes with cross_entropy needs 2',
    );
    delete model.weights;
    expect(readModelFile(writeModelFile(model)).ok).toBe(true);
  });

  it('reads a file with a byte-order mark', () => {
    expect(readModelFile('\uFEFF' + writeModelFile(irisModel())).ok).toBe(true);
  });
});

describe('malformed model files get a message that says what and where', () => {
  it('not JSON: names the line and column', () => {
    const text = '{\n  "format": "backprop-studio.model",\n  version: 1\n}';
    expect(errorOf(text)).toBe('not JSON: Expected double-quoted property name at line 3 column 3');
    expect(errorOf('')).toBe('not JSON: the file is empty');
    expect(errorOf('{"format": ')).toMatch(/^not JSON: /);
  });

  it('not an object', () => {
    expect(errorOf('[1, 2]')).toBe('not a model file: expected a JSON object, got a list of 2');
  });

  it('wrong format', () => {
    expect(errorAfter((f) => (f.format = 'keras'))).toBe(
      'format: expected "backprop-studio.model", got "keras" (this is not a Backprop Studio model file)',
    );
    expect(errorAfter((f) => delete f.format)).toMatch(
      /^format: expected "backprop-studio.model", got nothing/,
    );
  });

  it('a newer version, and versions that are not versions', () => {
    expect(errorAfter((f) => (f.version = 3))).toBe(
      'version 3 is newer than this app understands (it reads up to version 2): update Backprop Studio to open this file',
    );
    expect(errorAfter((f) => (f.version = '1'))).toBe('version: expected a whole number, got "1"');
    expect(errorAfter((f) => (f.version = 0))).toBe(
      'version 0 is too old: this app reads versions 1 to 2',
    );
  });

  it('W with the wrong number of rows', () => {
    expect(errorAfter((f) => f.weights.n4.W.pop())).toBe(
      'weights.n4.W: expected 5 rows of 3 numbers, got 4 rows',
    );
  });

  it('a row of W with the wrong number of columns', () => {
    expect(errorAfter((f) => f.weights.n4.W[2].push(0.5))).toBe(
      'weights.n4.W[2]: expected 3 numbers (one per unit), got 4',
    );
  });

  it('b with the wrong length, and a weight that is not a number', () => {
    expect(errorAfter((f) => f.weights.n2.b.pop())).toBe(
      'weights.n2.b: expected 5 numbers (one per unit), got 4',
    );
    expect(errorAfter((f) => (f.weights.n2.W[1][3] = 'x'))).toBe(
      'weights.n2.W[1][3]: expected a number, got "x"',
    );
  });

  it('missing fields', () => {
    expect(errorAfter((f) => delete f.training.batchSize)).toBe(
      'training.batchSize: missing (expected a number)',
    );
    expect(errorAfter((f) => delete f.graph)).toBe('graph: missing (expected an object)');
    expect(errorAfter((f) => delete f.spec.layers[1].fn)).toBe(
      'spec.layers[1].fn: expected one of "identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu" or "softmax", it is missing',
    );
  });

  it('wrong values', () => {
    expect(errorAfter((f) => (f.training.optimizer.name = 'adamw'))).toBe(
      'training.optimizer.name: expected one of "sgd", "momentum", "nesterov", "adagrad", "rmsprop" or "adam", got "adamw"',
    );
    expect(errorAfter((f) => (f.spec.layers[0].type = 'conv'))).toBe(
      'spec.layers[0].type: expected one of "dense", "activation", "dropout", "add" or "concat", got "conv"',
    );
    expect(errorAfter((f) => (f.training.batchSize = 0))).toBe(
      'training.batchSize: expected a number above 0, got 0',
    );
    expect(errorAfter((f) => (f.training.testFraction = 1))).toBe(
      'training.testFraction: expected a number below 1, got 1',
    );
  });

  it('lists every problem, one per line', () => {
    const result = readModelFile(
      JSON.stringify({
        ...irisModel(),
        name: 3,
        training: { ...irisModel().training, epochs: -1 },
      }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues).toEqual([
        'name: expected text, got 3',
        'training.epochs: expected a number of at least 0, got -1',
      ]);
      expect(result.error).toBe(result.issues.join('\n'));
    }
  });

  it('spec and weights that disagree', () => {
    // The second dense layer now takes 6 inputs: the chain breaks, named at the layer.
    expect(errorAfter((f) => (f.spec.layers[2].inputSize = 6))).toBe(
      'spec.layers[2].inputSize: expected 5 (the size coming out of "n3"), got 6',
    );
    // Both the spec and the weights say 6 units: the activation after it no longer fits.
    expect(
      errorAfter((f) => {
        f.spec.layers[0].units = 6;
        f.weights.n2.W.forEach((row: number[]) => row.push(0));
        f.weights.n2.b.push(0);
      }),
    ).toBe('spec.layers[1].size: expected 6 (the size coming out of "n2"), got 5');
    expect(errorAfter((f) => (f.weights.n9 = f.weights.n2))).toBe(
      'weights.n9: there is no dense layer "n9" in spec.layers',
    );
    expect(errorAfter((f) => delete f.weights.n2)).toBe(
      'weights.n2: missing (dense layer "n2" needs W and b)',
    );
    expect(errorAfter((f) => (f.spec = null))).toBe(
      'weights: weights need a spec to belong to, but spec is missing',
    );
  });

  it('spec whose wires do not fit, or names nodes the graph lacks', () => {
    // The activation reads the input (4 wide) and the dense layer's output goes nowhere.
    expect(errorAfter((f) => (f.spec.layers[1].inputs = ['n1']))).toBe(
      'spec.layers[1].size: expected 4 (the size coming out of "n1"), got 5\n' +
        'spec.layers[0].id: "n2" leads nowhere: no later layer takes its output',
    );
    expect(errorAfter((f) => (f.spec.layers[1].inputs = ['n4']))).toBe(
      'spec.layers[1].inputs: "n4" is neither the input nor a layer before this one (layers are in topological order)\n' +
        'spec.layers[0].id: "n2" leads nowhere: no later layer takes its output',
    );
    expect(errorAfter((f) => (f.spec.layers[1].inputs = ['n2', 'n1']))).toMatch(
      /^spec\.layers\[1\]\.inputs: the activation layer takes exactly one input, got \["n2", "n1"\]/,
    );
    expect(errorAfter((f) => (f.spec.loss.inputs = []))).toBe(
      'spec.loss.inputs: expected ["n5"] (the last layer), got []',
    );
    expect(
      errorAfter((f) => {
        f.graph.nodes = f.graph.nodes.filter((n: { id: string }) => n.id !== 'n6');
        f.graph.edges.pop();
      }),
    ).toBe('spec.loss.id: there is no node "n6" in graph.nodes');
    expect(errorAfter((f) => (f.graph.edges[0].target = 'n7'))).toBe(
      'graph.edges[0].target: there is no node "n7" in graph.nodes',
    );
  });

  it('a loss without the activation it needs', () => {
    expect(errorAfter((f) => (f.spec.layers[3].fn = 'relu'))).toBe(
      'spec.loss.type: cross_entropy needs a softmax right before it, got "relu"',
    );
    expect(errorAfter((f) => (f.spec.loss.type = 'binary_cross_entropy'))).toBe(
      'spec.loss.type: binary_cross_entropy needs a sigmoid right before it, got "softmax"',
    );
    expect(
      errorAfter((f) => {
        f.spec.layers[3].fn = 'sigmoid';
        f.spec.loss.type = 'binary_cross_entropy';
      }),
    ).toBe('spec.loss.type: binary_cross_entropy needs 1 output (one sigmoid unit), got 3');
  });

  it('standardization of the wrong length', () => {
    expect(errorAfter((f) => f.data.standardize.std.pop())).toBe(
      'data.standardize.std: expected 4 numbers (one per input), got 3',
    );
    expect(errorAfter((f) => (f.data.standardize.std[0] = 0))).toBe(
      'data.standardize.std[0]: expected a number above 0, got 0',
    );
  });

  it('data that does not match the trained network', () => {
    expect(errorAfter((f) => f.data.features.pop())).toBe(
      'data.features: expected 4 names (the input size), got 3',
    );
  });

  it('history columns of different lengths', () => {
    expect(errorAfter((f) => f.training.history.testLoss.pop())).toBe(
      'training.history.testLoss: expected 3 values (one per epoch), got 2',
    );
  });
});

describe('migrations keep old files loading', () => {
  const renameRate: Migration = (file) => {
    // A made-up version 0 that called the learning rate "lr".
    const training = file.training as EditableJson;
    const { lr, ...optimizer } = training.optimizer;
    return { ...file, training: { ...training, optimizer: { ...optimizer, learningRate: lr } } };
  };

  it('upgrades step by step up to the current version', () => {
    const old = JSON.parse(JSON.stringify(irisModel()));
    old.version = 0;
    old.training.optimizer = { name: 'momentum', lr: 0.01, momentum: 0.9 };
    expect(parseModelFile(old).ok).toBe(false);
    const result = parseModelFile(old, { 0: renameRate, ...MIGRATIONS });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.model.version).toBe(2);
      expect(result.model.training.optimizer).toEqual(irisModel().training.optimizer);
    }
  });

  it('says which versions it reads when a step is missing', () => {
    const result = migrateToCurrent({}, 1, { 2: renameRate }, 3);
    expect(result).toEqual({
      ok: false,
      error: 'version 1 is too old: this app reads versions 2 to 3',
    });
  });
});
