/**
 * "Export as" (DESIGN §7): the model file the page exports, turned into a PyTorch, ONNX or NumPy
 * file by src/lib/export. A model never trained is exported as a design without weights, so the
 * exporter draws its initializer's weights from the seed and its notes say so.
 */
import { readModelFile, type ModelFile } from '../model-file/index';
import { exportAs, exportModel, type ExportedFile, type ExportFormat } from '../export/index';

/** The menu's items, in order, with the words DESIGN §7 gives them. */
export const EXPORT_AS_ITEMS: readonly { format: ExportFormat; label: string }[] = [
  { format: 'pytorch', label: 'PyTorch (.py)' },
  { format: 'onnx', label: 'ONNX (.onnx)' },
  { format: 'numpy', label: 'NumPy (.py)' },
];

export type ExportAsResult = { ok: true; file: ExportedFile } | { ok: false; error: string };

/**
 * Whether `model` holds exactly its initializer's weights and no history: then it was never
 * trained, and saying "trained weights" would be wrong. Measured by drawing them from the seed.
 */
export function isUntrained(model: ModelFile): boolean {
  if (!model.weights) return true;
  if ((model.training.history?.epoch.length ?? 0) > 0) return false;
  try {
    const drawn = exportModel({ ...model, weights: null }).weights;
    return JSON.stringify(drawn) === JSON.stringify(model.weights);
  } catch {
    return false;
  }
}

/** The exported file of a model file's text in `format`, or the reason it cannot be made. */
export function exportModelTextAs(text: string, format: ExportFormat): ExportAsResult {
  const read = readModelFile(text);
  if (!read.ok) return { ok: false, error: read.error };
  const model = isUntrained(read.model) ? { ...read.model, weights: null } : read.model;
  try {
    return { ok: true, file: exportAs(model, format) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
