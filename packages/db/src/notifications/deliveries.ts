import type { Severity } from '@vigil/contracts';
import { jsonArrays } from '../jsonArrays';

/** Where a delivery stands. `folded` events travel inside a digest; the last four are final. */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dead' | 'folded' | 'cancelled';

/** One event (or one digest of events) for one channel, as the delivery log keeps it. */
export interface Delivery {
  id: string;
  kind: 'event' | 'digest';
  channelId: string;
  channelType: string;
  /** Redacted: never a secret. */
  target: string;
  incidentId: string;
  eventSeq: number;
  eventType: string;
  severity: Severity;
  status: DeliveryStatus;
  digestId: string | null;
  /** The repage window the event opens when it goes out on its own (null: it opens none). */
  windowEndsAt: string | null;
  attempts: number;
  recordedAttempt: number;
  dueAt: string;
  enqueuedAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * A delivery the notifier decided on while following the log. An event with a `digestId` is
 * folded into that digest if the digest has not left yet, and delivered on its own otherwise.
 */
export type PlannedDelivery = Pick<
  Delivery,
  | 'id'
  | 'kind'
  | 'channelId'
  | 'channelType'
  | 'target'
  | 'incidentId'
  | 'eventSeq'
  | 'eventType'
  | 'severity'
  | 'digestId'
  | 'windowEndsAt'
  | 'dueAt'
>;

/** The latest page of an incident on a channel: the event that opened its repage window. */
export interface Page {
  channelId: string;
  incidentId: string;
  eventSeq: number;
  severity: Severity;
  windowEndsAt: string;
}

interface DeliveryRow {
  id: string;
  kind: 'event' | 'digest';
  channel_id: string;
  channel_type: string;
  target: string;
  incident_id: string;
  event_seq: number;
  event_type: string;
  severity: Severity;
  status: DeliveryStatus;
  digest_id: string | null;
  window_ends_at: string | null;
  attempts: number;
  recorded_attempt: number;
  due_at: string;
  enqueued_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

// Plans travel as one JSON parameter per statement (D1 allows 100 bound parameters); jsonArrays
// keeps each parameter under D1's value size limit.

const INSERT_COLUMNS = `id, kind, channel_id, channel_type, target, incident_id, event_seq, event_type, severity, status,
  digest_id, window_ends_at, due_at, created_at, updated_at`;
const PLANNED = (field: string) => `p.value ->> '$.${field}'`;
const PLANNED_VALUES = `${PLANNED('id')}, ${PLANNED('kind')}, ${PLANNED('channelId')}, ${PLANNED('channelType')},
  ${PLANNED('target')}, ${PLANNED('incidentId')}, ${PLANNED('eventSeq')}, ${PLANNED('eventType')}, ${PLANNED('severity')}`;

// A digest is created pending; INSERT OR IGNORE because a replayed plan names the same ids.
const INSERT_DIGESTS = `INSERT OR IGNORE INTO notification_deliveries (${INSERT_COLUMNS})
SELECT ${PLANNED_VALUES}, 'pending', NULL, NULL, ${PLANNED('dueAt')}, ?2, ?2
FROM json_each(?1) AS p WHERE ${PLANNED('kind')} = 'digest'`;

// Folding is decided by SQL, not by what the planner read: a digest that is already being sent
// takes nothing more, and the next statement then delivers the event on its own.
const FOLD_EVENTS = `INSERT OR IGNORE INTO notification_deliveries (${INSERT_COLUMNS})
SELECT ${PLANNED_VALUES}, 'folded', ${PLANNED('digestId')}, NULL, ${PLANNED('dueAt')}, ?2, ?2
FROM json_each(?1) AS p
WHERE ${PLANNED('kind')} = 'event' AND ${PLANNED('digestId')} IS NOT NULL
  AND EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.id = ${PLANNED('digestId')} AND d.status = 'pending')`;

const INSERT_EVENTS = `INSERT OR IGNORE INTO notification_deliveries (${INSERT_COLUMNS})
SELECT ${PLANNED_VALUES}, 'pending', NULL, ${PLANNED('windowEndsAt')}, ${PLANNED('dueAt')}, ?2, ?2
FROM json_each(?1) AS p WHERE ${PLANNED('kind')} = 'event'`;

// One incident's deliveries to one channel, in event order (index notification_deliveries_incident).
export const EARLIER_OPEN = `SELECT status, due_at FROM notification_deliveries
WHERE channel_id = ?1 AND incident_id = ?2 AND event_seq < ?3 AND status IN (SELECT value FROM json_each(?4))
ORDER BY due_at DESC LIMIT 1`;

export const LATER_EVENT_TYPES = `SELECT event_type FROM notification_deliveries
WHERE channel_id = ?1 AND incident_id = ?2 AND kind = 'event' AND event_seq > ?3 AND status IN ('pending', 'sending', 'sent')
ORDER BY event_seq`;

export const CHANNELS_TOLD = `SELECT channel_id, incident_id FROM notification_deliveries WHERE incident_id IN (SELECT value FROM json_each(?1))
UNION
SELECT channel_id, incident_id FROM notification_external_incidents WHERE incident_id IN (SELECT value FROM json_each(?1))`;

/**
 * The notifier's delivery log in D1: which event goes to which channel, what became of each
 * attempt, and the outbox of jobs still to put on the queue. Ids are stable, so every write is
 * idempotent, and a claim is a compare-and-set, so two consumers never send one delivery at once.
 *
 * @example
 * const deliveries = new Deliveries(env.DB);
 * await env.DB.batch([...deliveries.planStatements(planned, now), ...checkpointAdvance]);
 * const claimed = await deliveries.claim(id, now, leaseUntil);
 */
export class Deliveries {
  constructor(private readonly db: D1Database) {}

