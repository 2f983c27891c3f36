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
  /** Seconds counted as down: all of a major outage and 30 % of a partial one, overlaps once. */
  readonly outageSeconds: number;
};

const DAY = 86_400_000;

type Impact = ImpactPeriod['status'];

// Worst first: where periods overlap, the first of these still open is what the service shows.
const WORST_FIRST: readonly Impact[] = ['major_outage', 'partial_outage', 'degraded_performance'];

// Statuspage's weighting: a partial outage counts 30 % against uptime, degraded performance not at all.
const WEIGHT: Readonly<Record<Impact, number>> = {
  major_outage: 1,
  partial_outage: 0.3,
  degraded_performance: 0,
};

/**
 * The last `days` UTC days up to and including `now`'s, oldest first, from the impact periods
 * of a service's incidents (an open period lasts until `now`). Where periods overlap, only the
 * worst status counts: two outages over the same hour are one hour down, not two.
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
  // Milliseconds of each day spent in each status, summed exactly and weighted once at the end.
  const spent = Array.from(
    { length: days },
    (): Record<Impact, number> => ({
      major_outage: 0,
      partial_outage: 0,
      degraded_performance: 0,
    }),
  );
  const worst = Array.from({ length: days }, (): ComponentStatus => 'operational');
  for (const { status, from, to } of worstTimeline(periods, first, today + DAY, nowMillis)) {
    // Each stretch visits only the days it spans: a status page of a busy history holds thousands.
    for (let day = Math.floor((from - first) / DAY); day < days && first + day * DAY < to; day++) {
      const start = first + day * DAY;
      const overlap = Math.min(start + DAY, to) - Math.max(start, from);
      if (overlap <= 0) continue;
      spent[day]![status] += overlap;
      worst[day] = worstComponentStatus([worst[day]!, status]);
    }
  }
  return spent.map((byStatus, day) => {
    const seconds = WORST_FIRST.reduce((sum, status) => sum + byStatus[status] * WEIGHT[status], 0) / 1000;
    return {
      date: new Date(first + day * DAY).toISOString().slice(0, 10),
      uptime: 1 - seconds / (DAY / 1000),
      worst: worst[day]!,
      outageSeconds: Math.round(seconds),
    };
  });
}

/**
 * The periods inside `[from, until)` (an open one ending at `now`) merged into stretches of the
 * worst status at each instant, in time order: a sweep over their starts and ends that counts
 * how many periods of each status are open.
 */
function worstTimeline(
  periods: readonly ImpactPeriod[],
  from: number,
  until: number,
  now: number,
): { status: Impact; from: number; to: number }[] {
  const edges: { at: number; status: Impact; open: 1 | -1 }[] = [];
  for (const period of periods) {
    const start = Math.max(from, Date.parse(period.from));
    const end = Math.min(until, period.to === null ? now : Date.parse(period.to));
    if (end <= start) continue;
    edges.push({ at: start, status: period.status, open: 1 }, { at: end, status: period.status, open: -1 });
  }
  edges.sort((a, b) => a.at - b.at);
  const open: Record<Impact, number> = { major_outage: 0, partial_outage: 0, degraded_performance: 0 };
  const stretches: { status: Impact; from: number; to: number }[] = [];
  for (let i = 0; i < edges.length; ) {
    const at = edges[i]!.at;
    for (; i < edges.length && edges[i]!.at === at; i++) open[edges[i]!.status] += edges[i]!.open;
    const next = edges[i]?.at;
    const worst = WORST_FIRST.find((status) => open[status] > 0);
    if (next !== undefined && worst !== undefined) stretches.push({ status: worst, from: at, to: next });
  }
  return stretches;
}
