import { type ComponentStatus, worstComponentStatus } from './componentStatus';
import type { ImpactPeriod } from './publicIncident';

/**
 * One day of a service's uptime bar: the share of the day it was up and its worst status.
 *
 * @example
 * const bar: UptimeBar = { date: '2026-11-28', uptime: 0.9875, worst: 'major_outage', outageSeconds: 1080 };
 */
export type UptimeBar = {
  readonly date: string;
  readonly uptime: number;
  readonly worst: ComponentStatus;
  /** Seconds counted as down: all of a major outage and 30 % of a partial one. */
  readonly outageSeconds: number;
};

const DAY = 86_400_000;

// Statuspage's weighting: a partial outage counts 30 % against uptime, degraded performance not at all.
const WEIGHT: Readonly<Record<ImpactPeriod['status'], number>> = {
  major_outage: 1,
  partial_outage: 0.3,
  degraded_performance: 0,
};

/**
 * The last `days` UTC days up to and including `now`'s, oldest first, from the impact periods
 * of a service's incidents (an open period lasts until `now`).
 *
 * @example
 * uptimeBars([{ status: 'major_outage', from: '2026-11-28T12:00:00Z', to: '2026-11-28T12:36:00Z' }],
 *   { days: 1, now: '2026-11-28T20:00:00Z' })[0].uptime; // 0.975
 */
export function uptimeBars(
  periods: readonly ImpactPeriod[],
  { days, now }: { readonly days: number; readonly now: string },
): UptimeBar[] {
  const nowMillis = Date.parse(now);
  const today = Math.floor(nowMillis / DAY) * DAY;
  const first = today - (days - 1) * DAY;
  const outage = Array.from({ length: days }, () => 0);
  const touched = Array.from({ length: days }, (): ComponentStatus[] => []);
  // Each period visits only the days it spans: a status page of a busy history holds thousands.
  for (const period of periods) {
    const from = Math.max(first, Date.parse(period.from));
    const to = Math.min(today + DAY, period.to === null ? nowMillis : Date.parse(period.to));
    for (let day = Math.floor((from - first) / DAY); day < days && first + day * DAY < to; day++) {
      const start = first + day * DAY;
      const overlap = Math.min(start + DAY, to) - Math.max(start, from);
      if (overlap <= 0) continue;
      outage[day]! += (overlap / 1000) * WEIGHT[period.status];
      touched[day]!.push(period.status);
    }
  }
  const bars: UptimeBar[] = outage.map((down, day) => {
    const seconds = Math.min(down, DAY / 1000);
    return {
      date: new Date(first + day * DAY).toISOString().slice(0, 10),
      uptime: 1 - seconds / (DAY / 1000),
      worst: worstComponentStatus(touched[day]!),
      outageSeconds: Math.round(seconds),
    };
  });
  return bars;
}