  /** Statements that record a plan; commit them in one batch with the checkpoint they cover. */
  planStatements(planned: readonly PlannedDelivery[], now: Date): D1PreparedStatement[] {
    const at = now.toISOString();
    const digests = planned.filter((delivery) => delivery.kind === 'digest');
    const events = planned.filter((delivery) => delivery.kind === 'event');
    // Digests first: the events folded into them look them up in the same batch.
    return [
      ...jsonArrays(digests).map((chunk) => this.db.prepare(INSERT_DIGESTS).bind(chunk, at)),
      ...jsonArrays(events.filter((event) => event.digestId !== null)).map((chunk) =>
        this.db.prepare(FOLD_EVENTS).bind(chunk, at),
      ),
      ...jsonArrays(events).map((chunk) => this.db.prepare(INSERT_EVENTS).bind(chunk, at)),
    ];
  }

  /** The latest page of each of these incidents on each channel. */
  async latestPages(incidentIds: readonly string[]): Promise<Page[]> {
    if (incidentIds.length === 0) return [];
    const { results } = await this.db
      .prepare(
        `SELECT channel_id, incident_id, event_seq, severity, window_ends_at FROM notification_deliveries d
         WHERE d.incident_id IN (SELECT value FROM json_each(?1)) AND d.kind = 'event' AND d.window_ends_at IS NOT NULL
           AND d.event_seq = (SELECT MAX(event_seq) FROM notification_deliveries l
             WHERE l.incident_id = d.incident_id AND l.channel_id = d.channel_id AND l.kind = 'event' AND l.window_ends_at IS NOT NULL)`,
      )
      .bind(JSON.stringify(incidentIds))
      .all<{
        channel_id: string;
        incident_id: string;
        event_seq: number;
        severity: Severity;
        window_ends_at: string;
      }>();
    return results.map((row) => ({
      channelId: row.channel_id,
      incidentId: row.incident_id,
      eventSeq: row.event_seq,
      severity: row.severity,
      windowEndsAt: row.window_ends_at,
    }));
  }

