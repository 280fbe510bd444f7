/**
 * The one TrainingSession of the page, shared through Svelte context: the training panel drives
 * it, and other panels (gradients) read what the worker reported from the same object.
 */
import { createContext } from 'svelte';
import type { TrainingSession } from '../../state/training.svelte';

export const [getTrainingSession, setTrainingSession, hasTrainingSession] =
  createContext<TrainingSession>();
