import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bucketFor,
  bucketUpperBoundMs,
  HISTOGRAM_BUCKETS,
  merge,
  quantileMs,
  record,
  total,
} from './latencyHistogram';

describe('latency histogram', () => {
  it('puts each latency in the first bucket whose upper bound is at least that latency', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 70_000, noNaN: true }), (latency) => {
        const index = bucketFor(latency);
        expect(latency).toBeLessThanOrEqual(bucketUpperBoundMs(index) + 1e-6);
        if (index > 0) expect(latency).toBeGreaterThan(bucketUpperBoundMs(index - 1) - 1e-6);
      }),
    );
  });

  it('merging is adding counts, so a p95 over merged windows equals the p95 of all observations', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 60_000 }), { maxLength: 50 }), { maxLength: 6 }),
        (windows) => {
          const histograms = windows.map((latencies) => {
            const histogram: number[] = [];
            for (const latency of latencies) record(histogram, latency);
            return histogram;
          });
          const all: number[] = [];
          for (const latency of windows.flat()) record(all, latency);
          const merged = merge(...histograms);
          expect(total(merged)).toBe(windows.flat().length);
          expect(quantileMs(merged, 0.95)).toBe(quantileMs(all, 0.95));
        },
      ),
    );
  });

  it('reports a p95 that is an upper bound within one bucket of the exact value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60_000 }), { minLength: 1, maxLength: 200 }),
        (latencies) => {
          const histogram: number[] = [];
          for (const latency of latencies) record(histogram, latency);
          const sorted = [...latencies].sort((a, b) => a - b);
          const exact = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
          const estimate = quantileMs(histogram, 0.95)!;
          expect(estimate).toBeGreaterThanOrEqual(exact);
          expect(estimate).toBeLessThanOrEqual(exact * Math.SQRT2 + 1e-6);
        },
      ),
    );
  });

  it('counts latencies past the last bound in the overflow bucket', () => {
    const histogram: number[] = [];
    record(histogram, 1_000_000);
    expect(histogram.length).toBe(HISTOGRAM_BUCKETS);
    expect(quantileMs(histogram, 0.5)).toBeGreaterThan(65_536);
    expect(quantileMs([], 0.95)).toBeNull();
  });
});