  /** The status of each of these deliveries that exists. */
  async statuses(ids: readonly string[]): Promise<Map<string, DeliveryStatus>> {
    if (ids.length === 0) return new Map();
    const { results } = await this.db
      .prepare('SELECT id, status FROM notification_deliveries WHERE id IN (SELECT value FROM json_each(?))')
      .bind(JSON.stringify(ids))
      .all<{ id: string; status: DeliveryStatus }>();
    return new Map(results.map((row) => [row.id, row.status]));
  }

  /**
   * Jobs to put on the queue: those never enqueued, and those whose message was lost (still
   * open long after they were due, and not enqueued again since).
   */
  async outbox(staleBefore: Date, limit = 100): Promise<Delivery[]> {
    const stale = staleBefore.toISOString();
    const { results } = await this.db
      .prepare(
        `SELECT * FROM notification_deliveries
         WHERE status IN ('pending', 'sending') AND (enqueued_at IS NULL OR (enqueued_at < ?1 AND due_at < ?1))
         ORDER BY due_at, id LIMIT ?2`,
      )
      .bind(stale, limit)
      .all<DeliveryRow>();
    return results.map(toDelivery);
  }

  async markEnqueued(ids: readonly string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .prepare(
        'UPDATE notification_deliveries SET enqueued_at = ?1 WHERE id IN (SELECT value FROM json_each(?2))',
      )
      .bind(now.toISOString(), JSON.stringify(ids))
      .run();
  }

  async get(id: string): Promise<Delivery | undefined> {
    const row = await this.db
      .prepare('SELECT * FROM notification_deliveries WHERE id = ?')
      .bind(id)
      .first<DeliveryRow>();
    return row ? toDelivery(row) : undefined;
  }

  /** Every delivery about an incident, in log order: what was sent where, and how it went. */
  async forIncident(incidentId: string): Promise<Delivery[]> {
    const { results } = await this.db
      .prepare(
        'SELECT * FROM notification_deliveries WHERE incident_id = ? ORDER BY event_seq, kind, channel_id',
      )
      .bind(incidentId)
      .all<DeliveryRow>();
    return results.map(toDelivery);
  }

  /**
   * Takes a delivery for one attempt, until `leaseUntil`: only a pending delivery that is due (a
   * receiver's Retry-After holds for every copy of the job), or one whose previous sender's lease
   * ran out, can be taken. Undefined when someone else holds it, it is not due yet, or it is over.
   */
  async claim(id: string, now: Date, leaseUntil: Date): Promise<Delivery | undefined> {
    const row = await this.db
      .prepare(
        `UPDATE notification_deliveries SET status = 'sending', attempts = attempts + 1, due_at = ?1, updated_at = ?2
         WHERE id = ?3 AND status IN ('pending', 'sending') AND due_at <= ?2 RETURNING *`,
      )
      .bind(leaseUntil.toISOString(), now.toISOString(), id)
      .first<DeliveryRow>();
    return row ? toDelivery(row) : undefined;
  }

  /**
   * Records how an attempt ended. Only the holder of that attempt can: a sender whose lease ran
   * out and was overtaken changes nothing.
   */
  async finish(
    id: string,
    attempt: number,
    outcome: { status: DeliveryStatus; lastError: string | null; dueAt: Date },
    now: Date,
  ): Promise<Delivery | undefined> {
    const row = await this.db
      .prepare(
        `UPDATE notification_deliveries SET status = ?1, last_error = ?2, due_at = ?3, updated_at = ?4
         WHERE id = ?5 AND attempts = ?6 AND status = 'sending' RETURNING *`,
      )
      .bind(outcome.status, outcome.lastError, outcome.dueAt.toISOString(), now.toISOString(), id, attempt)
      .first<DeliveryRow>();
    return row ? toDelivery(row) : undefined;
  }

