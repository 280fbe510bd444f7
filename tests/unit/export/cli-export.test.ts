/** `cli export`: files written whole, clear errors with exit code 1, notes on stderr. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAs } from '../../../src/lib/export/index';
import { createWorkspace, type Workspace } from '../cli/helpers';
import { readModel } from './fixtures';

let ws: Workspace;
beforeAll(async () => {
  ws = createWorkspace();
  const init = await ws.cli(['init', '--template', 'iris', '--out', 'iris.model.json']);
  expect(init.code).toBe(0);
});
afterAll(() => ws.remove());

describe('cli export', () => {
  it('is listed in the help, with its formats', async () => {
    const main = await ws.cli(['--help']);
    expect(main.stdout).toMatch(/^ {2}export +export a model file as a PyTorch script/m);
    const help = await ws.cli(['export', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--format FORMAT');
    expect(help.stdout).toContain('pytorch, onnx, numpy');
  });

  it('writes each format, says where, and notes weights drawn from the seed', async () => {
    const model = readModel(ws.path('iris.model.json'));
    for (const [format, out] of [
      ['pytorch', 'iris.py'],
      ['onnx', 'iris.onnx'],
      ['numpy', 'iris_numpy.py'],
    ] as const) {
      const run = await ws.cli([
        'export',
        '--model',
        'iris.model.json',
        '--format',
        format,
        '--out',
        out,
        '--json',
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(/^Note: The model has no trained weights.*seed 42/);
      const report = JSON.parse(run.stdout) as { out: string; bytes: number; format: string };
      expect(report).toMatchObject({ out, format });
      const written = readFileSync(ws.path(out));
      expect(report.bytes).toBe(written.byteLength);
      const expected = exportAs(model, format).content;
      if (typeof expected === 'string') expect(written.toString('utf8')).toBe(expected);
      else expect(new Uint8Array(written)).toEqual(expected);
    }
    // No temporary files are left beside them.
    expect(readdirSync(ws.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses an unknown format by name', async () => {
    const run = await ws.cli([
      'export',
      '--model',
      'iris.model.json',
      '--format',
      'keras',
      '--out',
      'x.h5',
    ]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe('export: --format must be one of pytorch, onnx, numpy; got "keras".\n');
  });

  it('says which file cannot be read', async () => {
    const run = await ws.cli([
      'export',
      '--model',
      'missing.json',
      '--format',
      'onnx',
      '--out',
      'x.onnx',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'Cannot read the model file "missing.json": there is no such file.',
    );
    expect(existsSync(ws.path('x.onnx'))).toBe(false);
  });

  it('a model whose graph does not compile is refused and the old export stays as it was', async () => {
    const model = JSON.parse(readFileSync(ws.path('iris.model.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    writeFileSync(ws.path('nospec.model.json'), JSON.stringify({ ...model, spec: null }));
    writeFileSync(ws.path('old.onnx'), 'the previous export');
    const run = await ws.cli([
      'export',
      '--model',
      'nospec.model.json',
      '--format',
      'onnx',
      '--out',
      'old.onnx',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/has no layer spec: its graph does not compile yet/);
    expect(readFileSync(ws.path('old.onnx'), 'utf8')).toBe('the previous export');
  });

  it('PyTorch needs the data block (features, target); NumPy does without', async () => {
    const model = JSON.parse(readFileSync(ws.path('iris.model.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    delete model.data;
    writeFileSync(ws.path('nodata.model.json'), JSON.stringify(model));
    const torch = await ws.cli([
      'export',
      '--model',
      'nodata.model.json',
      '--format',
      'pytorch',
      '--out',
      'nodata.py',
    ]);
    expect(torch.code).toBe(1);
    expect(torch.stderr).toMatch(/PyTorch export needs to know the features and target/);
    expect(existsSync(ws.path('nodata.py'))).toBe(false);
    const numpy = await ws.cli([
      'export',
      '--model',
      'nodata.model.json',
      '--format',
      'numpy',
      '--out',
      'nodata.py',
    ]);
    expect(numpy.code, numpy.stderr).toBe(0);
  });

  it('a folder that does not exist is a clear error, and nothing is left behind', async () => {
    const run = await ws.cli([
      'export',
      '--model',
      'iris.model.json',
      '--format',
      'numpy',
      '--out',
      'no/such/folder/iris.py',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('export: Cannot write "iris.py" there: its folder does not exist.\n');
  });
});
