import { openStatuses, type Severity, severities } from '@vigil/core';
import { lastWeeks, weeklySeries } from '@vigil/core/projections';
import { MetricRollups } from '@vigil/db';
import { RequestError } from '@vigil/http';
import { z } from 'zod';
import type { DashboardData } from './html/dashboardFragment';
import { getIncident, latestTimeline, listIncidents } from './incidentQueries';
import { metricsWindow } from './metricsQueries';

export const DashboardQuery = z.object({ incident: z.string().min(1).max(128).optional() }).strict();
export type DashboardQuery = z.infer<typeof DashboardQuery>;

const WEEKS = 12;
const TIMELINE_ENTRIES = 500;

/** What the dashboard shows, read from the read models (charts from rollups, like /v1/metrics). */
export async function dashboardData(
  db: D1Database,
  query: DashboardQuery,
  now: Date,
): Promise<DashboardData> {
  const { to } = metricsWindow({}, now);
  const from = lastWeeks(now.toISOString(), WEEKS)[0]!;
  const [counts, open, recent, partials, selected] = await Promise.all([
    db
      .prepare(
        `SELECT severity, COUNT(*) AS count FROM incidents
         WHERE status IN (${openStatuses.map(() => '?').join(', ')}) GROUP BY severity`,
      )
      .bind(...openStatuses)
      .all<{ severity: Severity; count: number }>(),
    listIncidents(db, { status: 'open', limit: 50 }),
    listIncidents(db, { limit: 20 }),
    new MetricRollups(db).partials({ from, to, scope: { kind: 'every' } }),
    query.incident ? selectedIncident(db, query.incident) : Promise.resolve(null),
  ]);
  const openBySeverity = Object.fromEntries(severities.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  for (const row of counts.results) openBySeverity[row.severity] = row.count;
  return {
    openBySeverity,
    open: open.items,
    recent: recent.items,
    selected,
    weeks: weeklySeries(partials, { now: now.toISOString(), weeks: WEEKS, metrics: ['mtta', 'mttr'] }),
  };
}

async function selectedIncident(db: D1Database, id: string) {
  try {
    const [incident, timeline] = await Promise.all([
      getIncident(db, id),
      latestTimeline(db, id, TIMELINE_ENTRIES),
    ]);
    return { incident, ...timeline };
  } catch (error) {
    // An id from a stale link shows the dashboard without a timeline rather than failing it.
    if (error instanceof RequestError && error.status === 404) return null;
    throw error;
  }
}
