/** Pure helpers for ConfusionMatrix: validation, row shares, labels that fit. */

/**
 * Why `matrix` cannot be drawn for `classes`, or null when it can. A confusion matrix here is
 * square, one row and one column per class, with non-negative finite counts.
 */
export function confusionMatrixProblem(matrix: number[][], classes: string[]): string | null {
  const k = classes.length;
  if (k === 0) return 'The confusion matrix needs at least one class name.';
  if (matrix.length !== k) {
    return `The confusion matrix has ${matrix.length} rows but there are ${k} classes.`;
  }
  for (let r = 0; r < k; r++) {
    if (matrix[r].length !== k) {
      return `Row ${r + 1} (${classes[r]}) of the confusion matrix has ${matrix[r].length} cells, expected ${k}.`;
    }
    for (let c = 0; c < k; c++) {
      const v = matrix[r][c];
      if (!Number.isFinite(v) || v < 0) {
        return `Cell (${classes[r]}, ${classes[c]}) of the confusion matrix is ${v}; counts must be finite and ≥ 0.`;
      }
    }
  }
  return null;
}

/**
 * Each row divided by its sum: share of the samples of a true class that got each prediction.
 * A row with no samples stays all zeros (there is nothing to share out).
 */
export function rowShares(matrix: number[][]): number[][] {
  return matrix.map((row) => {
    const total = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

/** Total count and the count on the diagonal (true class = predicted class). */
export function diagonalTotals(matrix: number[][]): { total: number; diagonal: number } {
  let total = 0;
  let diagonal = 0;
  matrix.forEach((row, r) =>
    row.forEach((v, c) => {
      total += v;
      if (r === c) diagonal += v;
    }),
  );
  return { total, diagonal };
}

/**
 * True when bottom-axis labels would run into each other at `bandwidth` px per label (about
 * `charWidth` px per character plus a little gap), so they should be rotated.
 */
export function labelsNeedRotation(
  labels: readonly string[],
  bandwidth: number,
  charWidth = 7,
): boolean {
  const longest = labels.reduce((n, s) => Math.max(n, s.length), 0);
  return longest * charWidth + 4 > bandwidth;
}
