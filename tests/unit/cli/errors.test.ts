/** Bad inputs: each gets one clear message on stderr, exit code 1, nothing on stdout. */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, type Workspace } from './helpers';

let ws: Workspace;
beforeAll(async () => {
  ws = createWorkspace();
  await ws.cli(['init', '--template', 'iris', '--out', 'iris.model.json']);
  await ws.cli([
    'train',
    '--model',
    'iris.model.json',
    '--epochs',
    '2',
    '--out',
    'trained.model.json',
  ]);
  writeFileSync(
    ws.path('broken.json'),
    '{\n  "format": "backprop-studio.model",\n  "version": 1,,\n}',
  );
  writeFileSync(ws.path('other.json'), JSON.stringify({ format: 'something-else', version: 1 }));
  const trained = JSON.parse(readFileSync(ws.path('trained.model.json'), 'utf8'));
  trained.weights.n4.W.pop();
  writeFileSync(ws.path('short-w.json'), JSON.stringify(trained));
  writeFileSync(
    ws.path('bad-number.csv'),
    'sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,class\n5.1,3.5,1.4,0.2,setosa\n4.9,abc,1.4,0.2,setosa\n',
  );
  writeFileSync(ws.path('ragged.csv'), 'a,b,c\n1,2,3\n4,5\n');
  writeFileSync(
    ws.path('rose.csv'),
    'sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,class\n5.1,3.5,1.4,0.2,rose\n',
  );
  writeFileSync(ws.path('no-petals.csv'), 'sepal_length_cm,sepal_width_cm,class\n5.1,3.5,setosa\n');
  writeFileSync(
    ws.path('features-only.csv'),
    'sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm\n5.1,3.5,1.4,0.2\n',
  );
});
afterAll(() => ws.remove());

async function failure(argv: string[]): Promise<string> {
  const run = await ws.cli(argv);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  return run.stderr;
}

