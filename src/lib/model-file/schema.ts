/**
 * The zod schema of model file format version 2 (DESIGN.md §4): the shape of every field. Whether
 * the parts agree with each other (widths along the wires, weights against the spec) is checked
 * afterwards in consistency.ts, where the messages can name both sides. The weights block is
 * read by read-weights.ts (its keys are ids, which a schema's record would mishandle).
 */
import { z } from 'zod';
import { ACTIVATION_NAMES, INIT_NAMES, LOSS_NAMES } from '../engine/spec';
import { OPTIMIZER_NAMES, PRECISIONS } from '../engine/settings';
import { graphDocumentSchema } from '../graph/document-schema';
import { MAX_WIDTH } from '../graph/limits';
import { MODEL_FORMAT, MODEL_VERSION } from './types';

const id = z.string().min(1);
const positiveInteger = z.number().int().positive();
/** A width (features, units): the editor's limit holds in files too. */
const width = positiveInteger.max(MAX_WIDTH);
const nonNegative = z.number().min(0);
/** JSON has no NaN: a missing value is written as null and read back as NaN. */
const numberOrMissing = z
  .number()
  .nullable()
  .transform((v) => (v === null ? NaN : v));

const denseSchema = z.object({
  id,
  type: z.literal('dense'),
  inputs: z.array(id),
  inputSize: width,
  units: width,
  init: z.enum(INIT_NAMES),
});

const activationSchema = z.object({
  id,
  type: z.literal('activation'),
  inputs: z.array(id),
  fn: z.enum(ACTIVATION_NAMES),
  size: width,
  alpha: z.number().optional(),
});

/** Dropout's rate: 0 <= r < 1 (DESIGN.md §2). */
const dropoutSchema = z.object({
  id,
  type: z.literal('dropout'),
  inputs: z.array(id),
  rate: z.number().min(0).lt(1),
  size: width,
});

/** Add and Concat: two or more inputs (checked with the wires in consistency.ts). */
const mergeSchemaOf = <T extends 'add' | 'concat'>(type: T) =>
  z.object({ id, type: z.literal(type), inputs: z.array(id), size: width });

const specSchema = z.object({
  input: z.object({ id, size: width }),
  layers: z.array(
    z.discriminatedUnion('type', [
      denseSchema,
      activationSchema,
      dropoutSchema,
      mergeSchemaOf('add'),
      mergeSchemaOf('concat'),
    ]),
  ),
  loss: z.object({ id, type: z.enum(LOSS_NAMES), inputs: z.array(id) }),
});

const standardizeSchema = z.object({
  mean: z.array(z.number()),
  std: z.array(z.number().positive()),
});

const dataSchema = z.object({
  dataset: z.string(),
  features: z.array(z.string()),
  target: z.string(),
  task: z.enum(['classification', 'regression']),
  classes: z.array(z.string()),
  standardize: standardizeSchema.optional(),
});

const optimizerSchema = z.object({
  name: z.enum(OPTIMIZER_NAMES),
  learningRate: z.number().positive(),
  momentum: nonNegative.optional(),
  rho: nonNegative.optional(),
  beta1: nonNegative.optional(),
  beta2: nonNegative.optional(),
  epsilon: z.number().positive().optional(),
});

const historySchema = z.object({
  epoch: z.array(z.number().int().min(0)),
  trainLoss: z.array(numberOrMissing),
  testLoss: z.array(numberOrMissing),
  trainAccuracy: z.array(numberOrMissing).optional(),
  testAccuracy: z.array(numberOrMissing).optional(),
  trainR2: z.array(numberOrMissing).optional(),
  testR2: z.array(numberOrMissing).optional(),
});

const metricsSchema = z.object({
  trainLoss: numberOrMissing,
  testLoss: numberOrMissing,
  trainAccuracy: numberOrMissing.optional(),
  testAccuracy: numberOrMissing.optional(),
  trainR2: numberOrMissing.optional(),
  testR2: numberOrMissing.optional(),
});

const trainingSchema = z.object({
  optimizer: optimizerSchema,
  batchSize: positiveInteger,
  epochs: z.number().int().min(0),
  seed: z.number(),
  testFraction: z.number().min(0).lt(1),
  l2: nonNegative,
  l1: nonNegative,
  shuffle: z.boolean().optional(),
  standardize: z.boolean().optional(),
  precision: z.enum(PRECISIONS).optional(),
  history: historySchema.optional(),
  metrics: metricsSchema.nullable().optional(),
});

/** Weights are keyed by layer id, so read-weights.ts reads them by hand (see there). */
const weightsSchema = z.unknown();

export const modelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_VERSION),
  name: z.string(),
  graph: graphDocumentSchema,
  spec: specSchema.nullable().optional(),
  data: dataSchema.optional(),
  training: trainingSchema,
  weights: weightsSchema.nullable().optional(),
});
