/**
 * Plain-words diagnoses of a training run's gradients: divergence first (a blow-up is never
 * called anything milder), then exploding, vanishing, dead ReLU units, saturated sigmoid/tanh
 * units. Pure functions of the statistics the worker computed: nothing here looks at weights or
 * data, so every warning can be traced to numbers on the screen. Numbers are written short.
 */
import type { ActivationName, LayerSpec } from '../engine/spec';
import type { ActivationLayerStats, DenseLayerStats, NormColumn, StepStats } from './types';

export type DiagnosticKind = 'diverged' | 'vanishing' | 'exploding' | 'dead_relu' | 'saturated';
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
  /** A few words for the badge on the node ("Vanishing gradients", "63% dead units"). */
  badge: string;
  /** A badge of its own for some nodes (each layer's own factor), else `badge`. */
  nodeBadges?: Record<string, string>;
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
  /**
   * Blown-up weights: a layer's root-mean-square weight (‖W‖ / √entries) above this. Initial
   * weights are about 1 or less; a hundred means the updates have thrown them far off.
   */
  blownUpWeight: number;
}

export const DEFAULT_THRESHOLDS: DiagnosticThresholds = {
  vanishingRatio: 1e-3,
  vanishingUpdates: 5,
  explodingNorm: 1e3,
  explodingGrowth: 10,
  explodingGrowthMinNorm: 1,
  deadFraction: 0.5,
  saturatedFraction: 0.5,
  blownUpWeight: 100,
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
 * The epoch summaries with one update's norms added (a new array; earlier entries are reused,
 * the last one is copied when it changes). Updates must arrive in order; a lower epoch number
 * starts over, as after a reset. `norms[l]` belongs to `layerIds[l]`.
 */
export function addToEpochNorms(
  epochs: readonly EpochGradientNorms[],
  layerIds: readonly string[],
  column: NormColumn,
  keep = 50,
): EpochGradientNorms[] {
  const last = epochs[epochs.length - 1];
  const restart = last !== undefined && column.epoch < last.epoch;
  const base = restart ? [] : epochs.slice(Math.max(0, epochs.length - keep + 1));
  const current =
    !restart && last?.epoch === column.epoch
      ? { epoch: last.epoch, log10Sum: { ...last.log10Sum }, count: { ...last.count } }
      : { epoch: column.epoch, log10Sum: {}, count: {} };
  layerIds.forEach((id, l) => {
    const norm = column.norms[l];
    if (!(norm > 0) || !Number.isFinite(norm)) return;
    current.log10Sum[id] = (current.log10Sum[id] ?? 0) + Math.log10(norm);
    current.count[id] = (current.count[id] ?? 0) + 1;
  });
  if (base[base.length - 1]?.epoch === column.epoch) base[base.length - 1] = current;
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
  /** Statistics of the latest update (null before the first). */
  latest: StepStats | null;
  /** Dense layer ids in network order: the order of every `norms` array below. */
  layerIds: readonly string[];
  /** ‖dC/dW‖ per layer of recent consecutive updates, oldest first (every update, not only the latest of each event). */
  recent: readonly NormColumn[];
  /** Per-epoch summaries (from addToEpochNorms), oldest first. */
  epochs?: readonly EpochGradientNorms[];
  /** Human name of a layer by node id, e.g. "Dense n2" or "Sigmoid n3". */
  nameOf?: (id: string) => string;
  /** The network: its initializers decide which advice applies (absent: none about them). */
  spec?: LayerSpec | null;
  /** The trainer's divergence message, when the run stopped because it diverged. */
  divergence?: string | null;
}

