/**
 * `export`: take a model file elsewhere — a PyTorch script, an ONNX graph or a NumPy script
 * (src/lib/export). The file is written whole or not at all: a temporary file beside it, then a
 * rename.
 */
import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EXPORT_FORMATS, ExportError, exportAs, type ExportFormat } from '../../lib/export/index';
import { stringFlag, switchFlag, type FlagValues } from '../args';
import { JSON_FLAG, type Command } from '../command';
import { CliError } from '../errors';
import { resolvePath, type CliIo } from '../io';
import { readModelPath } from '../model-io';

const HOW_TO_USE: Record<ExportFormat, (out: string) => string> = {
  pytorch: (out) =>
    `Predict: python3 ${out} predict DATA.csv\nTrain:   python3 ${out} train DATA.csv --epochs 100   (torchrun --nproc_per_node=N ${out} train ... for DistributedDataParallel)`,
  onnx: (out) =>
    `Run it in ONNX Runtime with input "features" (N x F raw features, float32); output "outputs". Open it in Netron to see the graph: ${out}`,
  numpy: (out) => `Predict: python3 ${out} DATA.csv, or import it and call predict(X)`,
};

/** Write `content` to `path` whole or not at all. */
async function writeAtomically(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    const code = (error as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : error instanceof Error
              ? error.message
              : String(error);
    throw new CliError(`Cannot write "${basename(path)}" there: ${why}.`);
  }
}

async function run(flags: FlagValues, io: CliIo): Promise<number> {
  const modelPath = stringFlag(flags, 'model')!;
  const format = stringFlag(flags, 'format') as ExportFormat;
  const out = stringFlag(flags, 'out')!;
  const model = await readModelPath(io, modelPath);
  let exported;
  try {
    exported = exportAs(model, format);
  } catch (error) {
    if (error instanceof ExportError) throw new CliError(`"${modelPath}": ${error.message}`);
    throw error;
  }
  await writeAtomically(resolvePath(io, out), exported.content);
  const bytes =
    typeof exported.content === 'string'
      ? Buffer.byteLength(exported.content)
      : exported.content.byteLength;
  for (const note of exported.notes) io.err(`Note: ${note}\n`);
  if (switchFlag(flags, 'json')) {
    io.out(JSON.stringify({ model: modelPath, format, out, bytes, notes: exported.notes }) + '\n');
    return 0;
  }
  io.out(`Wrote ${out} (${format}, ${bytes} bytes).\n${HOW_TO_USE[format](out)}\n`);
  return 0;
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'export a model file as a PyTorch script, an ONNX graph or a NumPy script',
  details:
    'pytorch: one .py needing only torch: an nn.Module mirroring the graph with the weights embedded (float64), load_model(), and "predict DATA.csv" / "train DATA.csv [--epochs N] [--out FILE]" with the file\'s optimizer and the app\'s maths; under torchrun it trains with DistributedDataParallel.\n\nonnx: opset 17, float32, input "features" (raw rows), output "outputs", standardization inside the graph.\n\nnumpy: one .py with the weights and predict(X).\n\nA model without weights exports the initial weights its initializer draws from its seed, and says so.',
  examples: [
    'export --model iris.model.json --format pytorch --out iris.py',
    'export --model iris.model.json --format onnx --out iris.onnx',
  ],
  flags: [
    {
      name: 'model',
      kind: 'string',
      value: 'FILE',
      description: 'the model file to export',
      required: true,
    },
    {
      name: 'format',
      kind: 'string',
      value: 'FORMAT',
      choices: EXPORT_FORMATS,
      description: EXPORT_FORMATS.join(', '),
      required: true,
    },
    {
      name: 'out',
      kind: 'string',
      value: 'PATH',
      description: 'where to write the exported file',
      required: true,
    },
    JSON_FLAG,
  ],
  run,
};
