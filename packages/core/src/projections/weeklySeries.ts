import type { Summary } from '../metrics/summarize';
import { summarizeDigest } from './durationDigest';
import { ALL_SERVICES, type MetricName, mergeRollups, type PeriodRollup } from './metricRollup';

const WEEK = 7 * 86_400_000;
// 1970-01-01 was a Thursday; weeks here start on Monday 00:00 UTC, as ISO weeks do.
const MONDAY_OFFSET = 4 * 86_400_000;

/**
 * The Monday 00:00 UTC that starts the week holding an instant.
 *
 * @example
 * weekOf('2026-11-29T10:00:00Z'); // '2026-11-23T00:00:00.000Z'
 */
export function weekOf(instant: string): string {
  const millis = Date.parse(instant);
  return new Date(Math.floor((millis - MONDAY_OFFSET) / WEEK) * WEEK + MONDAY_OFFSET).toISOString();
}

/** The starts of the `weeks` weeks up to and including the one holding `now`, oldest first. */
export function lastWeeks(now: string, weeks: number): string[] {
  const current = Date.parse(weekOf(now));
  return Array.from({ length: weeks }, (_, index) =>
    new Date(current - (weeks - 1 - index) * WEEK).toISOString(),
  );
}

/**
 * One week of the dashboard's charts: summaries of the chosen durations, and incidents per
 * service. Built from period rollups, so it costs what the rollups cost.
 *
 * @example
 * weeklySeries(partials, { now, weeks: 12, metrics: ['mtta', 'mttr'] })[11].summaries.mttr.mean;
 */
export type WeekPoint = {
  readonly week: string;
  readonly summaries: Readonly<Partial<Record<MetricName, Summary>>>;
  readonly incidentsByService: Readonly<Record<string, number>>;
};

export function weeklySeries(
  rollups: readonly PeriodRollup[],
  {
    now,
    weeks,
    metrics,
  }: { readonly now: string; readonly weeks: number; readonly metrics: readonly MetricName[] },
): WeekPoint[] {
  const byWeek = new Map<string, PeriodRollup[]>();
  for (const rollup of rollups) {
    const week = weekOf(rollup.bucket);
    byWeek.set(week, [...(byWeek.get(week) ?? []), rollup]);
  }
  return lastWeeks(now, weeks).map((week) => {
    const inWeek = byWeek.get(week) ?? [];
    const overall = inWeek.filter((rollup) => rollup.service === ALL_SERVICES);
    const merged = mergeRollups(overall);
    const incidentsByService: Record<string, number> = {};
    for (const rollup of inWeek) {
      if (rollup.service === ALL_SERVICES) continue;
      incidentsByService[rollup.service] = (incidentsByService[rollup.service] ?? 0) + rollup.incidents;
    }
    return {
      week,
      summaries: Object.fromEntries(metrics.map((name) => [name, summarizeDigest(merged.digests[name])])),
      incidentsByService,
    };
  });
}
