/**
 * Plain-words diagnoses of a training run's gradients: vanishing, exploding, dead ReLU units,
 * saturated sigmoid/tanh units. Pure functions of the statistics the worker computed: nothing
 * here looks at weights or data, so every warning can be traced to numbers on the screen.
 */
import type { ActivationName } from '../engine/spec';
import type { ActivationStats, DenseGradientStats, GradientUpdate } from './types';

export type DiagnosticKind = 'vanishing' | 'exploding' | 'dead_relu' | 'saturated';
export type DiagnosticSeverity = 'warning' | 'error';

export interface Diagnostic {
  kind: DiagnosticKind;
  severity: DiagnosticSeverity;
  /** The layers (node ids) it is about; the first one is where the badge goes. */
  nodeIds: string[];
  /** What is happening and why, in words a newcomer understands. */
  message: string;
  /** What to try. */
  suggestion: string;
}

export interface DiagnosticThresholds {
  /** Vanishing: first dense layer's ‖dC/dW‖ below this × the last dense layer's ... */
  vanishingRatio: number;
  /** ... on this many consecutive updates. */
  vanishingUpdates: number;
  /** Exploding: any ‖dC/dW‖ or ‖dC/db‖ above this. */
  explodingNorm: number;
  /** Exploding: a layer's typical ‖dC/dW‖ grows at least this factor from one epoch to the next ... */
  explodingGrowth: number;
  /** ... and ends at or above this (growing from 1e-6 to 1e-5 is recovery, not an explosion). */
  explodingGrowthMinNorm: number;
  /** Dead ReLU: share of units that output zero for the whole batch above this. */
  deadFraction: number;
  /** Saturated sigmoid/tanh: share of units in the flat tails above this. */
  saturatedFraction: number;
}

export const DEFAULT_THRESHOLDS: DiagnosticThresholds = {
  vanishingRatio: 1e-3,
  vanishingUpdates: 5,
  explodingNorm: 1e3,
  explodingGrowth: 10,
  explodingGrowthMinNorm: 1,
  deadFraction: 0.5,
  saturatedFraction: 0.5,
};

/** Typical ‖dC/dW‖ of every dense layer over one epoch (geometric mean of its updates). */
export interface EpochGradientNorms {
  epoch: number;
  /** Sum of log10 ‖dC/dW‖ per layer id over the epoch's updates with a positive finite norm. */
  log10Sum: Record<string, number>;
  /** How many such updates per layer id. */
  count: Record<string, number>;
}

/**
 * The epoch summaries with `update` added (a new array; earlier entries are reused, the last one
 * is copied when it changes). Updates must arrive in order; a lower epoch number starts over,
 * as after a reset.
 */
export function addToEpochNorms(
  epochs: readonly EpochGradientNorms[],
  update: GradientUpdate,
  keep = 50,
): EpochGradientNorms[] {
  const last = epochs[epochs.length - 1];
  const restart = last !== undefined && update.epoch < last.epoch;
  const base = restart ? [] : epochs.slice(Math.max(0, epochs.length - keep + 1));
  const current =
    !restart && last?.epoch === update.epoch
      ? { epoch: last.epoch, log10Sum: { ...last.log10Sum }, count: { ...last.count } }
      : { epoch: update.epoch, log10Sum: {}, count: {} };
  for (const layer of update.dense) {
    if (!(layer.gradNormW > 0) || !Number.isFinite(layer.gradNormW)) continue;
    current.log10Sum[layer.id] = (current.log10Sum[layer.id] ?? 0) + Math.log10(layer.gradNormW);
    current.count[layer.id] = (current.count[layer.id] ?? 0) + 1;
  }
  if (base[base.length - 1]?.epoch === update.epoch) base[base.length - 1] = current;
  else base.push(current);
  return base;
}

/** Geometric-mean ‖dC/dW‖ of `id` over an epoch, or undefined when the epoch has none. */
export function epochNorm(epoch: EpochGradientNorms, id: string): number | undefined {
  const n = epoch.count[id];
  return n ? 10 ** (epoch.log10Sum[id] / n) : undefined;
}

/** What the diagnoses read. */
export interface DiagnosisInput {
  /** Recent updates, oldest first (at least `vanishingUpdates` of them for that check). */
  updates: readonly GradientUpdate[];
  /** Per-epoch summaries (from addToEpochNorms), oldest first. */
  epochs?: readonly EpochGradientNorms[];
  /** Human name of a layer by node id, e.g. "Dense n2" or "Sigmoid n3". */
  nameOf?: (id: string) => string;
}

