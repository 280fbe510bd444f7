/**
 * Taking a model elsewhere (DESIGN.md §5 `export`): one generator per format, each a pure function
 * from a model file to the text or bytes of the exported file. Shared by the CLI and the app.
 *
 * Every generator walks spec.layers in order (topological) and reads each layer's `inputs`, so a
 * new layer kind (add, concat, dropout) is one case in each per-layer function: forwardLines in
 * numpy.ts and pytorch.ts, the layer loop in onnx.ts.
 */
import type { ModelFile } from '../model-file/types';
import { exportModel, weightsNote } from './export-model';
import { numpySource } from './numpy';
import { onnxBytes } from './onnx';
import { pytorchSource } from './pytorch';

export { ExportError } from './errors';
export { exportModel, type ExportModel } from './export-model';
export { numpySource, onnxBytes, pytorchSource };

export const EXPORT_FORMATS = ['pytorch', 'onnx', 'numpy'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportedFile {
  /** A file name for it: the model's name and the format's extension. */
  fileName: string;
  mimeType: string;
  content: string | Uint8Array;
  /** Things the user should know (e.g. the weights were drawn from the seed). */
  notes: string[];
}

/** A file name made of the model's name, safe on every system. */
function baseName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  return safe === '' ? 'model' : safe;
}

/** The exported file of `model` in `format`; throws an ExportError the user can act on. */
export function exportAs(model: ModelFile, format: ExportFormat): ExportedFile {
  const prepared = exportModel(model);
  const note = weightsNote(prepared);
  const notes = note ? [note] : [];
  const base = baseName(model.name);
  switch (format) {
    case 'pytorch':
      return {
        fileName: `${base}.py`,
        mimeType: 'text/x-python',
        content: pytorchSource(prepared),
        notes,
      };
    case 'numpy':
      return {
        fileName: `${base}_numpy.py`,
        mimeType: 'text/x-python',
        content: numpySource(prepared),
        notes,
      };
    case 'onnx':
      return {
        fileName: `${base}.onnx`,
        mimeType: 'application/octet-stream',
        content: onnxBytes(prepared),
        notes,
      };
  }
}
