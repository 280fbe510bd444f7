/** How a merge node writes the order of its incoming wires: "1: n3, 2: n5" ("none" without any). */
export function wireOrderText(sources: readonly string[]): string {
  return sources.length === 0
    ? 'none'
    : sources.map((source, index) => `${index + 1}: ${source}`).join(', ');
}
