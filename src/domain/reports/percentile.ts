/**
 * The nearest-rank percentile: the smallest value with at least p% of the values at or below
 * it, i.e. the ⌈p/100 · n⌉-th of the n values sorted ascending (p50 of 10, 20, 30, 40 is 20;
 * p90 is 40). Null for no values.
 */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!
}
