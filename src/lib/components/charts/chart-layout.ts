/** Plot-area geometry shared by the charts: an outer box minus margins for axes and titles. */

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Margin that fits a bottom axis with a title and a left axis with a rotated title. */
export const AXES_MARGIN: Margin = { top: 12, right: 18, bottom: 46, left: 62 };

/** Width and height of the plot area; never negative, so a not-yet-measured chart draws nothing. */
export function innerSize(
  width: number,
  height: number,
  margin: Margin,
): { width: number; height: number } {
  return {
    width: Math.max(0, width - margin.left - margin.right),
    height: Math.max(0, height - margin.top - margin.bottom),
  };
}

/**
 * Left margin wide enough for the longest tick label (about `charWidth` px per character at
 * 12 px) plus the rotated axis title. Keeps long labels like "0.0001" or class names unclipped.
 */
export function leftMarginFor(labels: readonly string[], charWidth = 7, minimum = 48): number {
  const longest = labels.reduce((n, s) => Math.max(n, s.length), 0);
  return Math.max(minimum, Math.ceil(longest * charWidth) + 32);
}

/**
 * Farthest a drawn coordinate may lie outside the plot (px). A diverging run gives values like
 * -1e158 that scale to coordinates SVG cannot parse; clamped, they still run off the clipped
 * plot in the same direction.
 */
export const MAX_OFFSCREEN_PX = 1e5;

export function clampPixel(px: number): number {
  return Math.max(-MAX_OFFSCREEN_PX, Math.min(MAX_OFFSCREEN_PX, px));
}
