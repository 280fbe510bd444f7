/**
 * The training panel's choices kept in localStorage (the built-in dataset and the settings), so
 * a reload finds the graph (autosaved by the graph state) with the data and settings it was
 * built for. What is stored is checked before use (resolveSettings); anything unusable is ignored.
 */
import { z } from 'zod';
import {
  DEFAULT_TRAINING,
  OPTIMIZER_NAMES,
  resolveSettings,
  type TrainingSettings,
} from '../engine/settings';
import { BUILTIN_DATASET_NAMES, type BuiltinDatasetName } from '../data/index';
import { replacingPatch } from './settings-patch';

export const TRAINING_PREFS_KEY = 'backprop-studio.training.v1';

export interface TrainingPrefs {
  dataset: BuiltinDatasetName;
  settings: TrainingSettings;
}

const prefsSchema = z.object({
  dataset: z.enum(BUILTIN_DATASET_NAMES),
  settings: z.object({
    optimizer: z.object({
      name: z.enum(OPTIMIZER_NAMES),
      learningRate: z.number(),
      momentum: z.number().optional(),
      rho: z.number().optional(),
      beta1: z.number().optional(),
      beta2: z.number().optional(),
      epsilon: z.number().positive().optional(),
    }),
    batchSize: z.number(),
    epochs: z.number(),
    seed: z.number(),
    testFraction: z.number(),
    l2: z.number(),
    l1: z.number(),
    shuffle: z.boolean(),
    standardize: z.boolean(),
  }),
});

/** The stored choices, or null when there are none or they cannot be used. */
export function loadTrainingPrefs(storage: Storage | null): TrainingPrefs | null {
  try {
    const text = storage?.getItem(TRAINING_PREFS_KEY);
    if (!text) return null;
    const parsed = prefsSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return null;
    // Checked as any change of settings is (the same ranges as the form and the worker).
    const checked = resolveSettings(DEFAULT_TRAINING, replacingPatch(parsed.data.settings));
    return checked.ok ? { dataset: parsed.data.dataset, settings: checked.settings } : null;
  } catch {
    return null;
  }
}

/** Keep the choices (quietly: a full or blocked storage only costs the convenience). */
export function saveTrainingPrefs(storage: Storage | null, prefs: TrainingPrefs): void {
  try {
    storage?.setItem(TRAINING_PREFS_KEY, JSON.stringify(prefs));
  } catch {
    /* storage full or disabled: nothing is lost but the convenience of the next reload */
  }
}

/** localStorage when the page has one. */
export function pageStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