export function diagnose(
  input: DiagnosisInput,
  thresholds: DiagnosticThresholds = DEFAULT_THRESHOLDS,
): Diagnostic[] {
  const nameOf = input.nameOf ?? ((id: string) => id);
  const latest = input.latest;
  const diverged = divergedRun(input);
  if (!latest) return diverged;
  const exploding = [
    ...explodingNow(latest, nameOf, thresholds, input.spec),
    ...blownUpWeights(latest, nameOf, thresholds),
  ];
  // A blow-up starves the early layers of gradient too; calling that "vanishing" would send
  // the user after the wrong cause (deeper ReLU nets) instead of the learning rate.
  const blownUp = diverged.length > 0 || exploding.length > 0;
  return [
    ...diverged,
    ...exploding,
    // Growth is only news while the norms are not already over the line.
    ...(blownUp ? [] : explodingGrowth(input, nameOf, thresholds)),
    ...(blownUp ? [] : vanishing(input, nameOf, thresholds)),
    ...latest.activations.flatMap((layer) => deadRelu(layer, nameOf, thresholds)),
    ...latest.activations.flatMap((layer) => saturated(layer, nameOf, thresholds, input.spec)),
  ];
}

/** The run stopped on divergence: said first, in the trainer's own words. */
function divergedRun(input: DiagnosisInput): Diagnostic[] {
  if (!input.divergence) return [];
  return [
    {
      kind: 'diverged',
      severity: 'error',
      nodeIds: [],
      message: input.divergence,
      suggestion: 'Lower the learning rate (try 10× smaller), then train again.',
      badge: 'Training diverged',
    },
  ];
}

/** Whether some dense layer of `spec` starts from `init`. */
function usesInit(spec: LayerSpec | null | undefined, init: string): boolean {
  return spec?.layers.some((l) => l.type === 'dense' && l.init === init) ?? false;
}

/** Advice about initialisation applies only where a layer draws from Normal (or Uniform). */
function initAdvice(spec: LayerSpec | null | undefined): string | null {
  if (usesInit(spec, 'normal')) return 'Xavier or He initialisation instead of Normal';
  if (usesInit(spec, 'uniform')) return 'Xavier or He initialisation instead of Uniform';
  return null;
}

function explodingSuggestion(spec: LayerSpec | null | undefined): string {
  const advice = initAdvice(spec);
  return advice
    ? `Lower the learning rate (try 10× smaller), or start from ${advice}.`
    : 'Lower the learning rate (try 10× smaller).';
}

/** Weights far larger than any initialiser draws: the updates have thrown them off. */
function blownUpWeights(
  update: StepStats,
  nameOf: (id: string) => string,
  t: DiagnosticThresholds,
): Diagnostic[] {
  const rms = (l: DenseLayerStats) => l.weightNorm / Math.sqrt(Math.max(1, l.inputSize * l.units));
  const blown = update.dense.filter(
    (l) => !Number.isFinite(l.weightNorm) || rms(l) > t.blownUpWeight,
  );
  if (blown.length === 0) return [];
  const worst = blown.reduce((a, b) => (rms(b) > rms(a) ? b : a));
  return [
    {
      kind: 'diverged',
      severity: 'error',
      nodeIds: blown.map((l) => l.id),
      message:
        `Training has blown up: the weights of ${nameOf(worst.id)} are ${formatNumber(rms(worst))} ` +
        `in size on average (‖W‖ ${formatNumber(worst.weightNorm)}), where they start near 1. ` +
        'Each update throws them further, and the layers after them saturate, so the loss stays high.',
      suggestion: 'Lower the learning rate (try 10× or 100× smaller), then reset and train again.',
      badge: 'Weights blown up',
    },
  ];
}

function explodingNow(
  update: StepStats,
  nameOf: (id: string) => string,
  t: DiagnosticThresholds,
  spec: LayerSpec | null | undefined,
): Diagnostic[] {
  const notFinite = update.dense.filter(
    (l) => !Number.isFinite(l.gradWNorm) || !Number.isFinite(l.gradBNorm),
  );
  if (notFinite.length > 0) {
    return [
      {
        kind: 'exploding',
        severity: 'error',
        nodeIds: notFinite.map((l) => l.id),
        message: `The gradients of ${listNames(notFinite, nameOf)} are no longer finite numbers (NaN or ∞): training has diverged.`,
        suggestion: explodingSuggestion(spec),
        badge: 'Gradients not finite',
      },
    ];
  }
  const tooLarge = update.dense.filter(
    (l) => l.gradWNorm > t.explodingNorm || l.gradBNorm > t.explodingNorm,
  );
  if (tooLarge.length === 0) return [];
  const largest = tooLarge.reduce((a, b) =>
    Math.max(b.gradWNorm, b.gradBNorm) > Math.max(a.gradWNorm, a.gradBNorm) ? b : a,
  );
  return [
    {
      kind: 'exploding',
      severity: 'error',
      nodeIds: tooLarge.map((l) => l.id),
      message:
        `Gradients are exploding: ${nameOf(largest.id)} has a gradient norm of ` +
        `${formatNumber(Math.max(largest.gradWNorm, largest.gradBNorm))} ` +
        `(above ${formatNumber(t.explodingNorm)}), so each update throws the weights far off.`,
      suggestion: explodingSuggestion(spec),
      badge: 'Exploding gradients',
    },
  ];
}

