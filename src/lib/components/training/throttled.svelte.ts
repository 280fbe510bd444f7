/**
 * A value that follows another at most once per interval: the charts redraw a few times a second
 * while training sends 30 events a second, so the main thread keeps time for the user. Updates
 * are applied from a timer of their own, so a redraw never lands in the same task as the event
 * that caused it (two moderate tasks instead of one long one). When `immediate()` is true
 * (training stopped), every change goes through at once, so the last state is always drawn.
 * Create it during component initialisation (it owns an $effect).
 */
import { untrack } from 'svelte';

export class Throttled<T> {
  current: T = $state.raw() as T;

  constructor(read: () => T, intervalMs: number, immediate: () => boolean) {
    this.current = untrack(read);
    let last = -Infinity;
    let latest: T = this.current;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const apply = () => {
      timer = undefined;
      last = performance.now();
      this.current = latest;
    };
    $effect(() => {
      latest = read();
      if (immediate()) {
        clearTimeout(timer);
        apply();
        return;
      }
      // One pending timer at a time; it applies whatever is newest when it fires.
      timer ??= setTimeout(apply, Math.max(0, last + intervalMs - performance.now()));
    });
    $effect(() => () => clearTimeout(timer));
  }
}
