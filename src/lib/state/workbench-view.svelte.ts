/**
 * What the training panel shows, derived from the Workbench and its TrainingState: why nothing
 * can run yet, the status line and progress, the run's numbers only while they describe the page
 * as it is, and the list of messages with their actions.
 */
import { emptyHistory } from '../engine/types';
import { choiceLabel } from './dataset-choice';
import { formatStatus, formatTimeLeft } from './status-text';
import type { TrainingMessage } from './training-messages';
import type { Workbench } from './workbench.svelte';

/** A message as a sentence: ends with a full stop unless it has its own ending. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?…)]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** The learning rate a tenth as large, to three significant digits. */
function lowered(learningRate: number): number {
  return Number((learningRate / 10).toPrecision(3));
}

export class WorkbenchView {
  readonly workerDown: boolean;
  /** Why nothing can run at all (Reset included); null when the worker has a network loaded. */
  readonly cannotRun: string | null;
  /** Why Train and Step cannot run (Reset still can when only these apply). */
  readonly blockedBy: string | null;
  /**
   * Whether what the worker reports belongs to the page as it is: the same data, and a network
   * without errors. Otherwise (a dataset the network does not fit yet, a graph being fixed) the
   * old run's numbers would describe something no longer on the page, so none are shown.
   */
  readonly reportsCurrent: boolean;
  readonly status;
  readonly progress;
  readonly metrics;
  /** The run's history (an imported file's or a restored run's epochs come first: the worker continues them). */
  readonly history;
  readonly statusText: string;
  readonly timeLeft: string;
  readonly messages: TrainingMessage[];
  readonly busy: boolean;
  readonly canExport: boolean;

  constructor(workbench: Workbench) {
    const { graph, training } = workbench;
    this.workerDown = $derived(training.health === 'crashed' || training.health === 'hung');
    this.cannotRun = $derived.by(() => {
      const errors = graph.compiled.errors;
      if (this.workerDown) return 'The training worker stopped: press “Restart worker” below.';
      if (workbench.pendingChoice) return `Loading ${choiceLabel(workbench.pendingChoice)}…`;
      if (!workbench.dataset) return 'Choose a dataset that loads first.';
      if (errors.length > 0) {
        const more = errors.length - 1;
        return (
          `Fix the network first: ${errors[0].message}` +
          (more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : '')
        );
      }
      if (!graph.compiled.spec)
        return 'Build a network first (Input → … → Loss), or pick a template.';
      if (workbench.networkProblem) return workbench.networkProblem;
      if (!training.loaded) return 'Starting the training worker…';
      return null;
    });
    this.blockedBy = $derived.by(() => {
      if (this.cannotRun) return this.cannotRun;
      const problems = Object.values(training.settingsErrors);
      if (problems.length > 0) return `Fix the settings first: ${problems[0]}`;
      if (training.status === 'diverged')
        return 'Training diverged: lower the learning rate (or change another setting), or Reset.';
      return null;
    });
    this.reportsCurrent = $derived(
      training.loaded &&
        !workbench.networkProblem &&
        training.dataset === workbench.dataset &&
        graph.compiled.errors.length === 0,
    );
    this.status = $derived(this.reportsCurrent ? training.status : 'idle');
    this.metrics = $derived(
      this.reportsCurrent ? (training.metrics ?? workbench.imported?.metrics ?? null) : null,
    );
    this.history = $derived(this.reportsCurrent ? training.history : emptyHistory());
    this.progress = $derived(
      this.reportsCurrent
        ? training.progress
        : {
            ...training.progress,
            epoch: 0,
            fraction: 0,
            secondsLeft: null,
            epochs: training.settings.epochs,
          },
    );
    // While a long build keeps the worker busy, the line says what it is doing.
    this.statusText = $derived(
      training.busy && training.workerProgress
        ? `${training.workerProgress}…`
        : formatStatus(this.status, this.progress, this.metrics),
    );
    this.timeLeft = $derived(
      training.status === 'running' ? formatTimeLeft(this.progress.secondsLeft) : '',
    );
    this.busy = $derived(training.busy || workbench.importing);
    this.canExport = $derived(
      training.loaded && !this.workerDown && graph.compiled.errors.length === 0,
    );
    this.messages = $derived.by(() => {
      const list: TrainingMessage[] = [];
      if (this.workerDown)
        list.push({
          id: 'worker',
          tone: 'error',
          title: training.health === 'hung' ? 'Training stopped answering.' : 'Training crashed.',
          // The client's message says what happened and that restarting keeps graph and data.
          text:
            training.error ??
            'Restart the worker to go on: your network, data and settings are kept.',
          action: { label: 'Restart worker', run: () => void training.restartWorker() },
        });
      if (training.status === 'diverged') {
        const lower = lowered(training.settings.optimizer.learningRate);
        list.push({
          id: 'diverged',
          tone: 'warning',
          title: 'Training diverged and was paused.',
          text:
            training.message ??
            'The loss became NaN or infinite: the steps were too large. The last good weights are kept.',
          action: {
            label: `Lower the learning rate to ${lower}`,
            run: () => void training.configure({ optimizer: { learningRate: lower } }),
          },
        });
      }
      if (training.error && !this.workerDown)
        list.push({
          id: 'session',
          tone: 'error',
          title: 'Training problem.',
          text: training.error,
          dismiss: () => training.dismissError(),
        });
      if (workbench.importError)
        list.push({
          id: 'import',
          tone: 'error',
          title: 'Model not imported.',
          text: `${sentence(workbench.importError)} Nothing on the page has changed.`,
          dismiss: () => workbench.dismissImportError(),
        });
      if (workbench.exportError)
        list.push({
          id: 'export',
          tone: 'error',
          title: 'Model not exported.',
          text: workbench.exportError,
          dismiss: () => workbench.dismissExportError(),
        });
      const kept = workbench.keptWork;
      if (kept)
        list.push({
          id: 'kept-work',
          tone: 'info',
          title: kept.title,
          text: kept.text,
          action: kept.undo ? { label: 'Undo', run: () => graph.undo() } : undefined,
          dismiss: () => workbench.dismissKeptWork(),
        });
      if (workbench.networkProblem && !this.workerDown)
        list.push({
          id: 'network-refused',
          tone: 'error',
          title: 'Network not built.',
          text: workbench.networkProblem,
        });
      if (workbench.importNote)
        list.push({
          id: 'imported',
          tone: 'info',
          title: 'Model imported.',
          text: workbench.importNote,
          dismiss: () => workbench.dismissImportNote(),
        });
      return list;
    });
  }
}
