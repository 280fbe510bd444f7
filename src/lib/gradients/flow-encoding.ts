/**
 * How gradient magnitudes are drawn on the canvas: a log scale from a gradient norm to an edge's
 * stroke width and colour (with legend ticks), which gradient each wire shows (the ‖dC/dA‖ sent
 * back along it), and the order and timing of the backward-pass pulse over the DAG. Pure: the canvas components and the browser tests both
 * call these, so what is drawn can be checked against the worker's numbers.
 */
import { interpolatePlasma } from 'd3-scale-chromatic';
import type { LayerSpec } from '../engine/spec';
import type { StepStats } from './types';

/** Stroke width of the weakest and the strongest gradient (px at zoom 1). */
export const MIN_WIDTH = 1.5;
export const MAX_WIDTH = 9;
/** Part of the plasma ramp used: its bright yellow end has too little contrast on white. */
const RAMP_START = 0;
const RAMP_END = 0.82;
/** Colour of a gradient that is not a finite number (a diverged run). */
export const NOT_FINITE_COLOUR = 'rgb(154, 163, 173)';

/**
 * Domain of the log scale: whole powers of ten around the positive finite values, at least
 * `minDecades` wide (so layers of nearly equal gradient do not look wildly different).
 * Null when there is no positive finite value.
 */
export function flowDomain(
  values: Iterable<number>,
  minDecades = 3,
): [lo: number, hi: number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!(v > 0) || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min <= max)) return null;
  let lo = Math.floor(Math.log10(min));
  let hi = Math.ceil(Math.log10(max));
  const missing = minDecades - (hi - lo);
  if (missing > 0) {
    // Widen downwards first: there is more to see where gradients shrink.
    lo -= Math.ceil(missing / 2);
    hi += Math.floor(missing / 2);
  }
  return [10 ** Math.max(lo, -300), 10 ** Math.min(hi, 300)];
}

/**
 * Where `value` sits on the log scale, 0 (at or below the domain's low end, zero included) to 1
 * (at or above its high end). Null for NaN; +∞ counts as the top.
 */
export function flowPosition(value: number, domain: readonly [number, number]): number | null {
  if (Number.isNaN(value)) return null;
  if (value === Infinity) return 1;
  if (!(value > 0)) return 0;
  const lo = Math.log10(domain[0]);
  const hi = Math.log10(domain[1]);
  if (!(hi > lo)) return 0.5;
  return Math.min(1, Math.max(0, (Math.log10(value) - lo) / (hi - lo)));
}

/** Stroke width for a gradient magnitude: linear in log10 between MIN_WIDTH and MAX_WIDTH. */
export function flowWidth(value: number, domain: readonly [number, number]): number {
  const t = flowPosition(value, domain);
  return round2(MIN_WIDTH + (t ?? 0) * (MAX_WIDTH - MIN_WIDTH));
}

/**
 * Stroke colour for a gradient magnitude: dark blue (small) to orange (large), written
 * `rgb(r, g, b)` as the DOM and d3 transitions leave it, so drawn and expected values compare.
 */
export function flowColour(value: number, domain: readonly [number, number]): string {
  const t = flowPosition(value, domain);
  if (t === null) return NOT_FINITE_COLOUR;
  return hexToRgb(interpolatePlasma(RAMP_START + t * (RAMP_END - RAMP_START)));
}

/** `#rrggbb` as `rgb(r, g, b)`. */
function hexToRgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** Legend ticks: every power of ten in the domain, thinned to at most `maxTicks`. */
export function flowTicks(domain: readonly [number, number], maxTicks = 6): number[] {
  const lo = Math.round(Math.log10(domain[0]));
  const hi = Math.round(Math.log10(domain[1]));
  const step = Math.max(1, Math.ceil((hi - lo + 1) / maxTicks));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += step) ticks.push(10 ** e);
  return ticks;
}

/**
 * Time slot of each node in the backward pass over a DAG: the loss is 0, and a node comes one
 * slot after the last of its consumers (its dC/dA is complete only when every consumer has sent
 * its part back). Branches share slots, so the pulse splits at a fan-out and meets again at the
 * node that feeds both; in a chain the slots count back from the loss one by one.
 */
