import { openStatuses, type Severity, severities } from '@vigil/core';
import { RequestError } from '@vigil/http';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor';

const Status = z.enum(['detected', 'triaged', 'acknowledged', 'identified', 'mitigated', 'resolved', 'open']);
export const SeverityParam = z.enum(severities as unknown as [Severity, ...Severity[]]);
export const Instant = z.iso.datetime({ offset: true });

export const IncidentListQuery = z
  .object({
    status: Status.optional(),
    severity: SeverityParam.optional(),
    service: z.string().min(1).max(128).optional(),
    since: Instant.optional(),
    until: Instant.optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type IncidentListQuery = z.infer<typeof IncidentListQuery>;

export const TimelineQuery = z
  .object({
    visibility: z.enum(['public', 'internal']).optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();
export type TimelineQuery = z.infer<typeof TimelineQuery>;

interface IncidentRow {
  id: string;
  service: string;
  kind: string;
  severity: string;
  status: string;
  title: string;
  category: string | null;
  owner_role: string | null;
  started_at: string;
  detected_at: string;
  acknowledged_first_at: string | null;
  acknowledged_last_at: string | null;
  identified_first_at: string | null;
  identified_last_at: string | null;
  mitigated_first_at: string | null;
  mitigated_last_at: string | null;
  resolved_first_at: string | null;
  resolved_last_at: string | null;
  resolved_at: string | null;
  version: number;
}

const COLUMNS = `id, service, kind, severity, status, title, category, owner_role, started_at, detected_at,
  acknowledged_first_at, acknowledged_last_at, identified_first_at, identified_last_at, mitigated_first_at,
  mitigated_last_at, resolved_first_at, resolved_last_at, resolved_at, version`;

/** An incident as lists show it: identity, state, triage owner and first/last transition times. */
export function listItem(row: IncidentRow) {
  return {
    id: row.id,
    service: row.service,
    kind: row.kind,
    severity: row.severity,
    status: row.status,
    title: row.title,
    category: row.category,
    ownerRole: row.owner_role,
    version: row.version,
    startedAt: row.started_at,
    detectedAt: row.detected_at,
    acknowledgedAt: row.acknowledged_first_at,
    identifiedAt: row.identified_first_at,
    mitigatedAt: row.mitigated_last_at,
    resolvedAt: row.resolved_at,
    transitions: {
      acknowledged: { first: row.acknowledged_first_at, last: row.acknowledged_last_at },
      identified: { first: row.identified_first_at, last: row.identified_last_at },
      mitigated: { first: row.mitigated_first_at, last: row.mitigated_last_at },
      resolved: { first: row.resolved_first_at, last: row.resolved_last_at },
    },
  };
}
export type IncidentListItem = ReturnType<typeof listItem>;

/** The SQL and parameters of one page of the incident list. */
export function incidentListStatement(query: IncidentListQuery): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const filter = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  // Each open status by name, so SQLite seeks them in the status index instead of walking
  // every incident in time order to skip the resolved ones.
  if (query.status === 'open')
    filter(`status IN (${openStatuses.map(() => '?').join(', ')})`, ...openStatuses);
  else if (query.status) filter('status = ?', query.status);
  if (query.severity) filter('severity = ?', query.severity);
  if (query.service) filter('service = ?', query.service);
  if (query.since) filter('started_at >= ?', new Date(query.since).toISOString());
  if (query.until) filter('started_at < ?', new Date(query.until).toISOString());
  if (query.cursor) {
    const [startedAt, id] = decodeCursor(query.cursor, ['string', 'string']);
    filter('(started_at < ? OR (started_at = ? AND id < ?))', startedAt, startedAt, id);
  }
  const sql = `SELECT ${COLUMNS} FROM incidents ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY started_at DESC, id DESC LIMIT ?`;
  return { sql, params: [...params, query.limit + 1] };
}

export async function listIncidents(db: D1Database, query: IncidentListQuery) {
  const { sql, params } = incidentListStatement(query);
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<IncidentRow>();
  const page = results.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(listItem),
    nextCursor: results.length > query.limit && last ? encodeCursor([last.started_at, last.id]) : null,
  };
}

/** One incident: the list fields, its triage, and the folded state (its notes are in the timeline). */
export async function getIncident(db: D1Database, id: string) {
  const row = await db
    .prepare(`SELECT ${COLUMNS}, state FROM incidents WHERE id = ?`)
    .bind(id)
    .first<IncidentRow & { state: string }>();
  if (!row) throw new RequestError(404, 'incident_not_found', `No incident ${id}.`);
  const state = JSON.parse(row.state) as Record<string, unknown> & { triage: unknown };
  return { ...listItem(row), triage: state.triage ?? null, state };
}

type TimelineRow = {
  seq: number;
  version: number;
  at: string;
  type: string;
  actor: string;
  summary: string;
  visibility: string;
};

const timelineItem = (row: TimelineRow) => ({ ...row, actor: JSON.parse(row.actor) });

/**
 * The last `limit` entries of an incident's timeline, in log order, and whether earlier ones
 * were left out: what is happening now matters most to someone watching a long incident.
 */
export async function latestTimeline(db: D1Database, id: string, limit: number) {
  const { results } = await db
    .prepare(
      `SELECT seq, version, at, type, actor, summary, visibility FROM timeline_entries
       WHERE incident_id = ? ORDER BY seq DESC LIMIT ?`,
    )
    .bind(id, limit + 1)
    .all<TimelineRow>();
  return {
    entries: results.slice(0, limit).reverse().map(timelineItem),
    earlierOmitted: results.length > limit,
  };
}

export async function getTimeline(db: D1Database, id: string, query: TimelineQuery) {
  const exists = await db.prepare('SELECT 1 AS found FROM incidents WHERE id = ?').bind(id).first();
  if (!exists) throw new RequestError(404, 'incident_not_found', `No incident ${id}.`);
  const after = query.cursor ? decodeCursor(query.cursor, ['integer'])[0] : 0;
  const { results } = await db
    .prepare(
      `SELECT seq, version, at, type, actor, summary, visibility FROM timeline_entries
       WHERE incident_id = ?1 AND seq > ?2 AND (?3 IS NULL OR visibility = ?3) ORDER BY seq LIMIT ?4`,
    )
    .bind(id, after, query.visibility ?? null, query.limit + 1)
    .all<TimelineRow>();
  const page = results.slice(0, query.limit);
  const last = page.at(-1);
  return {
    incidentId: id,
    entries: page.map(timelineItem),
    nextCursor: results.length > query.limit && last ? encodeCursor([last.seq]) : null,
  };
}
