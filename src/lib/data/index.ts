/**
 * The data pipeline's public API (browser-safe). The Node-only loader is in load-node.ts:
 * import { loadBuiltinDatasetNode } from '.../lib/data/load-node'.
 */
export type { Dataset, FixedSplit, ImageShape, PreparedData, Standardization, Task } from './types';
export { DataError, type DataErrorLocation } from './errors';
export { parseCsv, type CsvTable, type ParseCsvOptions } from './csv';
export {
  tableToDataset,
  readFeatures,
  readTarget,
  detectTask,
  type TargetCells,
  MAX_INTEGER_CLASSES,
  MAX_CLASS_FRACTION,
  type TableToDatasetOptions,
} from './dataset-from-table';
export { parseNumberCell, cellNumberOrNaN } from './numbers';
export {
  csvToDataset,
  COLUMN_KINDS,
  MAX_AUTO_CATEGORIES,
  type ColumnKind,
  type CsvColumn,
  type CsvDataset,
  type CsvToDatasetOptions,
} from './csv-dataset';
export { detectDelimiter, DELIMITERS, DELIMITER_NAMES, type Delimiter } from './delimiter';
export { forEachRecord, type CsvRecord, type OnRecord } from './csv-records';
export {
  generateSynthetic,
  runge,
  SYNTHETIC_KINDS,
  SYNTHETIC_DEFAULTS,
  DEFAULT_SYNTHETIC_SEED,
  CIRCLE_RADII,
  SPIRAL_TURNS,
  BLOB_CENTRES,
  type SyntheticKind,
  type SyntheticOptions,
} from './synthetic';
export {
  splitIndices,
  splitDataset,
  subsetDataset,
  selectRows,
  checkTestFraction,
  type SplitOptions,
  type SplitIndices,
} from './split';
export { fitStandardization, applyStandardization, standardizeFeatures } from './standardize';
export {
  decodeIdx,
  decodeIdxImages,
  decodeIdxLabels,
  decodeIdxPair,
  type IdxArray,
  type IdxImages,
  type IdxLabels,
} from './idx';
export { gunzipWithStreams, isGzip, type Gunzip } from './gunzip';
export {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_FILES,
  FASHION_MNIST_SPLIT,
  fashionMnistFromParts,
  loadFashionMnist,
  pixelFeatureNames,
  type ReadDatasetBytes,
} from './fashion-mnist';
export { oneHot, column, encodeTargets, targetWidth } from './encode';
export { prepareData, type PrepareOptions } from './prepare';
export {
  BUILTIN_DATASETS,
  BUILTIN_DATASET_NAMES,
  isBuiltinDatasetName,
  builtinDatasetInfo,
  loadBuiltinDataset,
  fetchDatasetText,
  fetchDatasetBytes,
  type BinaryReaders,
  type IdxDatasetInfo,
  type BuiltinDatasetName,
  type BuiltinDatasetInfo,
  type CsvDatasetInfo,
  type SyntheticDatasetInfo,
  type ReadDatasetText,
} from './builtin';
