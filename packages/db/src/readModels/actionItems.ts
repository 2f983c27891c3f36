import type { ActionItemStatus } from '@vigil/core';
import type { ActionItemRecord } from '@vigil/core/projections';
import { jsonArrays } from '../jsonArrays';

const UPSERT = `INSERT INTO action_items (incident_id, id, service, title, kind, owner_role, owner_person, due_date, status,
  failure_reason, added_at, updated_at, version)
SELECT a.value ->> 'incidentId', a.value ->> 'id', a.value ->> 'service', a.value ->> 'title', a.value ->> 'kind',
  a.value ->> 'ownerRole', a.value ->> 'ownerPerson', a.value ->> 'dueDate', a.value ->> 'status', a.value ->> 'failureReason',
  a.value ->> 'addedAt', a.value ->> 'updatedAt', a.value ->> 'version'
FROM json_each(?1) AS a WHERE true
ON CONFLICT (incident_id, id) DO UPDATE SET service = excluded.service, title = excluded.title, kind = excluded.kind,
  owner_role = excluded.owner_role, owner_person = excluded.owner_person, due_date = excluded.due_date,
  status = excluded.status, failure_reason = excluded.failure_reason, updated_at = excluded.updated_at,
  version = excluded.version
WHERE excluded.version > action_items.version`;

/** Statuses that still need someone: everything but completed. */
export const OPEN_ACTION_ITEM_STATUSES: readonly ActionItemStatus[] = ['pending', 'in-progress', 'failed'];

/** An action item as the API lists it. */
export type ActionItemView = {
  readonly incidentId: string;
  readonly id: string;
  readonly service: string;
  readonly title: string;
  readonly kind: string;
  readonly owner: { readonly role: string | null; readonly person: string | null };
  readonly dueDate: string | null;
  readonly status: ActionItemStatus;
  readonly failureReason: string | null;
  readonly addedAt: string;
  readonly updatedAt: string;
};

interface Row {
  incident_id: string;
  id: string;
  service: string;
  title: string;
  kind: string;
  owner_role: string | null;
  owner_person: string | null;
  due_date: string | null;
  status: ActionItemStatus;
  failure_reason: string | null;
  added_at: string;
  updated_at: string;
}

/**
 * The action-items read model: every improvement assigned on any incident, with its status,
 * so "what is still open" is one indexed query.
 *
 * @example
 * await new ActionItems(db).list({ statuses: OPEN_ACTION_ITEM_STATUSES, limit: 50 });
 */
export class ActionItems {
  constructor(private readonly db: D1Database) {}

  writeStatements(items: readonly { item: ActionItemRecord; version: number }[]): D1PreparedStatement[] {
    if (items.length === 0) return [];
    const rows = items.map(({ item, version }) => ({
      incidentId: item.incidentId,
      id: item.id,
      service: item.service,
      title: item.title,
      kind: item.kind,
      ownerRole: item.owner.role,
      ownerPerson: item.owner.person,
      dueDate: item.dueDate,
      status: item.status,
      failureReason: item.failureReason,
      addedAt: new Date(item.added.at).toISOString(),
      updatedAt: new Date(item.updatedAt).toISOString(),
      version,
    }));
    return jsonArrays(rows).map((chunk) => this.db.prepare(UPSERT).bind(chunk));
  }

  /** Items in the given statuses, oldest first, after the `(addedAt, incidentId, id)` cursor. */
  async list({
    statuses,
    service,
    incidentId,
    after,
    limit,
  }: {
    statuses: readonly ActionItemStatus[];
    service?: string;
    incidentId?: string;
    after?: readonly [string, string, string];
    limit: number;
  }): Promise<{ items: ActionItemView[]; more: boolean }> {
    const { results } = await this.db
      .prepare(
        `SELECT incident_id, id, service, title, kind, owner_role, owner_person, due_date, status, failure_reason,
           added_at, updated_at
         FROM action_items
         WHERE status IN (SELECT value FROM json_each(?1)) AND (?2 IS NULL OR service = ?2)
           AND (?3 IS NULL OR incident_id = ?3) AND (?4 IS NULL OR (added_at, incident_id, id) > (?4, ?5, ?6))
         ORDER BY added_at, incident_id, id LIMIT ?7`,
      )
      .bind(
        JSON.stringify(statuses),
        service ?? null,
        incidentId ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        after?.[2] ?? null,
        limit + 1,
      )
      .all<Row>();
    return {
      items: results.slice(0, limit).map((row) => ({
        incidentId: row.incident_id,
        id: row.id,
        service: row.service,
        title: row.title,
        kind: row.kind,
        owner: { role: row.owner_role, person: row.owner_person },
        dueDate: row.due_date,
        status: row.status,
        failureReason: row.failure_reason,
        addedAt: row.added_at,
        updatedAt: row.updated_at,
      })),
      more: results.length > limit,
    };
  }
}
