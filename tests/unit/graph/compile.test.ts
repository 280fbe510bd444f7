/**
 * compile() by hand: the spec of DESIGN.md §3 for a valid chain, and for each kind of mistake the
 * message a newcomer sees, attached to the node or wire it is about.
 */
import { describe, expect, it } from 'vitest';
import { compileGraph, type CompileContext, type GraphError } from '../../../src/lib/graph/compile';
import type { GraphDocument, GraphNode } from '../../../src/lib/graph/document';
import {
  act,
  chain,
  denseNode,
  inputNode,
  irisChain,
  lossNode,
  node,
  withEdges,
  withNodes,
  withoutEdges,
} from './build-doc';

/** The errors as [where, message] pairs, where = node id or "edge:<id>". */
function errorsOf(doc: GraphDocument, context?: CompileContext): [string, string][] {
  return compileGraph(doc, context).errors.map((e: GraphError) => [
    e.nodeId ?? `edge:${e.edgeId}`,
    e.message,
  ]);
}

function expectOnlyError(
  doc: GraphDocument,
  where: string,
  pattern: RegExp,
  context?: CompileContext,
) {
  const errors = errorsOf(doc, context);
  expect(errors).toHaveLength(1);
  expect(errors[0][0]).toBe(where);
  expect(errors[0][1]).toMatch(pattern);
  expect(compileGraph(doc, context).spec).toBeNull();
}

const irisContext: CompileContext = {
  inputSize: 4,
  task: 'classification',
  classCount: 3,
  datasetLabel: 'Iris',
};

describe('compileGraph: a valid chain', () => {
  it('gives the spec of DESIGN.md §3, in topological order, whatever the document order', () => {
    const doc = irisChain();
    const shuffled: GraphDocument = {
      nodes: [...doc.nodes].reverse(),
      edges: [doc.edges[3], doc.edges[0], doc.edges[4], doc.edges[2], doc.edges[1]],
    };
    for (const d of [doc, shuffled]) {
      const result = compileGraph(d);
      expect(result.errors).toEqual([]);
      expect(result.spec).toEqual({
        input: { id: 'n1', size: 4 },
        layers: [
          { id: 'n2', type: 'dense', inputs: ['n1'], inputSize: 4, units: 5, init: 'auto' },
          { id: 'n3', type: 'activation', inputs: ['n2'], fn: 'sigmoid', size: 5 },
          { id: 'n4', type: 'dense', inputs: ['n3'], inputSize: 5, units: 3, init: 'auto' },
          { id: 'n5', type: 'activation', inputs: ['n4'], fn: 'softmax', size: 3 },
        ],
        loss: { id: 'n6', type: 'cross_entropy', inputs: ['n5'] },
      });
    }
  });

  it('infers the width along every wire and into and out of every node', () => {
    const { shapes } = compileGraph(irisChain());
    expect({ ...shapes.edges }).toEqual({ e1: 4, e2: 5, e3: 5, e4: 3, e5: 3 });
    expect({ ...shapes.nodes }).toEqual({
      n1: { in: null, out: 4 },
      n2: { in: 4, out: 5 },
      n3: { in: 5, out: 5 },
      n4: { in: 5, out: 3 },
      n5: { in: 3, out: 3 },
      n6: { in: 3, out: null },
    });
  });

  it('keeps an activation alpha and accepts mse after any layer', () => {
    const doc = chain(
      inputNode(1),
      denseNode(3),
      ['activation', { fn: 'leaky_relu', alpha: 0.2 }],
      denseNode(1),
      lossNode('mse'),
    );
    const { spec, errors } = compileGraph(doc);
    expect(errors).toEqual([]);
    expect(spec?.layers[1]).toEqual({
      id: 'n3',
      type: 'activation',
      inputs: ['n2'],
      fn: 'leaky_relu',
      size: 3,
      alpha: 0.2,
    });
  });

  it('allows a network with no hidden layer (Input straight into the Loss)', () => {
    const { spec, errors } = compileGraph(chain(inputNode(1), lossNode('mse')));
    expect(errors).toEqual([]);
    expect(spec).toEqual({
      input: { id: 'n1', size: 1 },
      layers: [],
      loss: { id: 'n2', type: 'mse', inputs: ['n1'] },
    });
  });

  it('compiles an empty canvas to nothing, without errors', () => {
    expect(compileGraph({ nodes: [], edges: [] })).toEqual({
      spec: null,
      errors: [],
      shapes: { nodes: {}, edges: {} },
    });
  });

  it('takes the Input size from the dataset when the context gives one', () => {
    const doc = irisChain();
    doc.nodes[0].params.size = 7;
    const { spec, errors, shapes } = compileGraph(doc, irisContext);
    expect(errors).toEqual([]);
    expect(spec?.input.size).toBe(4);
    expect(spec?.layers[0]).toMatchObject({ inputSize: 4 });
    expect(shapes.nodes.n1.out).toBe(4);
    // Even a broken size in the document does not matter then (the field is locked).
    doc.nodes[0].params.size = 'oops';
    expect(compileGraph(doc, irisContext).errors).toEqual([]);
  });
});

