/** The model file format (DESIGN.md §4): types, read, write, migrations. DOM-free. */
export * from './types';
export { modelFileSchema } from './schema';
export { readModelFile, parseModelFile } from './read';
export { writeModelFile, formatJson } from './write';
export { checkModelConsistency, dataFitProblems } from './consistency';
export { specGraphProblems, compileContextOf } from './graph-agreement';
export { MAX_LISTED_PROBLEMS, capProblems } from './read';
export { MIGRATIONS, migrateToCurrent, type Migration, type MigrationResult } from './migrations';
export {
  trainingBlock,
  settingsFromTraining,
  compactHistory,
  untrainedModelFile,
  type UntrainedModelContent,
} from './build';
export { formatPath, issueAt } from './issues';