  /**
   * Gives up on a delivery whose job failed on every copy before an outcome could be stored:
   * dead, with the reason, so the sweep never puts it on the queue again and no later delivery
   * waits for it. One whose sender still holds its lease is left to that sender. Undefined when
   * nothing changed.
   */
  async giveUp(id: string, reason: string, now: Date): Promise<Delivery | undefined> {
    const at = now.toISOString();
    const row = await this.db
      .prepare(
        `UPDATE notification_deliveries SET status = 'dead', last_error = ?1, due_at = ?2, updated_at = ?2
         WHERE id = ?3 AND (status = 'pending' OR (status = 'sending' AND due_at <= ?2)) RETURNING *`,
      )
      .bind(reason, at, id)
      .first<DeliveryRow>();
    return row ? toDelivery(row) : undefined;
  }

  /** Notes that the outcome of `attempt` is in the incident's log. */
  async markRecorded(id: string, attempt: number): Promise<void> {
    await this.db
      .prepare(
        'UPDATE notification_deliveries SET recorded_attempt = MAX(recorded_attempt, ?1) WHERE id = ?2',
      )
      .bind(attempt, id)
      .run();
  }

  /**
   * The earlier delivery of the same incident to the same channel, in one of these statuses,
   * that is due last (its retry, or the end of its sender's lease): what a delivery that must
   * not overtake it waits for. Undefined when there is none.
   */
  async earlierOpen(
    delivery: Pick<Delivery, 'channelId' | 'incidentId' | 'eventSeq'>,
    statuses: readonly ('pending' | 'sending')[],
  ): Promise<Pick<Delivery, 'status' | 'dueAt'> | undefined> {
    const row = await this.db
      .prepare(EARLIER_OPEN)
      .bind(delivery.channelId, delivery.incidentId, delivery.eventSeq, JSON.stringify(statuses))
      .first<{ status: DeliveryStatus; due_at: string }>();
    return row ? { status: row.status, dueAt: row.due_at } : undefined;
  }

  /**
   * The types of the events after `afterSeq` of the same incident that the same channel has been
   * sent, or may still be: a later event can make an earlier delivery stale.
   */
  async laterEventTypes(
    delivery: Pick<Delivery, 'channelId' | 'incidentId'>,
    afterSeq: number,
  ): Promise<string[]> {
    const { results } = await this.db
      .prepare(LATER_EVENT_TYPES)
      .bind(delivery.channelId, delivery.incidentId, afterSeq)
      .all<{ event_type: string }>();
    return results.map((row) => row.event_type);
  }

  /**
   * Which channels have already been told of each of these incidents: a delivery planned for it,
   * or an incident of its own on an external status page.
   */
  async channelsTold(incidentIds: readonly string[]): Promise<{ channelId: string; incidentId: string }[]> {
    if (incidentIds.length === 0) return [];
    const { results } = await this.db
      .prepare(CHANNELS_TOLD)
      .bind(JSON.stringify(incidentIds))
      .all<{ channel_id: string; incident_id: string }>();
    return results.map((row) => ({ channelId: row.channel_id, incidentId: row.incident_id }));
  }

  /** The events folded into a digest, in log order. */
  async foldedInto(digestId: string): Promise<number[]> {
    const { results } = await this.db
      .prepare(
        `SELECT event_seq FROM notification_deliveries WHERE digest_id = ? AND status = 'folded' ORDER BY event_seq`,
      )
      .bind(digestId)
      .all<{ event_seq: number }>();
    return results.map((row) => row.event_seq);
  }
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    kind: row.kind,
    channelId: row.channel_id,
    channelType: row.channel_type,
    target: row.target,
    incidentId: row.incident_id,
    eventSeq: row.event_seq,
    eventType: row.event_type,
    severity: row.severity,
    status: row.status,
    digestId: row.digest_id,
    windowEndsAt: row.window_ends_at,
    attempts: row.attempts,
    recordedAttempt: row.recorded_attempt,
    dueAt: row.due_at,
    enqueuedAt: row.enqueued_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