describe('compileGraph: the network as a whole', () => {
  it('no Input: on the node where the chain starts', () => {
    expectOnlyError(
      chain(denseNode(3), act('softmax'), lossNode('cross_entropy')),
      'n1',
      /no Input/,
    );
  });

  it('no Loss: on the node where the chain ends', () => {
    expectOnlyError(chain(inputNode(4), denseNode(3), act('softmax')), 'n3', /no Loss/);
  });

  it('a lone node without Input or Loss is told both', () => {
    const errors = errorsOf(chain(denseNode(3)));
    expect(errors.map(([where]) => where)).toEqual(['n1', 'n1']);
    expect(errors.map(([, m]) => m).join(' ')).toMatch(/no Input.*no Loss/);
  });

  it('several Inputs: on every Input after the first', () => {
    const doc = withNodes(irisChain(), node('n7', inputNode(4)), node('n8', inputNode(4)));
    const errors = errorsOf(doc);
    expect(errors.map(([where]) => where)).toEqual(['n7', 'n8']);
    for (const [, message] of errors) expect(message).toMatch(/3 Input nodes/);
  });

  it('several Losses: on every Loss after the first', () => {
    expectOnlyError(withNodes(irisChain(), node('n7', lossNode('mse'))), 'n7', /2 Loss nodes/);
  });

  it('a lone node beside the network: "not connected"', () => {
    expectOnlyError(withNodes(irisChain(), node('n7', denseNode(3))), 'n7', /not connected/);
  });

  it('a separate part: one message on the node where that part starts', () => {
    const doc = withEdges(
      withNodes(irisChain(), node('n7', act('relu')), node('n8', denseNode(2))),
      ['e6', 'n8', 'n7'],
    );
    expectOnlyError(doc, 'n8', /part \(2 nodes, starting here\) is not connected/);
  });

  it('a loop: on the wire that closes it', () => {
    const loop = withEdges(chain(denseNode(3), act('relu'), denseNode(3)), ['e3', 'n3', 'n1']);
    expectOnlyError(loop, 'edge:e3', /loop \(a cycle\)/);
  });

  it('a loop inside the network also shows the node with two inputs', () => {
    const doc = withEdges(irisChain(), ['e6', 'n4', 'n2']);
    const errors = errorsOf(doc);
    expect(errors).toContainEqual(['n2', expect.stringMatching(/2 wires coming in/)]);
    expect(errors).toContainEqual(['edge:e6', expect.stringMatching(/cycle/)]);
  });

  it('two wires into one node: on that node', () => {
    const doc = withEdges(withNodes(irisChain(), node('n7', inputNode(4))), ['e6', 'n7', 'n2']);
    const errors = errorsOf(doc);
    expect(errors).toContainEqual([
      'n2',
      expect.stringMatching(/2 wires coming in.*exactly one input/),
    ]);
    expect(errors).toContainEqual(['n7', expect.stringMatching(/2 Input nodes/)]);
  });

  it('one node feeding two is fine; the branch that goes nowhere says so', () => {
    const doc = withEdges(withNodes(irisChain(), node('n7', act('relu'))), ['e6', 'n2', 'n7']);
    expectOnlyError(doc, 'n7', /leads nowhere/);
  });

  it('a gap in the chain: both loose ends say so', () => {
    // e3 is n3 -> n4: the network stops at n3, and n4..n6 form a part of their own.
    const errors = errorsOf(withoutEdges(irisChain(), 'e3'));
    expect(errors).toEqual([
      ['n3', expect.stringMatching(/This Activation leads nowhere/)],
      ['n4', expect.stringMatching(/part \(3 nodes, starting here\) is not connected/)],
    ]);
  });
});

