/**
 * When a mark on the canvas (a wire, a node's bar) takes the look of a new backward pass: at once
 * when nothing moves, otherwise when the pass reaches the mark's slot — a timer, not a per-frame
 * tween — and in step mode easing from the old look over one slot while the pulse travels.
 */
import type { FlowPass } from './gradients-state.svelte';

/**
 * Shows `next` for the mark at `slotKey` via `show`; `ease` starts the step-mode easing from
 * `before` and returns its animation. Returns the clean-up for an $effect.
 */
export function showWhenReached<Look>(
  pass: Pick<FlowPass, 'slots' | 'msPerLayer' | 'mode'>,
  slotKey: string,
  before: Look | null,
  next: Look,
  show: (look: Look) => void,
  ease: (before: Look, next: Look, ms: number) => Animation | undefined,
): (() => void) | undefined {
  const slot = pass.slots.get(slotKey);
  const ms = pass.msPerLayer;
  if (ms === 0 || slot === undefined || before === null) {
    show(next);
    return undefined;
  }
  let easing: Animation | undefined;
  const reached = setTimeout(() => {
    show(next);
    if (pass.mode === 'step') easing = ease(before, next, ms);
  }, slot * ms);
  return () => {
    clearTimeout(reached);
    easing?.cancel();
  };
}
