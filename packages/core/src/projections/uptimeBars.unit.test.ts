import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ComponentStatus, worstComponentStatus } from './componentStatus';
import type { ImpactPeriod } from './publicIncident';
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

  it('counts two outages over the same hour once', () => {
    const hour: ImpactPeriod = {
      status: 'major_outage',
      from: '2026-11-28T12:00:00Z',
      to: '2026-11-28T13:00:00Z',
    };
    const [bar] = uptimeBars([hour, { ...hour }], { days: 1, now });
    expect(bar).toMatchObject({ outageSeconds: 3600, worst: 'major_outage' });
  });

  it('counts the worst status where a partial outage overlaps a major one', () => {
    const [bar] = uptimeBars(
      [
        { status: 'partial_outage', from: '2026-11-28T11:00:00Z', to: '2026-11-28T14:00:00Z' },
        { status: 'major_outage', from: '2026-11-28T12:00:00Z', to: '2026-11-28T13:00:00Z' },
      ],
      { days: 1, now },
    );
    // 11–12 partial, 12–13 major, 13–14 partial.
    expect(bar).toMatchObject({ outageSeconds: 3600 + 0.3 * 2 * 3600, worst: 'major_outage' });
  });

  // The definition, day by day: cut the day at every period's start and end, and weight each
  // piece by the worst status of the periods covering it. What the one-pass sweep must equal.
  const byDefinition = (periods: ImpactPeriod[], days: number, at: string) => {
    const DAY = 86_400_000;
    const weight = { major_outage: 1, partial_outage: 0.3, degraded_performance: 0 };
    const today = Math.floor(Date.parse(at) / DAY) * DAY;
    const bounds = periods.map((period) => ({
      status: period.status,
      from: Date.parse(period.from),
      to: Math.min(today + DAY, period.to === null ? Date.parse(at) : Date.parse(period.to)),
    }));
    return Array.from({ length: days }, (_, index) => {
      const start = today - (days - 1 - index) * DAY;
      const cuts = [...new Set([start, start + DAY, ...bounds.flatMap(({ from, to }) => [from, to])])]
        .filter((cut) => cut >= start && cut <= start + DAY)
        .sort((a, b) => a - b);
      const spent = { major_outage: 0, partial_outage: 0, degraded_performance: 0 };
      const touched: ComponentStatus[] = [];
      for (let i = 0; i + 1 < cuts.length; i++) {
        const [from, to] = [cuts[i]!, cuts[i + 1]!];
        const covering = bounds.filter((period) => period.from <= from && to <= period.to);
        const worst = worstComponentStatus(covering.map((period) => period.status));
        if (worst === 'operational') continue;
        spent[worst] += to - from;
        touched.push(worst);
      }
      const seconds =
        (spent.major_outage * weight.major_outage +
          spent.partial_outage * weight.partial_outage +
          spent.degraded_performance * weight.degraded_performance) /
        1000;
      return {
        date: new Date(start).toISOString().slice(0, 10),
        uptime: 1 - seconds / 86_400,
        worst: worstComponentStatus(touched),
        outageSeconds: Math.round(seconds),
      };
    });
  };

  it('equals the day-by-day definition for any periods, open or closed, inside or outside the window', () => {
    const base = Date.parse('2026-11-01T00:00:00.000Z');
    const period = fc
      .record({
        status: fc.constantFrom('major_outage', 'partial_outage', 'degraded_performance'),
        start: fc.integer({ min: -5 * 86_400, max: 35 * 86_400 }),
        length: fc.option(fc.integer({ min: 0, max: 4 * 86_400 }), { nil: null }),
      })
      .map(
        ({ status, start, length }): ImpactPeriod => ({
          status,
          from: new Date(base + start * 1000).toISOString(),
          to: length === null ? null : new Date(base + (start + length) * 1000).toISOString(),
        }),
      );
    fc.assert(
      fc.property(
        fc.array(period, { maxLength: 30 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 30 * 86_400 }),
        (periods, days, offset) => {
          const at = new Date(base + offset * 1000).toISOString();
          expect(uptimeBars(periods, { days, now: at })).toEqual(byDefinition(periods, days, at));
        },
      ),
      { numRuns: 300 },
    );
  });
});
