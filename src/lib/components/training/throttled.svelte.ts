/**
 * A value that follows another at most once per interval: the charts redraw a few times a second
 * while training sends 30 events a second, so the main thread keeps time for the user. When
 * `immediate()` is true (training stopped), every change goes through at once, so the last state
 * is always drawn. Create it during component initialisation (it owns an $effect).
 */
import { untrack } from 'svelte';

export class Throttled<T> {
  current: T = $state.raw() as T;

  constructor(read: () => T, intervalMs: number, immediate: () => boolean) {
    this.current = untrack(read);
    let last = -Infinity;
    let timer: ReturnType<typeof setTimeout> | undefined;
    $effect(() => {
      const value = read();
      const now = performance.now();
      const wait = last + intervalMs - now;
      if (immediate() || wait <= 0) {
        last = now;
        this.current = value;
        return;
      }
      // Runs at the end of the interval with the newest value (a newer one cancels this timer).
      timer = setTimeout(() => {
        last = performance.now();
        this.current = value;
      }, wait);
      return () => clearTimeout(timer);
    });
  }
}
