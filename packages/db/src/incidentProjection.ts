import { type IncidentEvent, isKnownIncidentEvent, noRecordedNotifications, stateView } from '@vigil/core';
import {
  type ActionItemRecord,
  actionItemRecords,
  emptyIncidentSummary,
  type IncidentSummary,
  type MetricFact,
  metricFactOf,
  type PublicIncident,
  projectIncidentSummary,
  projectPublicIncident,
  timelineEntry,
} from '@vigil/core/projections';
import { carriedPage } from './carriedEvents';
import { Checkpoints } from './checkpoints';
import { isCheckpointMoved } from './errors';
import { EventStore, type RecordedEvent } from './eventStore';
import { jsonArrays } from './jsonArrays';
import { ActionItems } from './readModels/actionItems';
import { MetricFacts, utc } from './readModels/metricFacts';
import { PublicIncidents } from './readModels/publicIncidents';
import { READ_MODEL_TABLES } from './readModels/readModelTables';

export interface CatchUpResult {
  /** Events applied by this run. */
  applied: number;
  /** The checkpoint after this run. */
  position: number;
  /** False when it stopped at `maxPages` with more of the log to read. */
  caughtUp: boolean;
}

interface SummaryRow {
  id: string;
  version: number;
  state: string;
  acknowledged_first_at: string | null;
  acknowledged_last_at: string | null;
  identified_first_at: string | null;
  identified_last_at: string | null;
  mitigated_first_at: string | null;
  mitigated_last_at: string | null;
  resolved_first_at: string | null;
  resolved_last_at: string | null;
}

// One statement for every incident a page touches: a rebuild writes thousands of rows per batch.
const UPSERT_INCIDENTS = `INSERT INTO incidents (id, service, kind, severity, status, title, category, owner_role, started_at, detected_at,
  acknowledged_first_at, acknowledged_last_at, identified_first_at, identified_last_at, mitigated_first_at, mitigated_last_at,
  resolved_first_at, resolved_last_at, resolved_at, version, last_seq, state, updated_at)
SELECT r.value ->> 'id', r.value ->> 'service', r.value ->> 'kind', r.value ->> 'severity', r.value ->> 'status',
  r.value ->> 'title', r.value ->> 'category', r.value ->> 'ownerRole', r.value ->> 'startedAt', r.value ->> 'detectedAt',
  r.value ->> 'acknowledgedFirst', r.value ->> 'acknowledgedLast', r.value ->> 'identifiedFirst', r.value ->> 'identifiedLast',
  r.value ->> 'mitigatedFirst', r.value ->> 'mitigatedLast', r.value ->> 'resolvedFirst', r.value ->> 'resolvedLast',
  r.value ->> 'resolvedAt', r.value ->> 'version', r.value ->> 'lastSeq', r.value ->> 'state', ?2
FROM json_each(?1) AS r WHERE true
ON CONFLICT (id) DO UPDATE SET service = excluded.service, kind = excluded.kind, severity = excluded.severity,
  status = excluded.status, title = excluded.title, category = excluded.category, owner_role = excluded.owner_role,
  started_at = excluded.started_at, detected_at = excluded.detected_at,
  acknowledged_first_at = excluded.acknowledged_first_at, acknowledged_last_at = excluded.acknowledged_last_at,
  identified_first_at = excluded.identified_first_at, identified_last_at = excluded.identified_last_at,
  mitigated_first_at = excluded.mitigated_first_at, mitigated_last_at = excluded.mitigated_last_at,
  resolved_first_at = excluded.resolved_first_at, resolved_last_at = excluded.resolved_last_at,
  resolved_at = excluded.resolved_at, version = excluded.version, last_seq = excluded.last_seq,
  state = excluded.state, updated_at = excluded.updated_at
WHERE excluded.version > incidents.version`;

const INSERT_TIMELINE = `INSERT OR IGNORE INTO timeline_entries (seq, incident_id, version, at, type, actor, summary, visibility)
SELECT e.value ->> 'seq', e.value ->> 'incidentId', e.value ->> 'version', e.value ->> 'at', e.value ->> 'type',
  e.value -> 'actor', e.value ->> 'summary', e.value ->> 'visibility'
FROM json_each(?1) AS e`;

/**
 * Every projector read model: incident list and detail, timeline, metric facts, the public
 * status page (incidents, impact periods, components) and action items. Each run reads the
 * log after the checkpoint in global order and commits the new rows and the checkpoint in one
 * D1 batch; rows only move forward by stream version, so redelivered or concurrent runs change
 * nothing, and the order wake-ups arrive in does not matter.
 *
 * @example
 * await new IncidentProjection(env.DB).catchUp();
 */
