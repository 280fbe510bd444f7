/**
 * A `<select>` of a file's column names, filled with plain DOM options a frame's worth at a time:
 * a wide file has hundreds of columns, and 785 options styled and laid out in one frame, on top of
 * the rest of the preview, made a main-thread task of over 50 ms. The selected column's option is
 * there at once; the others are inserted around it, in order, CHUNK per animation frame.
 */

export interface ColumnOptions {
  columns: readonly string[];
  /** The column selected. */
  value: string;
}

/** Options inserted per animation frame (a few ms of style and layout each). */
export const CHUNK = 100;

/** Svelte action: one option per column (built again only when the list changes), `value` selected. */
export function columnOptions(select: HTMLSelectElement, initial: ColumnOptions) {
  let shown: readonly string[] | null = null;
  let wanted = initial.value;
  let frame = 0;

  function fill(columns: readonly string[]): void {
    cancelAnimationFrame(frame);
    const options = columns.map((name) => new Option(name, name));
    const at = Math.max(0, columns.indexOf(wanted));
    const anchor = options[at];
    select.replaceChildren(...(anchor ? [anchor] : []));
    let next = 0;
    /** Insert the next CHUNK options; true while some are left. */
    const insertChunk = (): boolean => {
      const stop = Math.min(options.length, next + CHUNK);
      for (; next < stop; next++) {
        if (next < at) select.insertBefore(options[next], anchor);
        else if (next > at) select.append(options[next]);
      }
      // A choice made before its option was there (the value is kept as asked).
      if (select.value !== wanted) select.value = wanted;
      return next < options.length;
    };
    const step = () => {
      if (insertChunk()) frame = requestAnimationFrame(step);
    };
    // The first chunk now; the next from the frame after the one that draws it (a callback
    // asked for now would run in that same frame).
    if (insertChunk()) frame = requestAnimationFrame(() => (frame = requestAnimationFrame(step)));
  }

  const apply = ({ columns, value }: ColumnOptions) => {
    wanted = value;
    if (columns !== shown) {
      shown = columns;
      fill(columns);
    }
    select.value = value;
  };
  apply(initial);
  return { update: apply, destroy: () => cancelAnimationFrame(frame) };
}
