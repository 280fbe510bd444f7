/**
 * Where the backward pulse travels along a wire: points on the cubic Bézier Svelte Flow draws
 * for an edge ("M sx,sy C c1x,c1y c2x,c2y tx,ty"), from the wire's target back to its source.
 * The pulse moves through them as transform keyframes, so the compositor animates it and no
 * script runs per frame.
 */

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
