/**
 * The page's one BackpropInspector: made by the inspector panel from the page's training state
 * (through the gradients context), so the mistake chosen stays while nodes and tabs change.
 * Null on a page without training (the editor alone).
 */
import { BackpropInspector } from '../../state/backprop-inspector.svelte';
import { getGradients, hasGradients } from '../gradients/gradients-context';

export function createBackpropInspector(): BackpropInspector | null {
  return hasGradients() ? new BackpropInspector(getGradients().training) : null;
}
