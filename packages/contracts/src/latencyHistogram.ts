/**
 * A mergeable latency histogram with fixed log-scale buckets.
 *
 * Bucket i counts requests whose latency was at most `bucketUpperBoundMs(i)` = 2^(i/2) ms
 * (rounded), and above the previous bound: 1, 1.4, 2, 2.8, 4, … ms up to 2^16 = 65,536 ms
 * (i = 32). Bucket 33 counts everything slower. Every sender and the detector use these
 * bounds, so histograms from many isolates and windows merge by adding counts, and a p95
 * over any set of them is accurate to one bucket (≤ 41% relative error, always an upper bound).
 */
export const HISTOGRAM_BUCKETS = 34;
const OVERFLOW = HISTOGRAM_BUCKETS - 1;

/** Counts per bucket; trailing empty buckets may be left out. */
export type LatencyHistogram = number[];

export function bucketUpperBoundMs(index: number): number {
  return index >= OVERFLOW ? Number.POSITIVE_INFINITY : Math.round(2 ** (index / 2) * 1000) / 1000;
}

export function bucketFor(latencyMs: number): number {
  if (!(latencyMs > 1)) return 0;
  const index = Math.ceil(2 * Math.log2(latencyMs) - 1e-9);
  return Math.min(index, OVERFLOW);
}

/** Adds one observation, growing the array as needed. */
export function record(histogram: LatencyHistogram, latencyMs: number): void {
  const index = bucketFor(latencyMs);
  while (histogram.length <= index) histogram.push(0);
  histogram[index] = (histogram[index] ?? 0) + 1;
}

export function merge(...histograms: LatencyHistogram[]): LatencyHistogram {
  const merged: LatencyHistogram = [];
  for (const histogram of histograms) {
    histogram.forEach((count, index) => {
      while (merged.length <= index) merged.push(0);
      merged[index] = (merged[index] ?? 0) + count;
    });
  }
  return merged;
}

export function total(histogram: LatencyHistogram): number {
  return histogram.reduce((sum, count) => sum + count, 0);
}

/**
 * The q-quantile (0 < q ≤ 1) as the upper bound of the bucket holding the ceil(q·n)-th
 * fastest request; null for an empty histogram. The overflow bucket reports 2^16.5 ms.
 */
export function quantileMs(histogram: LatencyHistogram, q: number): number | null {
  const n = total(histogram);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (let index = 0; index < histogram.length; index++) {
    seen += histogram[index] ?? 0;
    if (seen >= rank) return index >= OVERFLOW ? Math.round(2 ** (OVERFLOW / 2)) : bucketUpperBoundMs(index);
  }
  return null;
}