function explodingGrowth(
  input: DiagnosisInput,
  nameOf: (id: string) => string,
  t: DiagnosticThresholds,
): Diagnostic[] {
  const current = input.recent[input.recent.length - 1]?.epoch;
  if (current === undefined) return [];
  // Only whole epochs compare fairly: the epoch still running has seen few batches.
  const complete = (input.epochs ?? []).filter((e) => e.epoch < current);
  if (complete.length < 2) return [];
  const [before, after] = complete.slice(-2);
  const grown = input.layerIds.flatMap((id) => {
    const a = epochNorm(before, id);
    const b = epochNorm(after, id);
    if (a === undefined || b === undefined) return [];
    const factor = b / a;
    return factor >= t.explodingGrowth && b >= t.explodingGrowthMinNorm ? [{ id, factor }] : [];
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
      badge: `Gradients grew ${formatFactor(worst.factor)} in an epoch`,
    },
  ];
}

function vanishing(
  input: DiagnosisInput,
  nameOf: (id: string) => string,
  t: DiagnosticThresholds,
): Diagnostic[] {
  const ids = input.layerIds;
  const recent = input.recent.slice(-t.vanishingUpdates);
  if (ids.length < 2 || recent.length < t.vanishingUpdates || t.vanishingUpdates < 1) return [];
  // The run must be consecutive updates: a gap (events lost, a reset) breaks it.
  const consecutive = recent.every((c, i) => i === 0 || c.update === recent[i - 1].update + 1);
  const isVanishing = ({ norms }: NormColumn) => {
    const first = norms[0];
    const last = norms[ids.length - 1];
    return last > 0 && Number.isFinite(last) && first >= 0 && first < t.vanishingRatio * last;
  };
  if (!consecutive || !recent.every(isVanishing)) return [];

  const norms = recent[recent.length - 1].norms;
  const first = norms[0];
  const last = norms[ids.length - 1];
  const firstId = ids[0];
  const lastId = ids[ids.length - 1];
  // The layers before the output whose gradient is below the line, with their norms.
  const weak = ids
    .slice(0, -1)
    .map((id, l) => [id, norms[l]] as const)
    .filter(([, norm]) => norm < t.vanishingRatio * last);
  const how =
    first > 0
      ? `Gradients reaching ${nameOf(firstId)} are ${formatFactor(last / first)} smaller than at the output (${nameOf(lastId)})`
      : `No gradient reaches ${nameOf(firstId)} any more (its gradient is zero), while the output layer ${nameOf(lastId)} still gets one`;
  const activations = input.latest?.activations ?? [];
  const squashing = activations.filter((a) => a.fn === 'sigmoid' || a.fn === 'tanh');
  const saturating = squashing.filter((a) => (a.saturatedFraction ?? 0) > t.saturatedFraction);
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
      nodeIds: weak.map(([id]) => id),
      message: `${how}, for the last ${recent.length} updates: ${why}. The early layers barely learn.`,
      suggestion:
        squashing.length > 0
          ? 'Try ReLU with He initialisation, or fewer layers.'
          : 'Try He initialisation, fewer layers, or a larger learning rate for a start.',
      badge: 'Vanishing gradients',
      nodeBadges: Object.fromEntries(
        weak.map(([id, norm]) => [
          id,
          norm > 0
            ? `Vanishing gradients: ${formatFactor(last / norm)} smaller than at the output`
            : 'Vanishing gradients: none reaches this layer',
        ]),
      ),
    },
  ];
}