describe('compileGraph: what each kind needs around it', () => {
  it('cross-entropy without a Softmax right before it (the canvas test case)', () => {
    const doc = chain(
      inputNode(4),
      denseNode(5),
      act('sigmoid'),
      denseNode(3),
      lossNode('cross_entropy'),
    );
    expectOnlyError(doc, 'n5', /Cross-entropy needs a Softmax right before it/);
  });

  it('cross-entropy after another activation names it', () => {
    const doc = chain(inputNode(4), denseNode(3), act('sigmoid'), lossNode('cross_entropy'));
    expectOnlyError(doc, 'n4', /Softmax right before it, not Sigmoid/);
  });

  it('a Softmax over a single number (always 1), whatever loss follows', () => {
    const doc = chain(inputNode(4), denseNode(1), act('softmax'), lossNode('cross_entropy'));
    expectOnlyError(doc, 'n3', /Softmax over a single number always outputs 1/);
    const mse = chain(inputNode(4), denseNode(1), act('softmax'), lossNode('mse'));
    expectOnlyError(mse, 'n3', /always outputs 1/);
  });

  it('binary cross-entropy without a Sigmoid', () => {
    const doc = chain(inputNode(2), denseNode(1), act('tanh'), lossNode('binary_cross_entropy'));
    expectOnlyError(doc, 'n4', /Binary cross-entropy needs a Sigmoid with a single unit/);
    const noActivation = chain(inputNode(2), denseNode(1), lossNode('binary_cross_entropy'));
    expectOnlyError(noActivation, 'n3', /Sigmoid/);
  });

  it('binary cross-entropy after a Sigmoid over several units', () => {
    const doc = chain(inputNode(2), denseNode(3), act('sigmoid'), lossNode('binary_cross_entropy'));
    expectOnlyError(doc, 'n4', /single output, but 3 arrive/);
  });

  it('a Softmax that is not right before the Loss', () => {
    const doc = chain(
      inputNode(4),
      denseNode(3),
      act('softmax'),
      denseNode(3),
      act('softmax'),
      lossNode('cross_entropy'),
    );
    expectOnlyError(doc, 'n3', /Softmax must be the last layer/);
  });
});

describe('compileGraph: the output against the dataset', () => {
  it('classification: the last Dense must have one unit per class', () => {
    const doc = irisChain();
    expect(errorsOf(doc, irisContext)).toEqual([]);
    expectOnlyError(
      doc,
      'n4',
      /Wine dataset has 2 classes.*outputs 3\. Set this Dense to 2 units/,
      {
        ...irisContext,
        classCount: 2,
        datasetLabel: 'Wine',
      },
    );
  });

  it('binary cross-entropy needs a two-class dataset', () => {
    const doc = chain(inputNode(4), denseNode(1), act('sigmoid'), lossNode('binary_cross_entropy'));
    expect(errorsOf(doc, { ...irisContext, classCount: 2 })).toEqual([]);
    expectOnlyError(doc, 'n4', /Binary cross-entropy is for 2 classes.*has 3/, irisContext);
  });

  it('regression: one output, and mean squared error', () => {
    const regression: CompileContext = { inputSize: 1, task: 'regression', datasetLabel: 'Runge' };
    const good = chain(inputNode(1), denseNode(8), act('tanh'), denseNode(1), lossNode('mse'));
    expect(errorsOf(good, regression)).toEqual([]);
    const wide = chain(inputNode(1), denseNode(8), act('tanh'), denseNode(2), lossNode('mse'));
    expectOnlyError(
      wide,
      'n4',
      /predicts one number.*outputs 2\. Set this Dense to 1 units?/,
      regression,
    );
    const ce = chain(inputNode(1), denseNode(2), act('softmax'), lossNode('cross_entropy'));
    expect(errorsOf(ce, regression)).toEqual([
      ['n4', expect.stringMatching(/regression.*Mean squared error, not Cross-entropy/)],
    ]);
  });

  it('no Dense to change: the message is on the Loss', () => {
    const doc = chain(inputNode(4), lossNode('mse'));
    expectOnlyError(doc, 'n2', /outputs 4\. Add a Dense with 3 units/, irisContext);
  });
});

