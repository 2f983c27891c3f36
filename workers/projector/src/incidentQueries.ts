import { type Severity, severities } from '@vigil/core';
import { RequestError } from '@vigil/http';
import { z } from 'zod';

const Status = z.enum(['detected', 'triaged', 'acknowledged', 'identified', 'mitigated', 'resolved', 'open']);

export const IncidentListQuery = z
  .object({
    status: Status.optional(),
    severity: z.enum(severities as unknown as [Severity, ...Severity[]]).optional(),
    service: z.string().min(1).max(128).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    cursor: z.string().max(512).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type IncidentListQuery = z.infer<typeof IncidentListQuery>;

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
  identified_first_at: string | null;
  mitigated_first_at: string | null;
  mitigated_last_at: string | null;
  resolved_at: string | null;
  version: number;
}

/** An incident as lists show it. */
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
  };
}

// Cursor: the (startedAt, id) of the last item, base64url, so pages are stable while incidents arrive.
const encodeCursor = (row: IncidentRow) => btoa(JSON.stringify([row.started_at, row.id])).replaceAll('=', '');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(atob(cursor));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) {
      return value as [string, string];
    }
  } catch {}
  throw new RequestError(400, 'invalid_cursor', 'The cursor is not one this API returned.', [
    { path: '/cursor', message: 'unknown cursor' },
  ]);
}

export async function listIncidents(db: D1Database, query: IncidentListQuery) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.status === 'open') where.push("status <> 'resolved'");
  else if (query.status) where.push('status = ?') && params.push(query.status);
  if (query.severity) where.push('severity = ?') && params.push(query.severity);
  if (query.service) where.push('service = ?') && params.push(query.service);
  if (query.since) where.push('started_at >= ?') && params.push(new Date(query.since).toISOString());
  if (query.until) where.push('started_at < ?') && params.push(new Date(query.until).toISOString());
  if (query.cursor) {
    const [startedAt, id] = decodeCursor(query.cursor);
    where.push('(started_at < ? OR (started_at = ? AND id < ?))');
    params.push(startedAt, startedAt, id);
  }
  const sql = `SELECT id, service, kind, severity, status, title, category, owner_role, started_at, detected_at,
      acknowledged_first_at, identified_first_at, mitigated_first_at, mitigated_last_at, resolved_at, version
    FROM incidents ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY started_at DESC, id DESC LIMIT ?`;
  const { results } = await db
    .prepare(sql)
    .bind(...params, query.limit + 1)
    .all<IncidentRow>();
  const page = results.slice(0, query.limit);
  return {
    items: page.map(listItem),
    nextCursor: results.length > query.limit ? encodeCursor(page.at(-1)!) : null,
  };
}

export async function getIncident(db: D1Database, id: string) {
  const row = await db
    .prepare('SELECT id, version, last_seq, state, updated_at FROM incidents WHERE id = ?')
    .bind(id)
    .first<{ id: string; version: number; last_seq: number; state: string; updated_at: string }>();
  if (!row) throw new RequestError(404, 'incident_not_found', `No incident ${id}.`);
  return { id: row.id, version: row.version, state: JSON.parse(row.state) as Record<string, unknown> };
}

export async function getTimeline(db: D1Database, id: string) {
  await getIncident(db, id);
  const { results } = await db
    .prepare(
      'SELECT seq, version, at, type, actor, summary, visibility FROM timeline_entries WHERE incident_id = ? ORDER BY seq',
    )
    .bind(id)
    .all<{
      seq: number;
      version: number;
      at: string;
      type: string;
      actor: string;
      summary: string;
      visibility: string;
    }>();
  return {
    incidentId: id,
    entries: results.map((row) => ({ ...row, actor: JSON.parse(row.actor) })),
  };
}
