/** How a shape flowing along the network is written: B rows (the batch) by `size` columns. */
export function formatBatchShape(size: number | null | undefined): string {
  return `B × ${size ?? '?'}`;
}

/** A matrix shape such as "4 × 5"; unknown sizes show as "?". */
export function formatMatrixShape(
  rows: number | null | undefined,
  columns: number | null | undefined,
) {
  return `${rows ?? '?'} × ${columns ?? '?'}`;
}
