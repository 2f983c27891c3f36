import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { FACTS_STARTED_IN } from './metricFacts';
import { CLEAN_BUCKETS_IN } from './metricRollups';

// The metrics query reads a window of facts and buckets: its cost must follow the window,
// not the history. These pin the plans SQLite chooses (without the CROSS JOIN it walked
// every fact in started_at order: a 100k-incident history made each read ~100× slower).
async function plan(sql: string, ...params: unknown[]): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((row) => row.detail);
}

const ranges = JSON.stringify([['2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z']]);

describe('window reads', () => {
  it('finds facts by range through the started_at index instead of scanning them all', async () => {
    const details = await plan(FACTS_STARTED_IN, ranges, null, null);
    expect(details[0]).toMatch(/^SCAN r VIRTUAL TABLE/);
    expect(details).toContainEqual(
      expect.stringMatching(/^SEARCH f USING INDEX metric_facts_started \(started_at>\? AND started_at<\?\)/),
    );
    expect(details.some((detail) => /^SCAN f\b/.test(detail))).toBe(false);
  });

  it('finds clean buckets by range instead of scanning every bucket of the period', async () => {
    const details = await plan(CLEAN_BUCKETS_IN, 'hour', ranges);
    expect(details[0]).toMatch(/^SCAN r VIRTUAL TABLE/);
    expect(details).toContainEqual(
      expect.stringMatching(/^SEARCH b USING .*\(period=\? AND bucket>\? AND bucket<\?\)/),
    );
  });
});
