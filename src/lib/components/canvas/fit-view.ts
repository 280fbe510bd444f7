/**
 * How the view frames the graph so the canvas overlays never sit on a node: the zoom controls
 * (bottom-left), the mini map (bottom-right, shown only on a roomy canvas) and the gradient legend
 * (top-right, once there are gradients). Fitting leaves a margin where each overlay is.
 */
import type { FitViewOptions } from '@xyflow/svelte';

/** The mini map's size, and the smallest canvas it is shown on (below, it would crowd nodes). */
export const MINIMAP_SIZE = { width: 160, height: 110 } as const;
export const MINIMAP_MIN_CANVAS = { width: 900, height: 520 } as const;
/** Room the overlays take, measured from the canvas edge (their size plus their margin). */
const CONTROLS_ROOM = 64;
const MINIMAP_ROOM = MINIMAP_SIZE.height + 15 + 16;
const LEGEND_ROOM = 96;
const EDGE_ROOM = 32;

/** Whether the mini map has room on a canvas of this size (in screen pixels). */
export function showsMinimap(width: number, height: number): boolean {
  return width >= MINIMAP_MIN_CANVAS.width && height >= MINIMAP_MIN_CANVAS.height;
}

/** Fit-view options that keep the graph clear of the overlays that are on screen. */
export function fitViewOptions(overlays: { minimap: boolean; legend: boolean }): FitViewOptions {
  return {
    padding: {
      top: `${overlays.legend ? LEGEND_ROOM : EDGE_ROOM + 8}px`,
      right: `${EDGE_ROOM}px`,
      bottom: `${overlays.minimap ? MINIMAP_ROOM : EDGE_ROOM}px`,
      left: `${CONTROLS_ROOM}px`,
    },
    maxZoom: 1.2,
  };
}
