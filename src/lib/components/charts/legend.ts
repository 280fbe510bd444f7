/** One entry of a chart legend: what a mark looks like and what it stands for. */
export interface LegendItem {
  label: string;
  colour: string;
  /** line: solid stroke; dashed: dashed stroke; square: filled swatch; dot: outlined point. */
  marker: 'line' | 'dashed' | 'square' | 'dot';
}