describe('bad inputs get clear messages', () => {
  it('unknown commands and flags', async () => {
    expect(await failure(['fit'])).toBe(
      'Unknown command "fit". Commands: init, train, predict, grad, gradcheck, export, bench. Run "npm run cli -- --help" for more.\n',
    );
    expect(await failure(['train', '--model', 'iris.model.json', '--learning-rate', '0.1'])).toBe(
      'train: there is no flag --learning-rate. Run "npm run cli -- train --help" to see its flags.\n',
    );
    expect(await failure(['train', '--modle', 'iris.model.json'])).toContain(
      'Did you mean --model?',
    );
    expect(await failure(['predict', '--model', 'iris.model.json'])).toContain(
      'predict: --data FILE.csv is required.',
    );
    expect(await failure(['init', '--template', 'mnist', '--out', 'x.json'])).toBe(
      'init: --template must be one of iris, xor, digits, runge, deep-sigmoid, deep-sigmoid-skip, wide-and-deep, fashion_mnist, one-dense-layer, two-dense-layers, n-layers-batched, iris-momentum; got "mnist".\n',
    );
    expect(await failure([])).toContain('Usage: npm run cli -- <command> [flags]');
  });

  it('missing and malformed model files', async () => {
    expect(await failure(['train', '--model', 'nope.json'])).toBe(
      'train: Cannot read the model file "nope.json": there is no such file.\n',
    );
    expect(await failure(['train', '--model', 'broken.json'])).toBe(
      'train: "broken.json" is not a valid model file:\n  not JSON: Expected double-quoted property name at line 3 column 16\n',
    );
    expect(await failure(['predict', '--model', 'other.json', '--data', 'iris'])).toBe(
      'predict: "other.json" is not a valid model file:\n  format: expected "backprop-studio.model", got "something-else" (this is not a Backprop Studio model file)\n',
    );
    expect(await failure(['grad', '--model', 'short-w.json', '--data', 'iris'])).toBe(
      'grad: "short-w.json" is not a valid model file:\n  weights.n4.W: expected 5 rows of 3 numbers, got 4 rows\n',
    );
    expect(await failure(['predict', '--model', 'iris.model.json', '--data', 'iris'])).toBe(
      'predict: "iris.model.json" has no weights yet (an untrained design). Train it first: npm run cli -- train --model iris.model.json --data DATASET\n',
    );
  });

  it('missing and malformed data', async () => {
    expect(await failure(['train', '--model', 'iris.model.json', '--data', 'irs'])).toBe(
      'train: "irs" is neither a built-in dataset (iris, wine, breast_cancer, digits, fashion_mnist, xor, circles, spirals, blobs, runge) nor a CSV file path (like data/my.csv).\n',
    );
    expect(await failure(['train', '--model', 'iris.model.json', '--data', 'missing.csv'])).toBe(
      'train: Cannot read the data file "missing.csv": there is no such file.\n',
    );
    expect(await failure(['train', '--model', 'iris.model.json', '--data', 'bad-number.csv'])).toBe(
      'train: bad-number.csv: line 3, column "sepal_width_cm": "abc" is not a number. Feature columns must hold numbers.\n',
    );
    expect(await failure(['train', '--model', 'iris.model.json', '--data', 'ragged.csv'])).toBe(
      'train: ragged.csv: line 3 has 2 cells, the header has 3.\n',
    );
    expect(
      await failure([
        'train',
        '--model',
        'iris.model.json',
        '--data',
        'bad-number.csv',
        '--target',
        'species',
      ]),
    ).toContain('there is no column "species" to predict');
    expect(
      await failure(['predict', '--model', 'trained.model.json', '--data', 'bad-number.csv']),
    ).toBe(
      'predict: bad-number.csv: line 3, column "sepal_width_cm": "abc" is not a number. Feature columns must hold numbers.\n',
    );
    expect(await failure(['predict', '--model', 'trained.model.json', '--data', 'rose.csv'])).toBe(
      'predict: rose.csv: line 2, column "class": "rose" is not one of the model\'s classes (setosa, versicolor, virginica).\n',
    );
    expect(
      await failure(['predict', '--model', 'trained.model.json', '--data', 'no-petals.csv']),
    ).toContain(
      'no-petals.csv has no column "petal_length_cm", "petal_width_cm", which the model reads.',
    );
    expect(
      await failure(['grad', '--model', 'trained.model.json', '--data', 'features-only.csv']),
    ).toBe(
      'grad: features-only.csv has no column "class" (the target the model predicts), so there is no loss to differentiate.\n',
    );
  });

  it('data that does not fit the network', async () => {
    expect(await failure(['train', '--model', 'iris.model.json', '--data', 'wine'])).toMatch(
      /^train: The network's input takes 4 features but wine has 13 \(.*\)\. Set the Input node's size to 13, or choose another dataset\.\n$/,
    );
    writeFileSync(
      ws.path('two-kinds.csv'),
      'a,b,c,d,kind\n1,2,3,4,x\n2,3,4,5,y\n3,4,5,6,x\n4,5,6,7,y\n',
    );
    expect(await failure(['train', '--model', 'iris.model.json', '--data', 'two-kinds.csv'])).toBe(
      "train: The network outputs 3 values but two-kinds.csv needs 2 (2 classes with cross_entropy). Change the last Dense layer's units to 2.\n",
    );
    await ws.cli(['init', '--template', 'xor', '--out', 'xor.model.json']);
    expect(await failure(['train', '--model', 'xor.model.json', '--data', 'blobs'])).toBe(
      'train: Binary cross-entropy needs exactly 2 classes, but this dataset has 3. Use cross-entropy with a softmax.\n',
    );
    await ws.cli(['init', '--template', 'runge', '--out', 'runge.model.json']);
    expect(await failure(['train', '--model', 'runge.model.json', '--data', 'xor'])).toContain(
      "The network's input takes 1 features but xor has 2",
    );
  });

  it('bad settings', async () => {
    expect(
      await failure([
        'train',
        '--model',
        'iris.model.json',
        '--optimizer',
        'adam',
        '--momentum',
        '0.5',
      ]),
    ).toBe(
      'train: --momentum applies to the momentum and nesterov optimizers; this run uses adam.\n',
    );
    expect(await failure(['train', '--model', 'iris.model.json', '--test-fraction', '1'])).toBe(
      'train: --test-fraction: Test fraction must be at least 0 and at most 0.9. Got 1.\n',
    );
    expect(await failure(['train', '--model', 'iris.model.json', '--lr', '0'])).toBe(
      'train: --lr: Learning rate must be above 0 and at most 1000000. Got 0.\n',
    );
    expect(
      await failure([
        'train',
        '--model',
        'iris.model.json',
        '--data',
        'iris',
        '--target',
        'petal_width_cm',
      ]),
    ).toBe(
      'train: The built-in dataset iris predicts "class"; --target only chooses the column of a CSV file.\n',
    );
  });

  it('a diverging run says so and writes nothing', async () => {
    const before = readFileSync(ws.path('trained.model.json'), 'utf8');
    const message = await failure([
      'train',
      '--model',
      'trained.model.json',
      '--optimizer',
      'sgd',
      '--lr',
      '1e6',
      '--l2',
      '1',
      '--epochs',
      '3',
    ]);
    expect(message).toMatch(
      /^train: Training diverged at epoch 1: .* The starting weights \(training loss [\d.]+\) were restored\. Try a lower learning rate\. Nothing was written\.\n$/,
    );
    expect(readFileSync(ws.path('trained.model.json'), 'utf8')).toBe(before);
  });

  it('--help for every command lists its flags', async () => {
    for (const [command, flag] of [
      ['init', '--template NAME'],
      ['train', '--no-standardize'],
      ['predict', '--data FILE.csv'],
      ['grad', '--json'],
      ['gradcheck', '--model FILE'],
      ['bench', '--seconds S'],
    ]) {
      const run = await ws.cli([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: npm run cli -- ${command}`);
      expect(run.stdout).toContain(flag);
    }
  });

  it('bench passes its flags on to the benchmark, whose complaints come through', async () => {
    const run = await ws.cli(['bench', '--bogus']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('--bogus');
  }, 60_000);
});
