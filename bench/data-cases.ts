/**
 * One case of the data benchmark, run inside its own process (see data.ts): read the CSV text one
 * way, and report wall time, peak memory and a checksum (the sum of every number read), so the
 * cases can be seen to read the same numbers.
 */
import { parseCsv } from '../src/lib/data/csv';
import { csvToDataset } from '../src/lib/data/csv-dataset';
import { forEachRecord } from '../src/lib/data/csv-records';
import { prepareData } from '../src/lib/data/prepare';
import { tableToDataset } from '../src/lib/data/dataset-from-table';
import { cellNumberOrNaN } from '../src/lib/data/numbers';
import type { LayerSpec } from '../src/lib/engine/spec';
import { checkTrainingData } from '../src/lib/engine/training-data';
import { csvUploadToDataset } from '../src/lib/worker/dataset-store';
import { STREAM_PARSERS } from './data-parsers';

export interface DataCaseResult {
  caseName: string;
  /** Best of the rounds: wall time, and CPU time (user + system) of this process. */
  seconds: number;
  cpuSeconds: number;
  rounds: number;
  peakRssMB: number;
  aboveTextMB: number;
  checksum: string;
}

type DataCase = (text: string) => number;

function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

/** Every cell of a numeric CSV (header skipped) into one row-major Float64Array. */
function streamIntoMatrix(parserName: string): DataCase {
  const parse = STREAM_PARSERS[parserName];
  return (text) => {
    let cols = 0;
    let rows = 0;
    let data = new Float64Array(0);
    let header = true;
    parse(text, ',', (cells) => {
      if (header) {
        header = false;
        cols = cells.length;
        data = new Float64Array(1024 * cols);
        return;
      }
      if (cells.length === 1 && cells[0] === '') return;
      if ((rows + 1) * cols > data.length) {
        const grown = new Float64Array(data.length * 2);
        grown.set(data);
        data = grown;
      }
      const base = rows * cols;
      for (let j = 0; j < cols; j++) data[base + j] = cellNumberOrNaN(cells[j]);
      rows++;
    });
    return sum(data.subarray(0, rows * cols));
  };
}

/** The app's hand-written scanner (csv-records.ts), streaming like the parsers above. */
const scanIntoMatrix: DataCase = (text) => {
  let cols = 0;
  let rows = 0;
  let data = new Float64Array(0);
  forEachRecord(text, ',', (record, line) => {
    if (line === 1) {
      cols = record.length;
      data = new Float64Array(1024 * cols);
      return;
    }
    if (record.length === 1 && record.text(0) === '') return;
    if ((rows + 1) * cols > data.length) {
      const grown = new Float64Array(data.length * 2);
      grown.set(data);
      data = grown;
    }
    const base = rows * cols;
    for (let j = 0; j < cols; j++) data[base + j] = record.number(j);
    rows++;
  });
  return sum(data.subarray(0, rows * cols));
};

/** The smallest network the data fits (input -> dense -> softmax), for the trainer's data check. */
function softmaxSpec(inputs: number, classes: number): LayerSpec {
  return {
    input: { id: 'in', size: inputs },
    layers: [
      { id: 'd1', type: 'dense', inputs: ['in'], inputSize: inputs, units: classes, init: 'auto' },
      { id: 'a2', type: 'activation', inputs: ['d1'], fn: 'softmax', size: classes },
    ],
    loss: { id: 'loss', type: 'cross_entropy', inputs: ['a2'] },
  };
}

/**
 * Read, then split, standardize, one-hot, and the check every trainer runs on its data before the
 * first step (every value as the engine will read it must be finite). `inPlace`: the CLI's train,
 * which reads the dataset once and splits it in its own buffer; otherwise the app's worker, which
 * reads an upload as its upload panel asks (csvUploadToDataset), keeps the dataset (to split it
 * again with other settings) and prepares as buildTraining does: the splits are row views of the
 * kept dataset, standardized as they are read, so the check is where every standardized value is
 * first computed.
 */
function ingest(inPlace: boolean): DataCase {
  return (text) => {
    const { dataset } = inPlace
      ? csvToDataset(text, { name: 'bench', fileName: 'bench.csv' })
      : csvUploadToDataset(text, 'bench.csv', { target: 'label' });
    const X = dataset.X;
    const sumOfRead = sum(X.data) + sum(dataset.y);
    const rows = X.rows;
    const options = { testFraction: 0.2, seed: 1, standardize: true };
    const data = inPlace
      ? prepareData(dataset, { ...options, inPlace }, 'cross_entropy')
      : prepareData(dataset, options, 'cross_entropy');
    if (data.xTrain.rows + data.xTest.rows !== rows) throw new Error('rows lost');
    checkTrainingData(softmaxSpec(X.cols, dataset.classes.length), data);
    return sumOfRead;
  };
}

export const DATA_CASES: Record<string, DataCase> = {
  'today (d3-dsv table + tableToDataset)': (text) => {
    const dataset = tableToDataset(parseCsv(text), { name: 'bench' });
    return sum(dataset.X.data) + sum(dataset.y);
  },
  'd3-dsv, streaming': streamIntoMatrix('d3-dsv'),
  'papaparse, streaming': streamIntoMatrix('papaparse'),
  'udsv, streaming': streamIntoMatrix('udsv'),
  'hand-written scanner (csv-records.ts), streaming': scanIntoMatrix,
  'ingest, CLI: csvToDataset + prepareData in place': ingest(true),
  'ingest, worker: upload read + prepareData (row views), dataset kept': ingest(false),
};

/**
 * Run a case `rounds` times (garbage collected in between, so the peak is one round's) and keep
 * the best times: on a shared machine the best round is the one least disturbed by others.
 */
export async function runDataCase(
  caseName: string,
  text: string,
  rounds: number,
): Promise<DataCaseResult> {
  const run = DATA_CASES[caseName];
  if (!run) throw new Error(`No data case "${caseName}".`);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run with --expose-gc.');
  gc();
  const before = process.memoryUsage().rss;
  let seconds = Infinity;
  let cpuSeconds = Infinity;
  let checksum = NaN;
  let peak = 0;
  for (let round = 0; round < rounds; round++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    checksum = run(text);
    seconds = Math.min(seconds, (performance.now() - start) / 1000);
    const cpu = process.cpuUsage(cpuStart);
    cpuSeconds = Math.min(cpuSeconds, (cpu.user + cpu.system) / 1e6);
    // Later rounds may reach higher (freed pages are not always given back): one round's peak.
    if (round === 0) peak = process.resourceUsage().maxRSS * 1024;
    gc();
  }
  return {
    caseName,
    seconds,
    cpuSeconds,
    rounds,
    peakRssMB: peak / 1e6,
    aboveTextMB: (peak - before) / 1e6,
    checksum: checksum.toPrecision(12),
  };
}
