import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarize } from '../metrics/summarize';
import { digestOf, emptyDigest, mergeDigests, summarizeDigest } from './durationDigest';

const durations = fc.array(fc.integer({ min: 0, max: 30 * 86_400 }), { maxLength: 200 });

describe('duration digest', () => {
  it('summarizes like summarize: exact count and mean, percentiles within one bucket (4.4 %)', () => {
    fc.assert(
      fc.property(durations, (values) => {
        const exact = summarize(values);
        const digest = summarizeDigest(digestOf(values));
        expect(digest.count).toBe(exact.count);
        if (exact.mean === null) {
          expect(digest.mean).toBeNull();
          return;
        }
        expect(digest.mean).toBeCloseTo(exact.mean, 6);
        for (const p of ['p50', 'p90'] as const) {
          const [approx, truth] = [digest[p]!, exact[p]!];
          expect(Math.abs(approx - truth)).toBeLessThanOrEqual(truth * 0.045 + 1e-9);
        }
      }),
    );
  });

  it('is exact when the durations are few and distinct', () => {
    expect(summarizeDigest(digestOf([60, 120, 600]))).toEqual({ count: 3, mean: 260, p50: 120, p90: 600 });
    expect(summarizeDigest(emptyDigest)).toEqual({ count: 0, mean: null, p50: null, p90: null });
  });

  it('merges as if every duration went into one digest, in any grouping', () => {
    fc.assert(
      fc.property(durations, durations, durations, (a, b, c) => {
        const left = mergeDigests(mergeDigests(digestOf(a), digestOf(b)), digestOf(c));
        const right = mergeDigests(digestOf(a), mergeDigests(digestOf(b), digestOf(c)));
        const whole = digestOf([...a, ...b, ...c]);
        for (const merged of [left, right]) {
          expect(summarizeDigest(merged).count).toBe(summarizeDigest(whole).count);
          expect(summarizeDigest(merged).p90).toBeCloseTo(summarizeDigest(whole).p90 ?? 0, 6);
          expect(merged.sum).toBeCloseTo(whole.sum, 6);
        }
      }),
    );
  });
});
