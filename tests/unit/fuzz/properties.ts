/**
 * The fuzz properties of DESIGN.md §6, one per reader of outside input: on mutated valid files and
 * hostile ones, the reader returns a result or a list of problems and never throws. Shared by the
 * unit tests (a few thousand cases each) and `npm run fuzz -- --runs N` (tests/fuzz-run.ts).
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { DataError } from '../../../src/lib/data/errors';
import { parseCsv } from '../../../src/lib/data/index';
import { compileGraph } from '../../../src/lib/graph/compile';
import { createTemplateDocument, TEMPLATE_IDS } from '../../../src/lib/graph/templates';
import {
  MAX_LISTED_PROBLEMS,
  readModelFile,
  untrainedModelFile,
  writeModelFile,
  type ModelFile,
} from '../../../src/lib/model-file/index';
import { AUTOSAVE_KEY, restoreGraph } from '../../../src/lib/state/autosave';
import { readGraphFile } from '../../../src/lib/state/graph-file';
import { irisModel } from '../model-file/fixtures';
import { MemoryStorage } from '../state/memory-storage';
import { mutatedJsonText, mutateText, textMutation } from './mutations';

/** Valid model files to mutate: a trained one, a design, a design whose graph does not compile. */
function validModels(): ModelFile[] {
  const trained = irisModel();
  const design = irisModel();
  delete design.weights;
  const broken = irisModel();
  delete broken.weights;
  broken.spec = null;
  broken.graph.edges.pop();
  const templates = TEMPLATE_IDS.map((id) => {
    const document = createTemplateDocument(id);
    return untrainedModelFile({ name: id, document, spec: compileGraph(document).spec });
  });
  return [trained, design, broken, ...templates];
}

/** A version 1 file as the previous release wrote it: mutations reach the migration too. */
const VERSION_1_JSON = JSON.parse(
  readFileSync(new URL('../model-file/fixtures/v1-iris.model.json', import.meta.url), 'utf8'),
) as unknown;

/** The model file texts as written (JSON.parse'd back, so mutations see plain JSON). */
const MODEL_JSON = [
  ...validModels().map((m) => JSON.parse(writeModelFile(m)) as unknown),
  VERSION_1_JSON,
];
const GRAPH_JSON = validModels().map((m) => ({ version: 1, document: m.graph }));

/** A reader's answer is fine when it is a result or problems, each problem short, few of them. */
function checkProblems(issues: readonly string[]): void {
  if (issues.length === 0) throw new Error('a refusal without a reason');
  if (issues.length > MAX_LISTED_PROBLEMS + 1) throw new Error(`${issues.length} problems listed`);
  for (const issue of issues)
    if (issue.length > 2000) throw new Error(`a problem ${issue.length} characters long`);
}

export const modelFileProperty = () =>
  fc.property(mutatedJsonText(MODEL_JSON), (text) => {
    const read = readModelFile(text);
    if (read.ok) {
      // What was read can be written (and read back) again: nothing is lost on the way.
      const again = readModelFile(writeModelFile(read.model));
      if (!again.ok) throw new Error(`read, then written, it is refused: ${again.error}`);
    } else checkProblems(read.issues);
  });

export const graphFileProperty = () =>
  fc.property(mutatedJsonText(MODEL_JSON), (text) => {
    const read = readGraphFile(text);
    if (read.ok) {
      if (!Array.isArray(read.document.nodes)) throw new Error('no node list');
      compileGraph(read.document);
    } else checkProblems(read.error.split('\n'));
  });

export const autosaveProperty = () =>
  fc.property(mutatedJsonText(GRAPH_JSON), (text) => {
    const storage = new MemoryStorage();
    storage.setItem(AUTOSAVE_KEY, text);
    const restored = restoreGraph(storage);
    if (restored.status === 'restored') compileGraph(restored.document);
    else if (restored.status === 'corrupt') checkProblems(restored.message.split('\n'));
    else throw new Error(`unexpected status ${restored.status}`);
  });

const IRIS_HEAD = [
  'sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,class',
  '5.1,3.5,1.4,0.2,setosa',
  '7,3.2,4.7,1.4,versicolor',
  '6.3,3.3,6,2.5,virginica',
  '"5,9",3,"5.1",1.8,"vir""ginica"',
].join('\n');

const csvText = fc.oneof(
  fc.array(textMutation, { minLength: 1, maxLength: 4 }).map((ms) => mutateText(IRIS_HEAD, ms)),
  fc
    .array(
      fc.array(
        fc.oneof(
          fc.string({ maxLength: 5 }),
          fc.constantFrom('"', '""', ',', '\r\n', '\n', '__proto__', 'constructor'),
        ),
        {
          maxLength: 6,
        },
      ),
      { maxLength: 6 },
    )
    .map((rows) => rows.map((r) => r.join(',')).join('\n')),
  fc.string({ maxLength: 60 }),
);

export const csvProperty = () =>
  fc.property(csvText, (text) => {
    try {
      const table = parseCsv(text, { name: 'fuzz.csv' });
      if (!Array.isArray(table.columns) || !Array.isArray(table.rows))
        throw new Error('a table without columns or rows');
    } catch (error) {
      // A DataError is the CSV reader's way of giving its problem (with line and column).
      if (!(error instanceof DataError)) throw error;
    }
  });

export const READER_PROPERTIES = [
  { name: 'model file (readModelFile)', property: modelFileProperty },
  { name: 'graph file (readGraphFile)', property: graphFileProperty },
  { name: 'autosave (restoreGraph)', property: autosaveProperty },
  { name: 'CSV (parseCsv)', property: csvProperty },
] as const;