export function diagnose(
  input: DiagnosisInput,
  thresholds: DiagnosticThresholds = DEFAULT_THRESHOLDS,
): Diagnostic[] {
  const nameOf = input.nameOf ?? ((id: string) => id);
  const latest = input.updates[input.updates.length - 1];
  if (!latest) return [];
  const exploding = explodingNow(latest, nameOf, thresholds);
  return [
    ...exploding,
    // Growth is only news while the norms are not already over the line.
    ...(exploding.length === 0 ? explodingGrowth(input, nameOf, thresholds) : []),
    ...vanishing(input.updates, nameOf, thresholds),
    ...latest.activations.flatMap((layer) => deadRelu(layer, nameOf, thresholds)),
    ...latest.activations.flatMap((layer) => saturated(layer, nameOf, thresholds)),
  ];
}

const EXPLODING_SUGGESTION =
  'Lower the learning rate (try 10× smaller), or start from Xavier or He initialisation instead of Normal.';

function explodingNow(
  update: GradientUpdate,
  nameOf: (id: string) => string,
  t: DiagnosticThresholds,
): Diagnostic[] {
  const notFinite = update.dense.filter(
    (l) => !Number.isFinite(l.gradNormW) || !Number.isFinite(l.gradNormB),
  );
  if (notFinite.length > 0) {
    return [
      {
        kind: 'exploding',
        severity: 'error',
        nodeIds: notFinite.map((l) => l.id),
        message: `The gradients of ${listNames(notFinite, nameOf)} are no longer finite numbers (NaN or ∞): training has diverged.`,
        suggestion: EXPLODING_SUGGESTION,
      },
    ];
  }
  const tooLarge = update.dense.filter(
    (l) => l.gradNormW > t.explodingNorm || l.gradNormB > t.explodingNorm,
  );
  if (tooLarge.length === 0) return [];
  const largest = tooLarge.reduce((a, b) =>
    Math.max(b.gradNormW, b.gradNormB) > Math.max(a.gradNormW, a.gradNormB) ? b : a,
  );
  return [
    {
      kind: 'exploding',
      severity: 'error',
      nodeIds: tooLarge.map((l) => l.id),
      message:
        `Gradients are exploding: ${nameOf(largest.id)} has a gradient norm of ` +
        `${formatNumber(Math.max(largest.gradNormW, largest.gradNormB))} ` +
        `(above ${formatNumber(t.explodingNorm)}), so each update throws the weights far off.`,
      suggestion: EXPLODING_SUGGESTION,
    },
  ];
}

function explodingGrowth(
  input: DiagnosisInput,
  nameOf: (id: string) => string,
  t: DiagnosticThresholds,
): Diagnostic[] {
  const latest = input.updates[input.updates.length - 1];
  // Only whole epochs compare fairly: the epoch still running has seen few batches.
  const complete = (input.epochs ?? []).filter((e) => e.epoch < latest.epoch);
  if (complete.length < 2) return [];
  const [before, after] = complete.slice(-2);
  const grown = latest.dense.flatMap((layer) => {
    const a = epochNorm(before, layer.id);
    const b = epochNorm(after, layer.id);
    if (a === undefined || b === undefined) return [];
    const factor = b / a;
    return factor >= t.explodingGrowth && b >= t.explodingGrowthMinNorm
      ? [{ id: layer.id, factor }]
      : [];
  });
  if (grown.length === 0) return [];
  const worst = grown.reduce((x, y) => (y.factor > x.factor ? y : x));
  return [
    {
      kind: 'exploding',
      severity: 'warning',
      nodeIds: grown.map((g) => g.id),
      message:
        `Gradients are growing fast: the gradient norm of ${nameOf(worst.id)} grew ` +
        `${formatFactor(worst.factor)} from epoch ${before.epoch} to epoch ${after.epoch}; ` +
        'at this pace training will diverge.',
      suggestion: 'Lower the learning rate, or add L2 regularisation to keep the weights small.',
    },
  ];
}

