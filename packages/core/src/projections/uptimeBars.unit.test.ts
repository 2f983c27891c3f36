import { describe, expect, it } from 'vitest';
import { uptimeBars } from './uptimeBars';

describe('uptime bars', () => {
  const now = '2026-11-28T20:00:00.000Z';

  it('counts a major outage fully, a partial one at 30 % and degraded performance not at all', () => {
    const [bar] = uptimeBars(
      [
        { status: 'major_outage', from: '2026-11-28T12:00:00Z', to: '2026-11-28T12:36:00Z' },
        { status: 'partial_outage', from: '2026-11-28T13:00:00Z', to: '2026-11-28T14:00:00Z' },
        { status: 'degraded_performance', from: '2026-11-28T15:00:00Z', to: '2026-11-28T18:00:00Z' },
      ],
      { days: 1, now },
    );
    expect(bar).toEqual({
      date: '2026-11-28',
      uptime: 1 - (36 * 60 + 0.3 * 3600) / 86_400,
      worst: 'major_outage',
      outageSeconds: 36 * 60 + 1080,
    });
  });

  it('splits a period across days and runs an open one until now, oldest day first', () => {
    const bars = uptimeBars([{ status: 'major_outage', from: '2026-11-27T23:00:00Z', to: null }], {
      days: 3,
      now,
    });
    expect(bars.map((bar) => bar.date)).toEqual(['2026-11-26', '2026-11-27', '2026-11-28']);
    expect(bars.map((bar) => bar.outageSeconds)).toEqual([0, 3600, 20 * 3600]);
    expect(bars[0]).toMatchObject({ uptime: 1, worst: 'operational' });
  });
});
