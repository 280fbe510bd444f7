/** A message of the training panel (TrainingMessages.svelte draws them). */
export interface TrainingMessage {
  /** Stable key (one message per kind of problem). */
  id: string;
  tone: 'error' | 'warning' | 'info';
  title: string;
  text: string;
  action?: { label: string; run: () => void };
  dismiss?: () => void;
}