function vanishing(
  updates: readonly GradientUpdate[],
  nameOf: (id: string) => string,
  t: DiagnosticThresholds,
): Diagnostic[] {
  const recent = updates.slice(-t.vanishingUpdates);
  if (recent.length < t.vanishingUpdates || t.vanishingUpdates < 1) return [];
  const isVanishing = (u: GradientUpdate) => {
    const first = u.dense[0];
    const last = u.dense[u.dense.length - 1];
    return (
      u.dense.length >= 2 &&
      last.gradNormW > 0 &&
      Number.isFinite(last.gradNormW) &&
      first.gradNormW >= 0 &&
      first.gradNormW < t.vanishingRatio * last.gradNormW
    );
  };
  if (!recent.every(isVanishing)) return [];

  const latest = recent[recent.length - 1];
  const first = latest.dense[0];
  const last = latest.dense[latest.dense.length - 1];
  const affected = latest.dense
    .slice(0, -1)
    .filter((l) => l.gradNormW < t.vanishingRatio * last.gradNormW);
  const how =
    first.gradNormW > 0
      ? `Gradients reaching ${nameOf(first.id)} are ${formatFactor(last.gradNormW / first.gradNormW)} smaller than at the output (${nameOf(last.id)})`
      : `No gradient reaches ${nameOf(first.id)} any more (its gradient is zero), while the output layer ${nameOf(last.id)} still gets one`;
  const squashing = latest.activations.filter((a) => a.fn === 'sigmoid' || a.fn === 'tanh');
  const saturating = squashing.filter((a) => a.saturatedFraction > t.saturatedFraction);
  const why =
    saturating.length > 0
      ? `the ${plural(fnWord(saturating[0].fn))} are saturating, so almost nothing passes back through them`
      : squashing.length > 0
        ? `every ${fnWord(squashing[0].fn)} on the way back multiplies the gradient by its slope, ` +
          `at most ${squashing[0].fn === 'sigmoid' ? '0.25' : '1'}, and ${squashing.length} of them shrink it layer after layer`
        : 'the gradient shrinks a little at every layer on the way back';
  return [
    {
      kind: 'vanishing',
      severity: 'warning',
      nodeIds: affected.map((l) => l.id),
      message: `${how}, for the last ${recent.length} updates: ${why}. The early layers barely learn.`,
      suggestion:
        squashing.length > 0
          ? 'Try ReLU with He initialisation, or fewer layers.'
          : 'Try He initialisation, fewer layers, or a larger learning rate for a start.',
    },
  ];
}

function deadRelu(
  layer: ActivationStats,
  nameOf: (id: string) => string,
  t: DiagnosticThresholds,
): Diagnostic[] {
  if (layer.fn !== 'relu' || !(layer.deadFraction > t.deadFraction)) return [];
  const all = layer.deadFraction >= 1;
  return [
    {
      kind: 'dead_relu',
      severity: all ? 'error' : 'warning',
      nodeIds: [layer.id],
      message:
        `${all ? 'All' : formatPercent(layer.deadFraction)} of the units of ${nameOf(layer.id)} ` +
        'output zero for every example in the batch: they are "dead", and no gradient flows back ' +
        `through them${all ? ', so the layers before it stop learning' : ''}.`,
      suggestion:
        'Try a lower learning rate, He initialisation, or Leaky ReLU (it keeps a small slope below zero).',
    },
  ];
}

function saturated(
  layer: ActivationStats,
  nameOf: (id: string) => string,
  t: DiagnosticThresholds,
): Diagnostic[] {
  if (layer.fn !== 'sigmoid' && layer.fn !== 'tanh') return [];
  if (!(layer.saturatedFraction > t.saturatedFraction)) return [];
  const tails = layer.fn === 'sigmoid' ? 'near 0 or 1' : 'near −1 or 1';
  return [
    {
      kind: 'saturated',
      severity: 'warning',
      nodeIds: [layer.id],
      message:
        `${formatPercent(layer.saturatedFraction)} of the units of ${nameOf(layer.id)} are saturated: ` +
        `their outputs sit ${tails}, where the curve is flat, so almost no gradient passes back through them.`,
      suggestion:
        'Standardise the inputs, use Xavier initialisation instead of Normal, or switch to ReLU.',
    },
  ];
}

function fnWord(fn: ActivationName): string {
  return fn === 'tanh' ? 'tanh' : 'sigmoid';
}

function plural(word: string): string {
  return `${word}s`;
}

function listNames(layers: readonly DenseGradientStats[], nameOf: (id: string) => string): string {
  const names = layers.map((l) => nameOf(l.id));
  return names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** "10,000×" for large factors, "14×" for small ones: two significant digits. */
export function formatFactor(factor: number): string {
  if (!Number.isFinite(factor)) return 'infinitely';
  const rounded = Number(factor.toPrecision(2));
  return `${rounded.toLocaleString('en')}×`;
}

function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** 1,234 for ordinary sizes, 3.2e+7 beyond a million. */
function formatNumber(value: number): string {
  if (Math.abs(value) >= 1e6) return value.toExponential(1);
  return Number(value.toPrecision(3)).toLocaleString('en');
}