export class IncidentProjection {
  private readonly store: EventStore;
  private readonly checkpoints: Checkpoints;
  private readonly facts: MetricFacts;
  private readonly publicIncidents: PublicIncidents;
  private readonly actionItems: ActionItems;

  constructor(
    private readonly db: D1Database,
    readonly consumer = 'projector',
  ) {
    this.store = new EventStore(db);
    this.checkpoints = new Checkpoints(db);
    this.facts = new MetricFacts(db);
    this.publicIncidents = new PublicIncidents(db);
    this.actionItems = new ActionItems(db);
  }

  async catchUp({
    pageSize = 500,
    maxPages = 40,
    rebuilding = false,
    carried = [],
  }: {
    pageSize?: number;
    maxPages?: number;
    /** Events that wake-ups carried: a page they hold is not read from the log again. */
    carried?: readonly RecordedEvent[];
    /**
     * While rebuilding, every fact's own rollup bucket is marked when it is written, and the
     * rebuild marks every bucket dirty once its replay is done, so re-marking later incidents'
     * buckets for each new fact is skipped.
     */
    rebuilding?: boolean;
  } = {}): Promise<CatchUpResult> {
    let applied = 0;
    for (let page = 0; page < maxPages; page++) {
      const from = await this.checkpoints.position(this.consumer);
      const events =
        carriedPage<IncidentEvent>(carried, from, pageSize) ??
        (await this.store.readAll<IncidentEvent>({ after: from, limit: pageSize }));
      if (events.length === 0) return { applied, position: from, caughtUp: true };
      const to = events.at(-1)!.seq;
      try {
        await this.db.batch([
          ...(await this.applyStatements(events, rebuilding)),
          ...this.checkpoints.advanceStatements(this.consumer, from, to),
        ]);
        applied += events.length;
      } catch (error) {
        // Another run applied this page first; carry on from wherever it left the checkpoint.
        if (!isCheckpointMoved(error)) throw error;
      }
    }
    const position = await this.checkpoints.position(this.consumer);
    return { applied, position, caughtUp: position >= (await this.store.headPosition()) };
  }

  /**
   * Drops every row of these read models and replays the whole log into them, `pageSize` events
   * per batch, then marks every rollup bucket dirty for the rollup that follows.
   */
  async rebuild({ pageSize = 1000 }: { pageSize?: number } = {}): Promise<CatchUpResult> {
    await this.db.batch([
      ...READ_MODEL_TABLES.map((table) => this.db.prepare(`DELETE FROM ${table}`)),
      this.checkpoints.resetStatement(this.consumer),
    ]);
    let total = 0;
    for (;;) {
      const result = await this.catchUp({ pageSize, maxPages: 100, rebuilding: true });
      total += result.applied;
      if (result.caughtUp) {
        // The log is in seq order but repeats follow start times: a cron rollup during the replay
        // may have rolled a bucket before an incident that started earlier, logged later, came in.
        // One UPDATE of every bucket is cheaper than marking later incidents' buckets per fact.
        await this.facts.markAllDirty();
        return { ...result, applied: total };
      }
    }
  }

