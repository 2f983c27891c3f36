import type { PastIncidentSummary, Severity } from '@vigil/core';

/**
 * Recent incidents from the projector's read model, for triage's "similar past incidents".
 *
 * @example
 * const history = await pastIncidents(env.DB, 'checkout');
 */
export async function pastIncidents(db: D1Database, service: string): Promise<PastIncidentSummary[]> {
  const { results } = await db
    .prepare(
      // The service's latest 100 and everyone's latest 50, each read from its index and stopped
      // there: an OR of the two read every incident the service ever had.
      `SELECT * FROM (SELECT id, service, kind, category, severity, started_at, resolved_at FROM incidents
         WHERE service = ?1 ORDER BY started_at DESC LIMIT 100)
       UNION SELECT * FROM (SELECT id, service, kind, category, severity, started_at, resolved_at FROM incidents
         ORDER BY started_at DESC LIMIT 50)
       ORDER BY started_at DESC LIMIT 100`,
    )
    .bind(service)
    .all<{
      id: string;
      service: string;
      kind: string;
      category: PastIncidentSummary['category'] | null;
      severity: Severity;
      started_at: string;
      resolved_at: string | null;
    }>();
  return results.map((row) => ({
    id: row.id,
    service: row.service,
    kind: row.kind,
    category: row.category ?? 'technical',
    severity: row.severity,
    startedAt: row.started_at,
    resolvedAt: row.resolved_at,
  }));
}
