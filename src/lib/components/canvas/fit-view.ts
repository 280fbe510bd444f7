/**
 * How the view frames the graph so the canvas overlays never sit on a node: the zoom controls
 * (bottom-left), the mini map (bottom-right, shown only on a roomy canvas) and the gradient legend
 * (top-right, once there are gradients). Fitting leaves a margin where each overlay is.
 */
import type { FitViewOptions, Rect, Viewport } from '@xyflow/svelte';

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

/** The largest zoom a fit uses. */
const FIT_MAX_ZOOM = 1.2;
/**
 * The smallest zoom at which a graph's shape and node titles can still be made out (a 13 px title
 * is about 5 px): Tidy up never frames a long graph smaller (a fit of 26 nodes in a row would be
 * the canvas's minimum, 0.2); the user scrolls along it instead. An 8-node chain still fits whole.
 */
export const READABLE_ZOOM = 0.35;

interface Room {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** The margin (screen pixels) a fit leaves at each canvas edge for the overlays there. */
function overlayRoom(overlays: { minimap: boolean; legend: boolean }): Room {
  return {
    top: overlays.legend ? LEGEND_ROOM : EDGE_ROOM + 8,
    right: EDGE_ROOM,
    bottom: overlays.minimap ? MINIMAP_ROOM : EDGE_ROOM,
    left: CONTROLS_ROOM,
  };
}

/** Fit-view options that keep the graph clear of the overlays that are on screen. */
export function fitViewOptions(overlays: { minimap: boolean; legend: boolean }): FitViewOptions {
  const room = overlayRoom(overlays);
  return {
    padding: {
      top: `${room.top}px`,
      right: `${room.right}px`,
      bottom: `${room.bottom}px`,
      left: `${room.left}px`,
    },
    maxZoom: FIT_MAX_ZOOM,
  };
}

/**
 * The view for a graph whose fit would be smaller than READABLE_ZOOM: at that zoom, its left end
 * (where the Input is after Tidy up) at the left margin, centred vertically when it fits. Null
 * when an ordinary fit is readable. `bounds` in flow coordinates, `canvas` in screen pixels.
 */
export function readableStart(
  bounds: Rect,
  canvas: { width: number; height: number },
  overlays: { minimap: boolean; legend: boolean },
): Viewport | null {
  const room = overlayRoom(overlays);
  const width = canvas.width - room.left - room.right;
  const height = canvas.height - room.top - room.bottom;
  if (bounds.width <= 0 || bounds.height <= 0 || width <= 0 || height <= 0) return null;
  const fit = Math.min(width / bounds.width, height / bounds.height, FIT_MAX_ZOOM);
  if (fit >= READABLE_ZOOM) return null;
  const zoom = READABLE_ZOOM;
  const spare = height - bounds.height * zoom;
  return {
    x: room.left - bounds.x * zoom,
    y: room.top + Math.max(0, spare / 2) - bounds.y * zoom,
    zoom,
  };
}

/**
 * The view moved just enough that `box` (flow coordinates) is inside the canvas with `margin`
 * pixels to spare (its top-left corner first when it is larger); null when it already is.
 */
export function viewShowing(
  box: Rect,
  view: Viewport,
  canvas: { width: number; height: number },
  margin = 16,
): Viewport | null {
  const shift = (start: number, size: number, extent: number) => {
    const end = start + size;
    if (start < margin || size > extent - 2 * margin) return margin - start;
    if (end > extent - margin) return extent - margin - end;
    return 0;
  };
  const dx = shift(box.x * view.zoom + view.x, box.width * view.zoom, canvas.width);
  const dy = shift(box.y * view.zoom + view.y, box.height * view.zoom, canvas.height);
  if (dx === 0 && dy === 0) return null;
  return { x: view.x + dx, y: view.y + dy, zoom: view.zoom };
}
