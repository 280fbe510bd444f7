/**
 * The page's one Workbench and its TrainingState, shared through Svelte context: the training
 * panel reads and drives the workbench, and other panels (gradients) read what the worker
 * reported from the same TrainingState.
 */
import { createContext } from 'svelte';
import type { TrainingState } from '../../state/training.svelte';
import type { Workbench } from '../../state/workbench.svelte';

export const [getWorkbench, setWorkbench] = createContext<Workbench>();
export const [getTrainingState, setTrainingState] = createContext<TrainingState>();
