/**
 * The one GraphState of the page, shared through Svelte context: node and edge components read
 * shapes and errors from it instead of carrying them in node data (data stays plain and saved).
 */
import { createContext } from 'svelte';
import type { GraphState } from '../state/graph.svelte';

export const [getGraph, setGraph] = createContext<GraphState>();
