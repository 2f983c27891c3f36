import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize } from './summarize';

// The definition of nearest rank, written the slow way: the smallest observed value with
// at least p% of the values at or below it.
const bruteForcePercentile = (values: number[], p: number) =>
  Math.min(...values.filter((v) => values.filter((w) => w <= v).length / values.length >= p / 100));

describe('summarize', () => {
  it('reports nulls and a zero count for no values', () => {
    expect(summarize([])).toEqual({ count: 0, mean: null, p50: null, p90: null });
  });
  it('uses nearest rank', () => {
    expect(summarize([60, 120, 600])).toEqual({ count: 3, mean: 260, p50: 120, p90: 600 });
    expect(summarize([4, 1, 3, 2])).toEqual({ count: 4, mean: 2.5, p50: 2, p90: 4 });
    expect(summarize([7])).toEqual({ count: 1, mean: 7, p50: 7, p90: 7 });
  });
  it('matches a brute-force computation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 200 }),
        (values) => {
          const summary = summarize(values);
          expect(summary.count).toBe(values.length);
          expect(summary.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
          expect(summary.p50).toBe(bruteForcePercentile(values, 50));
          expect(summary.p90).toBe(bruteForcePercentile(values, 90));
        },
      ),
    );
  });
});