describe('compileGraph: parameters', () => {
  it.each([
    [0, /from 1 to 4096 \(it is 0\)/],
    [4097, /from 1 to 4096 \(it is 4097\)/],
    [2.5, /whole number \(it is 2\.5\)/],
    ['8', /must be a number/],
    [Number.NaN, /must be a number/],
    [undefined, /Units is missing/],
  ])('Units %s', (units, pattern) => {
    const doc = irisChain();
    doc.nodes[1].params = { init: 'auto', ...(units === undefined ? {} : { units }) };
    const errors = errorsOf(doc);
    expect(errors[0]).toEqual(['n2', expect.stringMatching(pattern)]);
    expect(errors[0][1]).toMatch(/^Units/);
    // The width after it is unknown, so nothing downstream is blamed for it.
    expect(errors).toHaveLength(1);
  });

  it('Input size out of range without a dataset', () => {
    const doc = irisChain();
    doc.nodes[0].params.size = 0;
    expectOnlyError(doc, 'n1', /^Size must be from 1 to 4096/);
  });

  it('unknown or missing choices', () => {
    const doc = irisChain();
    doc.nodes[1].params.init = 'glorot';
    doc.nodes[2].params.fn = 'swish';
    delete doc.nodes[5].params.loss;
    doc.nodes[2].params.alpha = 'steep';
    const errors = errorsOf(doc);
    expect(errors).toContainEqual([
      'n2',
      expect.stringMatching(/Unknown initializer "glorot": choose Auto, Xavier/),
    ]);
    expect(errors).toContainEqual([
      'n3',
      expect.stringMatching(
        /Unknown function "swish": choose Identity, Sigmoid, Tanh, ReLU, Leaky ReLU, ELU, Softmax/,
      ),
    ]);
    expect(errors).toContainEqual(['n3', expect.stringMatching(/alpha.*number/)]);
    expect(errors).toContainEqual([
      'n6',
      expect.stringMatching(
        /Choose the loss: Mean squared error, Cross-entropy, Binary cross-entropy/,
      ),
    ]);
  });
});

describe('compileGraph: broken documents (from files or old saves)', () => {
  it('wires that cannot be used are explained on the wire', () => {
    const doc = withEdges(
      irisChain(),
      ['e6', 'n2', 'ghost'],
      ['e7', 'n3', 'n3'],
      ['e8', 'n1', 'n2'],
      ['e9', 'n6', 'n2'],
      ['e10', 'n5', 'n1'],
      ['e5', 'n1', 'n3'],
    );
    const errors = errorsOf(doc);
    expect(errors).toContainEqual(['edge:e6', expect.stringMatching(/does not exist/)]);
    expect(errors).toContainEqual(['edge:e7', expect.stringMatching(/to itself/)]);
    expect(errors).toContainEqual(['edge:e8', expect.stringMatching(/repeats another/)]);
    expect(errors).toContainEqual(['edge:e9', expect.stringMatching(/after a Loss/)]);
    expect(errors).toContainEqual(['edge:e10', expect.stringMatching(/feed into an Input/)]);
    expect(errors).toContainEqual(['edge:e5', expect.stringMatching(/Two wires share one id/)]);
    // The faulty wires are ignored otherwise: the chain itself is still fine.
    expect(errors).toHaveLength(6);
  });

  it('unknown kinds and repeated ids are named', () => {
    const alien = {
      id: 'n7',
      type: 'conv',
      position: { x: 0, y: 0 },
      params: {},
    } as unknown as GraphNode;
    const copy = node('n2', denseNode(9));
    const errors = errorsOf(withNodes(irisChain(), alien, copy));
    expect(errors).toContainEqual(['n7', expect.stringMatching(/Unknown kind of node "conv"/)]);
    expect(errors).toContainEqual(['n2', expect.stringMatching(/Two nodes share the id "n2"/)]);
  });

  it('never throws on garbage and says nothing twice in one place', () => {
    const garbage = [null, 5, {}, { nodes: 'x' }, { nodes: [null, 3, { id: 1 }], edges: [{}] }];
    for (const doc of garbage) {
      const result = compileGraph(doc as unknown as GraphDocument);
      expect(result.spec).toBeNull();
      expect(result.errors).toEqual([]);
    }
    const twice = withEdges(irisChain(), ['e6', 'n1', 'n2'], ['e7', 'n1', 'n2']);
    expect(
      errorsOf(twice).filter(([where]) => where === 'edge:e6' || where === 'edge:e7'),
    ).toHaveLength(1);
  });

  it('still infers what it can in a broken graph', () => {
    const doc = withoutEdges(irisChain(), 'e2');
    const { shapes } = compileGraph(doc);
    expect(shapes.nodes.n2).toEqual({ in: 4, out: 5 });
    expect(shapes.nodes.n3).toEqual({ in: null, out: null });
    expect(shapes.nodes.n4).toEqual({ in: null, out: 3 });
    expect(shapes.edges.e4).toBe(3);
  });
});