function deadRelu(
  layer: ActivationLayerStats,
  nameOf: (id: string) => string,
  t: DiagnosticThresholds,
): Diagnostic[] {
  const dead = layer.deadFraction;
  if (layer.fn !== 'relu' || dead === null || !(dead > t.deadFraction)) return [];
  const all = dead >= 1;
  return [
    {
      kind: 'dead_relu',
      severity: all ? 'error' : 'warning',
      nodeIds: [layer.id],
      message:
        `${all ? 'All' : formatPercent(dead)} of the units of ${nameOf(layer.id)} ` +
        'output zero for every example in the batch: they are "dead", and no gradient flows back ' +
        `through them${all ? ', so the layers before it stop learning' : ''}.`,
      suggestion:
        'Try a lower learning rate, He initialisation, or Leaky ReLU (it keeps a small slope below zero).',
      badge: `${all ? 'All' : formatPercent(dead)} units dead`,
    },
  ];
}

function saturated(
  layer: ActivationLayerStats,
  nameOf: (id: string) => string,
  t: DiagnosticThresholds,
  spec: LayerSpec | null | undefined,
): Diagnostic[] {
  if (layer.fn !== 'sigmoid' && layer.fn !== 'tanh') return [];
  const share = layer.saturatedFraction;
  if (share === null || !(share > t.saturatedFraction)) return [];
  const tails = layer.fn === 'sigmoid' ? 'near 0 or 1' : 'near −1 or 1';
  return [
    {
      kind: 'saturated',
      severity: 'warning',
      nodeIds: [layer.id],
      message:
        `${formatPercent(share)} of the units of ${nameOf(layer.id)} are saturated: ` +
        `their outputs sit ${tails}, where the curve is flat, so almost no gradient passes back through them.`,
      suggestion: saturatedSuggestion(spec),
      badge: `${formatPercent(share)} units saturated`,
    },
  ];
}

function saturatedSuggestion(spec: LayerSpec | null | undefined): string {
  const advice = initAdvice(spec);
  return advice
    ? `Standardise the inputs, use ${advice}, or switch to ReLU.`
    : 'Standardise the inputs, lower the learning rate, or switch to ReLU.';
}

function fnWord(fn: ActivationName): string {
  return fn === 'tanh' ? 'tanh' : 'sigmoid';
}

function plural(word: string): string {
  return `${word}s`;
}

function listNames(layers: readonly DenseLayerStats[], nameOf: (id: string) => string): string {
  const names = layers.map((l) => nameOf(l.id));
  return names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Two-digit scientific notation: 4.8e17, 1.2e-5 (the length stays bounded whatever the value). */
function scientific(value: number): string {
  const [mantissa, exponent] = value.toExponential(1).split('e');
  return `${mantissa}e${Number(exponent)}`;
}

/** "10,000×" for factors up to a million, "4.8e17×" past it: two significant digits. */
export function formatFactor(factor: number): string {
  if (!Number.isFinite(factor)) return 'infinitely';
  const rounded = Number(factor.toPrecision(2));
  if (Math.abs(rounded) >= 1e6) return `${scientific(factor)}×`;
  return `${rounded.toLocaleString('en')}×`;
}

function formatPercent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** 1,234 for ordinary sizes; scientific past a million and below 1e-4, so never long. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '−∞';
  const a = Math.abs(value);
  if (a >= 1e6 || (a > 0 && a < 1e-4)) return scientific(value);
  return Number(value.toPrecision(3)).toLocaleString('en');
}

/** Diagnoses per node id (a diagnosis about several layers is listed under each of them). */
export function diagnosticsByNode(diagnostics: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const byNode = new Map<string, Diagnostic[]>();
  for (const d of diagnostics)
    for (const id of d.nodeIds) byNode.set(id, [...(byNode.get(id) ?? []), d]);
  return byNode;
}
