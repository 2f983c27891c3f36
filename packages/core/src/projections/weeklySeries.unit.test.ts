import { describe, expect, it } from 'vitest';
import { digestOf, emptyDigest } from './durationDigest';
import type { PeriodRollup } from './metricRollup';
import { lastWeeks, weeklySeries, weekOf } from './weeklySeries';

const rollup = (
  bucket: string,
  service: string,
  incidents: number,
  resolveSeconds: number[],
): PeriodRollup => ({
  bucket,
  service,
  severity: 'P1',
  incidents,
  repeats: 0,
  digests: {
    mttd: emptyDigest,
    mtta: emptyDigest,
    mtti: emptyDigest,
    mttm: emptyDigest,
    mttr: digestOf(resolveSeconds),
  },
});

describe('weekly series', () => {
  it('starts weeks on Monday 00:00 UTC', () => {
    expect(weekOf('2026-11-29T23:59:00Z')).toBe('2026-11-23T00:00:00.000Z');
    expect(weekOf('2026-11-30T00:00:00Z')).toBe('2026-11-30T00:00:00.000Z');
    expect(lastWeeks('2026-11-29T10:00:00Z', 2)).toEqual([
      '2026-11-16T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
    ]);
  });

  it('merges the rollups of each week: durations from the all-services rows, counts per service', () => {
    const weeks = weeklySeries(
      [
        rollup('2026-11-24T00:00:00.000Z', '*', 2, [600, 1800]),
        rollup('2026-11-24T00:00:00.000Z', 'checkout', 1, [600]),
        rollup('2026-11-25T13:00:00.000Z', 'search', 1, [1800]),
        rollup('2026-11-25T13:00:00.000Z', '*', 1, [3000]),
      ],
      { now: '2026-11-29T10:00:00Z', weeks: 2, metrics: ['mttr'] },
    );
    expect(weeks[0]).toEqual({
      week: '2026-11-16T00:00:00.000Z',
      summaries: { mttr: { count: 0, mean: null, p50: null, p90: null } },
      incidentsByService: {},
    });
    expect(weeks[1]?.summaries.mttr).toEqual({ count: 3, mean: 1800, p50: 1800, p90: 3000 });
    expect(weeks[1]?.incidentsByService).toEqual({ checkout: 1, search: 1 });
  });
});
