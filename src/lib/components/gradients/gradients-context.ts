/**
 * The one GradientsState of the page, shared through Svelte context: the gradients panel, the
 * canvas edges and nodes read what the worker computed from it. Canvas pieces check `has` first,
 * so the editor also works on a page without training.
 */
import { createContext } from 'svelte';
import type { GradientsState } from '../../gradients/gradients-state.svelte';

export const [getGradients, setGradients, hasGradients] = createContext<GradientsState>();