export function backwardSlots(spec: LayerSpec): Map<string, number> {
  const slots = new Map<string, number>([[spec.loss.id, 0]]);
  const consumers = new Map<string, string[]>();
  const feed = (source: string, target: string) =>
    consumers.set(source, [...(consumers.get(source) ?? []), target]);
  for (const layer of spec.layers) for (const source of layer.inputs) feed(source, layer.id);
  for (const source of spec.loss.inputs) feed(source, spec.loss.id);
  const slotAfterConsumers = (id: string) =>
    1 + Math.max(0, ...(consumers.get(id) ?? []).map((c) => slots.get(c) ?? 0));
  // Layers are in topological order, so walking them backwards meets every consumer first.
  for (const layer of [...spec.layers].reverse()) slots.set(layer.id, slotAfterConsumers(layer.id));
  slots.set(spec.input.id, slotAfterConsumers(spec.input.id));
  return slots;
}

/** How many slots a pass has (the largest slot plus one; 0 for no slots). */
export function slotCount(slots: ReadonlyMap<string, number>): number {
  return slots.size === 0 ? 0 : Math.max(...slots.values()) + 1;
}

/**
 * Node ids in the order backprop reaches them: the loss, then by backward slot (reverse
 * topological order; nodes of one slot, on parallel branches, in reverse spec order), the
 * input last.
 */
export function backwardOrder(spec: LayerSpec): string[] {
  const slots = backwardSlots(spec);
  const ids = [spec.loss.id, ...spec.layers.map((l) => l.id).reverse(), spec.input.id];
  return ids
    .map((id, index) => ({ id, index, slot: slots.get(id) ?? 0 }))
    .sort((a, b) => a.slot - b.slot || a.index - b.index)
    .map((entry) => entry.id);
}

/**
 * The dense layer whose ‖dC/dW‖ a wire shows when the update carries no per-wire gradients
 * (events from before StepStats.wireNorms). A wire into a Dense node shows that layer's. A wire
 * into any other node shows the nearest dense layer before it along first inputs: what travels
 * back along that wire is computed from that layer's dC/dZ. With no dense layer before (right
 * after the input), the nearest one after it in spec order.
 */
export function edgeGradientLayer(spec: LayerSpec, target: string): string | undefined {
  const byId = new Map(spec.layers.map((layer, index) => [layer.id, { layer, index }]));
  const isLoss = target === spec.loss.id;
  const at = isLoss ? spec.layers.length : byId.get(target)?.index;
  if (at === undefined) return undefined;
  if (spec.layers[at]?.type === 'dense') return target;
  let id = isLoss ? spec.loss.inputs[0] : spec.layers[at].inputs[0];
  for (let found = byId.get(id); found; found = byId.get(id)) {
    if (found.layer.type === 'dense') return id;
    id = found.layer.inputs[0];
  }
  return spec.layers.slice(at + 1).find((layer) => layer.type === 'dense')?.id;
}

/** What one wire shows: the gradient along it, and what that number is (for its hover text). */
export interface WireGradient {
  norm: number;
  /** 'wire': ‖dC/dA‖ sent back along this wire; 'layer': ‖dC/dW‖ of `layerId` (older events). */
  kind: 'wire' | 'layer';
  layerId?: string;
}

/** The gradient the wire source -> target shows for this update (undefined: nothing to show). */
export function wireGradient(
  spec: LayerSpec,
  stats: StepStats,
  source: string,
  target: string,
): WireGradient | undefined {
  if (stats.wireNorms) {
    const wire = stats.wireNorms.find((w) => w.source === source && w.target === target);
    return wire ? { norm: wire.norm, kind: 'wire' } : undefined;
  }
  const layerId = edgeGradientLayer(spec, target);
  const layer = layerId ? stats.dense.find((l) => l.id === layerId) : undefined;
  return layer ? { norm: layer.gradWNorm, kind: 'layer', layerId } : undefined;
}

/** Per-layer time of the pulse: slow enough to follow in step mode, brisk while training. */
export function pulseMsPerLayer(mode: 'step' | 'training', nodeCount: number): number {
  if (mode === 'step') return STEP_MS_PER_LAYER;
  return Math.max(60, Math.min(200, TRAINING_PASS_MS / Math.max(1, nodeCount - 1)));
}
/**
 * How long every animation of one pass lasts (pulses and flashes alike): the pass's slots, and
 * half a slot for the last flash to fade. They all start together and end together, each lit
 * only during its own slot: animations that start or end at staggered times each cost the page
 * a few frames of its own, even when the compositor plays them.
 */
export function passAnimationMs(slotCount: number, msPerLayer: number): number {
  return (slotCount + 0.5) * msPerLayer;
}

/** One layer per ~0.4 s: a learner can follow the gradient from node to node. */
export const STEP_MS_PER_LAYER = 400;
/** A whole backward pass while training, so passes follow the throttled updates. */
export const TRAINING_PASS_MS = 900;

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
