import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { FACTS_STARTED_IN } from './metricFacts';
import { BUCKETS_IN } from './metricRollups';
import { COMPONENTS, IMPACT_PERIODS_SINCE } from './publicIncidents';

// The metrics query and the status page read a window of facts, buckets and periods: their
// cost must follow the window, not the history. These pin the plans SQLite chooses (without the CROSS JOIN it walked
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

  it('finds the buckets of a window by range instead of scanning every bucket of the period', async () => {
    const details = await plan(BUCKETS_IN, 'hour', ranges);
    expect(details[0]).toMatch(/^SCAN r VIRTUAL TABLE/);
    expect(details).toContainEqual(
      expect.stringMatching(/^SEARCH b USING .*\(period=\? AND bucket>\? AND bucket<\?\)/),
    );
  });
});

describe('status page reads', () => {
  it('seeks the impact periods of the window by their end instead of walking every period', async () => {
    const details = await plan(IMPACT_PERIODS_SINCE, '2026-09-01T00:00:00.000Z');
    expect(details).toContain('MULTI-INDEX OR');
    expect(details).toContainEqual(
      expect.stringMatching(/^SEARCH impact_periods USING INDEX impact_periods_ended \(ended_at>\?\)/),
    );
    expect(details.some((detail) => /^SCAN impact_periods\b/.test(detail))).toBe(false);
  });

  it('finds the services reporting metrics with one seek each instead of reading every bucket', async () => {
    const details = await plan(COMPONENTS);
    expect(details).toContainEqual(
      expect.stringMatching(/^SEARCH metric_buckets USING COVERING INDEX .*\(service>\?\)/),
    );
    expect(details.some((detail) => /^SCAN metric_buckets\b/.test(detail))).toBe(false);
  });

  it('lists services with incidents and services that only report metrics, once each, by name', async () => {
    const minute = '2026-11-29T10:00';
    await env.DB.batch([
      ...['quiet-b', 'quiet-a', 'quiet-b', 'loud'].map((service, n) =>
        env.DB.prepare(
          'INSERT OR IGNORE INTO metric_buckets (service, minute, requests, errors, first_at) VALUES (?, ?, 1, 0, ?)',
        ).bind(service, `${minute.slice(0, -1)}${n}`, `${minute}:00.000Z`),
      ),
      env.DB.prepare(
        "INSERT INTO service_components (service, status, active_incidents, updated_at) VALUES ('loud', 'major_outage', 1, ?)",
      ).bind(`${minute}:00.000Z`),
    ]);
    const { results } = await env.DB.prepare(COMPONENTS).all<{ service: string; status: string }>();
    expect(results.map((row) => [row.service, row.status])).toEqual([
      ['loud', 'major_outage'],
      ['quiet-a', 'operational'],
      ['quiet-b', 'operational'],
    ]);
  });
});
