/**
 * Undo history of snapshots (the REPL's and every editor's classic two stacks).
 *
 * The owner keeps the current value; the history keeps what came before (`past`) and what was
 * undone (`future`). Recording a new step clears `future`, as in every text editor.
 * Plain TypeScript: no runes, so it is easy to test and reuse.
 */
export class UndoHistory<T> {
  #past: T[] = [];
  #future: T[] = [];
  readonly limit: number;

  constructor(limit = 200) {
    this.limit = limit;
  }

  get canUndo(): boolean {
    return this.#past.length > 0;
  }

  get canRedo(): boolean {
    return this.#future.length > 0;
  }

  /** Remember `previous` (the value before an edit); the oldest steps fall off past `limit`. */
  record(previous: T): void {
    this.#past.push(previous);
    if (this.#past.length > this.limit) this.#past.shift();
    this.#future = [];
  }

  /** The value to go back to, given the current one (kept for redo); undefined if none. */
  undo(current: T): T | undefined {
    const previous = this.#past.pop();
    if (previous === undefined) return undefined;
    this.#future.push(current);
    return previous;
  }

  /** The value to go forward to, given the current one (kept for undo); undefined if none. */
  redo(current: T): T | undefined {
    const next = this.#future.pop();
    if (next === undefined) return undefined;
    this.#past.push(current);
    return next;
  }

  clear(): void {
    this.#past = [];
    this.#future = [];
  }
}
