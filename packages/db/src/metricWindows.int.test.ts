import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { type MetricSample, MetricWindows, minuteOf, sumBuckets } from './metricWindows';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 8, minute, 30)).toISOString();

describe('metric windows', () => {
  it('folds a batch larger than one statement chunk exactly once, even when delivered again', async () => {
    const windows = new MetricWindows(env.DB);
    const samples: MetricSample[] = Array.from({ length: 5_000 }, (_, i) => ({
      id: `big-${i}`,
      service: 'bulk',
      at: at(i % 3),
      requests: 10,
      errors: i % 2,
      histogram: [0, 0, 0, 4, 6],
    }));
    await windows.fold(samples, [], new Date());
    await windows.fold(samples.slice(1_000, 4_500), [], new Date());
    const buckets = await windows.bucketsBetween('bulk', minuteOf(at(0)), minuteOf(at(2)));
    const totals = sumBuckets([...buckets.values()]);
    expect(totals.requests).toBe(50_000);
    expect(totals.errors).toBe(2_500);
    expect(totals.histogram).toEqual([0, 0, 0, 20_000, 30_000]);
  });
});
