/**
 * Where the backward pulse travels along a wire: points on the cubic Bézier Svelte Flow draws
 * for an edge ("M sx,sy C c1x,c1y c2x,c2y tx,ty"), from the wire's target back to its source.
 * The pulse moves through them as transform keyframes, so the compositor animates it and no
 * script runs per frame; pulseWindow says when, within a pass over the DAG.
 */

import { passAnimationMs, slotCount } from './flow-encoding';

export interface PathPoint {
  x: number;
  y: number;
}

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;

/**
 * `count` points (at least 2) from the end of `path` back to its start: along the curve for
 * a single cubic segment, along the straight line between its first and last point otherwise.
 * Empty when the path has fewer than two points.
 */
export function backwardPoints(path: string, count = 12): PathPoint[] {
  const n = (path.match(NUMBER) ?? []).map(Number);
  if (n.length < 4 || n.some((v) => !Number.isFinite(v))) return [];
  const steps = Math.max(2, Math.round(count));
  const at = (k: number) => 1 - k / (steps - 1);
  if (n.length === 8 && /^\s*M[^C]*C/i.test(path)) {
    const [x0, y0, x1, y1, x2, y2, x3, y3] = n;
    return Array.from({ length: steps }, (_, k) => {
      const t = at(k);
      const u = 1 - t;
      const a = u * u * u;
      const b = 3 * u * u * t;
      const c = 3 * u * t * t;
      const d = t * t * t;
      return { x: a * x0 + b * x1 + c * x2 + d * x3, y: a * y0 + b * y1 + c * y2 + d * y3 };
    });
  }
  const [x0, y0] = n;
  const [x1, y1] = n.slice(-2);
  return Array.from({ length: steps }, (_, k) => {
    const t = at(k);
    return { x: x0 + (x1 - x0) * t, y: y0 + (y1 - y0) * t };
  });
}

/** When the pulse on one wire runs within a pass (ms from the pass's start). */
export interface PulseWindow {
  /** It leaves the wire's target as the target's slot starts ... */
  start: number;
  /** ... and takes this long to reach the source, arriving as the source's slot starts. */
  travel: number;
  /** The whole pass (passAnimationMs). */
  total: number;
}

/**
 * The pulse's window on the wire source -> target: from the target's slot to the source's. In a
 * chain that is one slot; a skip wire spans the slots of the layers it jumps over, so the pulses
 * of a branch reach the node that feeds them together. Null when the target has no slot.
 */
export function pulseWindow(
  slots: ReadonlyMap<string, number>,
  source: string,
  target: string,
  msPerLayer: number,
): PulseWindow | null {
  const slot = slots.get(target);
  if (slot === undefined) return null;
  const span = Math.max(1, (slots.get(source) ?? slot + 1) - slot);
  return {
    start: slot * msPerLayer,
    travel: span * msPerLayer,
    total: passAnimationMs(slotCount(slots), msPerLayer),
  };
}
