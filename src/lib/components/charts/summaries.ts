/** Text that charts give assistive technology and the readout line: what the picture shows. */
import { format } from 'd3-format';

const threeSignificant = format('.3~g');

/** A number for people: 3 significant digits; "–" when missing, "NaN"/"∞" when diverged. */
export function formatValue(
  v: number | undefined,
  formatter: (v: number) => string = threeSignificant,
): string {
  if (v === undefined) return '–';
  if (v === 0) return '0';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  return formatter(v);
}

export interface NamedSeries {
  name: string;
  values: readonly number[];
}

/** "train 0.0612 · test 0.072" for index `i` of each series. */
export function valuesAt(
  series: readonly NamedSeries[],
  i: number,
  formatter?: (v: number) => string,
): string {
  return series.map((s) => `${s.name} ${formatValue(s.values[i], formatter)}`).join(' · ');
}

/**
 * Accessible summary of an epoch chart, e.g.
 * "Loss per epoch, 120 epochs (1–120). Latest: train 0.0612 · test 0.072."
 */
export function describeEpochSeries(
  title: string,
  epochs: readonly number[],
  series: readonly NamedSeries[],
  formatter?: (v: number) => string,
): string {
  const n = epochs.length;
  if (n === 0) return `${title}: no epochs yet.`;
  const range = n === 1 ? `epoch ${epochs[0]}` : `${n} epochs (${epochs[0]}–${epochs[n - 1]})`;
  return `${title}, ${range}. Latest: ${valuesAt(series, n - 1, formatter)}.`;
}
