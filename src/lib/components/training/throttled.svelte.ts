/**
 * A value that follows another at most once per interval: the charts redraw a few times a second
 * while training publishes ten updates a second, so the main thread keeps time for the user.
 *
 * Once the interval has passed, the next change is applied from a task of its own queued right
 * behind the one that made the change: never in the same task as the change (two moderate tasks
 * instead of one long one), yet drawn in the same frame, so the page renders once per update
 * rather than once for the update and again for each throttled view. A change that arrives
 * early waits for a later one (they keep coming while training runs); a timer applies the last
 * one if none comes. When `immediate()` is true (training stopped), every change goes through at
 * once, so the last state is always drawn. Create it during component initialisation (it owns an
 * $effect).
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
      clearTimeout(timer);
      timer = undefined;
      last = performance.now();
      this.current = latest;
    };
    $effect(() => {
      latest = read();
      if (immediate()) {
        apply();
        return;
      }
      const wait = last + intervalMs - performance.now();
      clearTimeout(timer);
      timer = setTimeout(apply, wait <= 0 ? 0 : wait + intervalMs);
    });
    $effect(() => () => clearTimeout(timer));
  }
}
