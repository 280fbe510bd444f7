/**
 * What the gradient views show, derived from the TrainingState (every number comes from the
 * worker): the diagnoses, the canvas scale, and the queue of backward passes to play.
 *
 * Events arrive up to 30 times a second, faster than a pass can travel from the loss back to the
 * input. So a pass plays to its end, and when it ends the newest update still waiting starts the
 * next one (updates in between are drawn by the heat strip, not animated). With motion off, or
 * when the system asks for reduced motion, every update is shown at once, without movement.
 */
import { untrack } from 'svelte';
import { MediaQuery } from 'svelte/reactivity';
import type { LayerSpec } from '../engine/spec';
import type { TrainingState } from '../state/training.svelte';
import { diagnose, diagnosticsByNode, type Diagnostic } from './diagnostics';
import { divergenceMessage } from '../engine/divergence';
import { backwardSlots, flowDomain, pulseMsPerLayer, slotCount } from './flow-encoding';
import { epochSummaries, layerNamer, placeColumns, type PlacedColumn } from './series';
import type { StepStats } from './types';

/** How many recent updates set the canvas scale (so it does not jump with every update). */
export const SCALE_WINDOW = 100;
/** The scale before any gradient arrived. */
const DEFAULT_DOMAIN: [number, number] = [1e-3, 1];

/** One backward pass as drawn on the canvas. */
export interface FlowPass {
  /** Increases with every pass. */
  id: number;
  spec: LayerSpec;
  stats: StepStats;
  /** The log scale of this pass (legend, widths, colours). */
  domain: [number, number];
  /** Backward slot per node id: loss 0, ..., input last (parallel branches share slots). */
  slots: Map<string, number>;
  /** 0 when drawn without movement. */
  msPerLayer: number;
  /** 'step' when the update came from the Step button (played slowly). */
  mode: 'step' | 'training';
}

export class GradientsState {
  /** The "Animate gradient flow" toggle. */
  animate = $state(true);
  /** The pass being drawn (or last drawn); null before the first update. */
  pass = $state.raw<FlowPass | null>(null);
  /** True while a pass is moving (tests and the legend read it). */
  animating = $state(false);

  readonly #training: TrainingState;
  readonly #reducedMotion = new MediaQuery('(prefers-reduced-motion: reduce)', false);
  #pending: Omit<FlowPass, 'id' | 'msPerLayer'> | null = null;
  #lastUpdate = 0;
  #lastStatus: string = 'idle';
  #nextId = 1;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Whether passes move (the toggle, unless the system asks for reduced motion). */
  readonly motion = $derived(this.animate && !this.#reducedMotion.current);

  readonly spec: LayerSpec | null;
  readonly nameOf: (id: string) => string;
  /** The per-update norm window, each column placed in its epoch. */
  readonly columns: PlacedColumn[];
  readonly diagnostics: Diagnostic[];
  /** Diagnoses per node id (a diagnosis about several layers is listed under each). */
  readonly diagnosticsByNode: Map<string, Diagnostic[]>;
  /**
   * The canvas scale: whole decades around the recent ‖dC/dW‖, the latest update's, and the
   * gradients along its wires (‖dC/dA‖), so wires and node bars share one scale.
   */
  readonly domain: [number, number];

  constructor(training: TrainingState) {
    this.#training = training;
    this.spec = $derived(training.spec);
    this.nameOf = $derived(layerNamer(this.spec));
    this.columns = $derived(
      training.latest ? placeColumns(training.gradientHistory, training.latest) : [],
    );
    this.diagnostics = $derived(
      diagnose({
        latest: training.stats,
        layerIds: training.gradientHistory.layerIds,
        recent: this.columns,
        epochs: epochSummaries(training.gradientHistory.layerIds, this.columns),
        nameOf: this.nameOf,
        spec: this.spec,
        divergence: training.latest?.divergence
          ? divergenceMessage(training.latest.divergence)
          : null,
      }),
    );
    this.diagnosticsByNode = $derived(diagnosticsByNode(this.diagnostics));
    this.domain = $derived.by(() => {
      const recent = this.columns.slice(-SCALE_WINDOW).flatMap((c) => c.norms);
      const stats = training.stats;
      const latest = [
        ...(stats?.dense.map((l) => l.gradWNorm) ?? []),
        ...(stats?.wireNorms?.map((w) => w.norm) ?? []),
      ];
      return flowDomain([...recent, ...latest]) ?? DEFAULT_DOMAIN;
    });
  }

  get training(): TrainingState {
    return this.#training;
  }

  /** The system setting prefers-reduced-motion: reduce. */
  get reducedMotion(): boolean {
    return this.#reducedMotion.current;
  }

  /**
   * Follow the training state: queue a pass for every new update. Call inside an $effect (it reads the
   * training state's latest stats); it re-runs with every event, so it must not cancel the pass playing.
   */
  follow(): void {
    const stats = this.#training.stats;
    const event = this.#training.latest;
    const spec = this.#training.spec;
    untrack(() => {
      const status = event?.status ?? 'idle';
      // A Step is an update that arrives paused while the run was not going (the event that
      // ends a run, or pauses it, carries its last training update: that plays at training pace).
      const stepped = status === 'paused' && this.#lastStatus !== 'running';
      this.#lastStatus = status;
      if (!stats || !spec) {
        this.#clear();
        return;
      }
      if (stats.update === this.#lastUpdate) return;
      this.#lastUpdate = stats.update;
      this.#offer({
        spec,
        stats,
        domain: this.domain,
        slots: backwardSlots(spec),
        mode: stepped ? 'step' : 'training',
      });
    });
  }

  /** Stop the pass timer (the page is going away). */
  dispose(): void {
    clearTimeout(this.#timer);
  }

  #offer(next: Omit<FlowPass, 'id' | 'msPerLayer'>): void {
    if (!this.motion) {
      this.#pending = null;
      this.animating = false;
      clearTimeout(this.#timer);
      this.pass = { ...next, id: this.#nextId++, msPerLayer: 0 };
      return;
    }
    if (this.animating) {
      this.#pending = next;
      return;
    }
    this.#play(next);
  }

  #play(next: Omit<FlowPass, 'id' | 'msPerLayer'>): void {
    const slots = slotCount(next.slots);
    const msPerLayer = pulseMsPerLayer(next.mode, slots);
    this.pass = { ...next, id: this.#nextId++, msPerLayer };
    this.animating = true;
    clearTimeout(this.#timer);
    // The pulse leaves the loss at slot 0 and lights the input during the last slot.
    this.#timer = setTimeout(() => this.#ended(), msPerLayer * slots);
  }

  #ended(): void {
    this.animating = false;
    const next = this.#pending;
    this.#pending = null;
    if (next) this.#offer(next);
  }

  #clear(): void {
    clearTimeout(this.#timer);
    this.#pending = null;
    this.#lastUpdate = 0;
    this.animating = false;
    this.pass = null;
  }

  /** Turn motion off at once: the latest update is shown without movement. */
  stopMotion(): void {
    // Called from effects: reading `pass` here must not make them depend on it.
    untrack(() => {
      const current = this.pass;
      const latest = this.#pending ?? current;
      clearTimeout(this.#timer);
      this.#pending = null;
      this.animating = false;
      if (latest && (latest !== current || (current && current.msPerLayer > 0)))
        this.pass = { ...latest, id: this.#nextId++, msPerLayer: 0 };
    });
  }
}
