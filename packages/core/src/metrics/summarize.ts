/**
 * Mean, median and 90th percentile of some durations, with the count behind them
 * (all null when there is nothing to summarize).
 *
 * @example
 * const mttr: Summary = { count: 4, mean: 2400, p50: 1800, p90: 5400 };
 */
export type Summary = {
  readonly count: number;
  readonly mean: number | null;
  readonly p50: number | null;
  readonly p90: number | null;
};

/**
 * Nearest-rank percentile of ascending values: the smallest value with at least `p` percent
 * of the values at or below it, i.e. `sorted[ceil(p/100 × n) − 1]`. It always returns an
 * observed value, which reads better than an interpolated duration nobody experienced.
 *
 * @example
 * nearestRank([1, 2, 3, 4], 50); // 2
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/**
 * Summarizes values (for MTTR, MTTI, … pass each incident's duration in seconds).
 *
 * @example
 * summarize([60, 120, 600]); // { count: 3, mean: 260, p50: 120, p90: 600 }
 */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { count: 0, mean: null, p50: null, p90: null };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { count: sorted.length, mean, p50: nearestRank(sorted, 50), p90: nearestRank(sorted, 90) };
}