  private async applyStatements(
    events: RecordedEvent<IncidentEvent>[],
    rebuilding: boolean,
  ): Promise<D1PreparedStatement[]> {
    const incidentEvents = events.filter(isKnownIncidentEvent);
    // Every stream the page touches, types this Worker does not know yet included: they change
    // nothing it projects, but the incident's version (its ETag, sent back as If-Match) is the stream's.
    const byStream = new Map<string, RecordedEvent<IncidentEvent>[]>();
    for (const event of events) {
      const list = byStream.get(event.streamId) ?? [];
      list.push(event);
      byStream.set(event.streamId, list);
    }
    const ids = [...byStream.keys()];
    const [current, publicModels] = await Promise.all([
      this.loadSummaries(ids),
      this.publicIncidents.load(ids),
    ]);
    const statements: D1PreparedStatement[] = [];
    const facts: { fact: MetricFact; version: number; isNew: boolean }[] = [];
    const changedPublic: PublicIncident[] = [];
    const items: { item: ActionItemRecord; version: number }[] = [];
    const now = new Date().toISOString();
    const incidentRows: Record<string, unknown>[] = [];
    for (const [incidentId, pageEvents] of byStream) {
      const streamEvents = pageEvents.filter(isKnownIncidentEvent);
      const before = current.get(incidentId) ?? emptyIncidentSummary;
      const known = streamEvents.reduce(projectIncidentSummary, before);
      const after = { ...known, version: Math.max(known.version, pageEvents.at(-1)!.version) };
      const publicBefore = publicModels.get(incidentId) ?? null;
      const publicAfter = streamEvents.reduce(projectPublicIncident, publicBefore);
      if (publicAfter && publicAfter !== publicBefore) changedPublic.push(publicAfter);
      if (after.version === before.version || after.state.status === 'none') continue;
      incidentRows.push(incidentRow(incidentId, after, pageEvents.at(-1)!.seq));
      const fact = metricFactOf(after);
      if (fact) facts.push({ fact, version: after.version, isNew: before.version === 0 && !rebuilding });
      for (const item of actionItemRecords(after.state)) items.push({ item, version: after.version });
    }
    for (const rows of jsonArrays(incidentRows))
      statements.push(this.db.prepare(UPSERT_INCIDENTS).bind(rows, now));
    statements.push(
      ...this.facts.writeStatements(facts),
      ...(await this.publicIncidents.writeStatements(changedPublic)),
      ...this.actionItems.writeStatements(items),
    );
    if (incidentEvents.length > 0) {
      const entries = incidentEvents.map((event) => {
        const entry = timelineEntry(event);
        return {
          seq: event.seq,
          incidentId: event.streamId,
          version: event.version,
          at: entry.at,
          type: entry.type,
          actor: entry.actor,
          summary: entry.summary,
          visibility: entry.visibility,
        };
      });
      for (const rows of jsonArrays(entries)) statements.push(this.db.prepare(INSERT_TIMELINE).bind(rows));
    }
    return statements;
  }

  private async loadSummaries(ids: string[]): Promise<Map<string, IncidentSummary>> {
    const summaries = new Map<string, IncidentSummary>();
    if (ids.length === 0) return summaries;
    const { results } = await this.db
      .prepare(
        `SELECT id, version, state, acknowledged_first_at, acknowledged_last_at, identified_first_at, identified_last_at,
           mitigated_first_at, mitigated_last_at, resolved_first_at, resolved_last_at
         FROM incidents WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .bind(JSON.stringify(ids))
      .all<SummaryRow>();
    for (const row of results) {
      summaries.set(row.id, {
        // Stored without recorded deliveries (see stateView); the projection only adds to them.
        state: { notifications: noRecordedNotifications, ...JSON.parse(row.state) },
        version: row.version,
        acknowledged: { first: row.acknowledged_first_at, last: row.acknowledged_last_at },
        identified: { first: row.identified_first_at, last: row.identified_last_at },
        mitigated: { first: row.mitigated_first_at, last: row.mitigated_last_at },
        resolved: { first: row.resolved_first_at, last: row.resolved_last_at },
      });
    }
    return summaries;
  }
}

const utcOrNull = (instant: string | null) => (instant === null ? null : utc(instant));

// Times are stored in one UTC form, so that string order is time order: an event in the log
// may carry a UTC offset, and lists, filters and cursors compare these columns as text.
function incidentRow(incidentId: string, summary: IncidentSummary, lastSeq: number): Record<string, unknown> {
  const state = summary.state;
  if (state.status === 'none') throw new Error('an absent incident has no row');
  return {
    id: incidentId,
    service: state.service,
    kind: state.kind,
    severity: state.severity,
    status: state.status,
    title: state.title,
    category: state.triage?.category ?? null,
    ownerRole: state.triage?.ownerRole ?? null,
    startedAt: utc(state.startedAt),
    detectedAt: utc(state.detectedAt),
    acknowledgedFirst: utcOrNull(summary.acknowledged.first),
    acknowledgedLast: utcOrNull(summary.acknowledged.last),
    identifiedFirst: utcOrNull(summary.identified.first),
    identifiedLast: utcOrNull(summary.identified.last),
    mitigatedFirst: utcOrNull(summary.mitigated.first),
    mitigatedLast: utcOrNull(summary.mitigated.last),
    resolvedFirst: utcOrNull(summary.resolved.first),
    resolvedLast: utcOrNull(summary.resolved.last),
    resolvedAt: state.status === 'resolved' ? utcOrNull(state.resolution?.at ?? summary.resolved.last) : null,
    version: summary.version,
    lastSeq,
    state: JSON.stringify(stateView(state)),
  };
}
