/** Percent of a route's traffic on web-green, whatever form the forward takes (one target group, or both with weights). */
export function greenPercent(weights: Record<string, number> | undefined, green = "web-green"): number | null {
  if (!weights) return null;
  const total = Object.values(weights).reduce((n, w) => n + w, 0);
  return total === 0 ? null : (100 * (weights[green] ?? 0)) / total;
}
