import type { Summary } from '../metrics/summarize';

/**
 * Durations in a form that merges by addition, so a metric over a year is the sum of its
 * daily rollups rather than a pass over every incident. Values fall into log-scale buckets
 * 2^(1/16) wide (≈ 4.4 %); each bucket keeps its count and sum, so the mean is exact and a
 * percentile is the mean of the bucket holding that rank: exact when the bucket holds one
 * distinct value, within 4.4 % otherwise. Non-positive durations share bucket `z`.
 *
 * @example
 * summarizeDigest(digestOf([60, 120, 600])); // { count: 3, mean: 260, p50: 120, p90: 600 }
 */
export type DurationDigest = {
  readonly count: number;
  readonly sum: number;
  /** Bucket key → [count, sum of the durations in it]. */
  readonly buckets: Readonly<Record<string, readonly [number, number]>>;
};

export const emptyDigest: DurationDigest = { count: 0, sum: 0, buckets: {} };

const STEPS_PER_DOUBLING = 16;

const bucketOf = (seconds: number) =>
  seconds <= 0 ? 'z' : String(Math.ceil(STEPS_PER_DOUBLING * Math.log2(seconds)));

const order = (key: string) => (key === 'z' ? Number.NEGATIVE_INFINITY : Number(key));

/** Adds one duration. */
export function addToDigest(digest: DurationDigest, seconds: number): DurationDigest {
  const key = bucketOf(seconds);
  const [count, sum] = digest.buckets[key] ?? [0, 0];
  return {
    count: digest.count + 1,
    sum: digest.sum + seconds,
    buckets: { ...digest.buckets, [key]: [count + 1, sum + seconds] },
  };
}

/** A digest of some durations. */
export function digestOf(values: readonly number[]): DurationDigest {
  return values.reduce(addToDigest, emptyDigest);
}

/** Two digests as one, as if every duration had been added to one digest. */
export function mergeDigests(a: DurationDigest, b: DurationDigest): DurationDigest {
  const buckets: Record<string, readonly [number, number]> = { ...a.buckets };
  for (const [key, [count, sum]] of Object.entries(b.buckets)) {
    const [before, beforeSum] = buckets[key] ?? [0, 0];
    buckets[key] = [before + count, beforeSum + sum];
  }
  return { count: a.count + b.count, sum: a.sum + b.sum, buckets };
}

/**
 * Mean, p50 and p90 (nearest rank, as `summarize`) and the count behind them.
 *
 * @example
 * summarizeDigest(emptyDigest); // { count: 0, mean: null, p50: null, p90: null }
 */
export function summarizeDigest(digest: DurationDigest): Summary {
  if (digest.count === 0) return { count: 0, mean: null, p50: null, p90: null };
  const ranked = Object.entries(digest.buckets).sort(([a], [b]) => order(a) - order(b));
  const valueAtRank = (p: number) => {
    // The same rank `nearestRank` picks, without materializing every value.
    const rank = Math.max(1, Math.ceil((p / 100) * digest.count));
    let seen = 0;
    for (const [, [count, sum]] of ranked) {
      seen += count;
      if (seen >= rank) return sum / count;
    }
    return null;
  };
  return { count: digest.count, mean: digest.sum / digest.count, p50: valueAtRank(50), p90: valueAtRank(90) };
}
