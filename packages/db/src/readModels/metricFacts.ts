import type { Severity } from '@vigil/core';
import type { CountedFact, MetricFact } from '@vigil/core/projections';

/** An ISO instant in the one form stored facts use, so that string order is time order. */
export const utc = (instant: string) => new Date(instant).toISOString();
/** The hour bucket of an instant: `2026-11-29T10:00:00.000Z`. */
export const hourOf = (instant: string) => `${utc(instant).slice(0, 13)}:00:00.000Z`;
/** The day bucket of an instant: `2026-11-29T00:00:00.000Z`. */
export const dayOf = (instant: string) => `${utc(instant).slice(0, 10)}T00:00:00.000Z`;

const UPSERT = `INSERT INTO metric_facts (incident_id, service, kind, severity, started_at, hour, day, time_to_detect,
  time_to_acknowledge, time_to_identify, time_to_mitigate, time_to_resolve, version)
SELECT f.value ->> 'incidentId', f.value ->> 'service', f.value ->> 'kind', f.value ->> 'severity', f.value ->> 'startedAt',
  f.value ->> 'hour', f.value ->> 'day', f.value ->> 'timeToDetect', f.value ->> 'timeToAcknowledge',
  f.value ->> 'timeToIdentify', f.value ->> 'timeToMitigate', f.value ->> 'timeToResolve', f.value ->> 'version'
FROM json_each(?1) AS f WHERE true
ON CONFLICT (incident_id) DO UPDATE SET service = excluded.service, kind = excluded.kind, severity = excluded.severity,
  started_at = excluded.started_at, hour = excluded.hour, day = excluded.day, time_to_detect = excluded.time_to_detect,
  time_to_acknowledge = excluded.time_to_acknowledge, time_to_identify = excluded.time_to_identify,
  time_to_mitigate = excluded.time_to_mitigate, time_to_resolve = excluded.time_to_resolve, version = excluded.version
WHERE excluded.version > metric_facts.version`;

// The buckets of the written facts, and — for a new incident — the buckets of the same
// service and kind in the 30 days after it, whose incidents may have just become repeats.
const MARK_DIRTY = `INSERT INTO rollup_buckets (period, bucket, generation)
SELECT period, bucket, 1 FROM (
  SELECT 'hour' AS period, f.value ->> 'hour' AS bucket FROM json_each(?1) AS f
  UNION SELECT 'day', f.value ->> 'day' FROM json_each(?1) AS f
  UNION SELECT 'hour', later.hour FROM json_each(?2) AS f JOIN metric_facts AS later
    ON later.service = f.value ->> 'service' AND later.kind = f.value ->> 'kind'
    AND later.started_at > f.value ->> 'startedAt'
    AND later.started_at <= strftime('%Y-%m-%dT%H:%M:%fZ', f.value ->> 'startedAt', '+30 days')
  UNION SELECT 'day', later.day FROM json_each(?2) AS f JOIN metric_facts AS later
    ON later.service = f.value ->> 'service' AND later.kind = f.value ->> 'kind'
    AND later.started_at > f.value ->> 'startedAt'
    AND later.started_at <= strftime('%Y-%m-%dT%H:%M:%fZ', f.value ->> 'startedAt', '+30 days')
) WHERE true
ON CONFLICT (period, bucket) DO UPDATE SET generation = rollup_buckets.generation + 1`;

const MARK_ALL_DIRTY = 'UPDATE rollup_buckets SET generation = generation + 1';

const COUNTED = `SELECT f.incident_id, f.service, f.kind, f.severity, f.started_at, f.hour, f.day, f.time_to_detect,
  f.time_to_acknowledge, f.time_to_identify, f.time_to_mitigate, f.time_to_resolve,
  EXISTS (SELECT 1 FROM metric_facts AS p WHERE p.service = f.service AND p.kind = f.kind
    AND p.started_at < f.started_at
    AND p.started_at >= strftime('%Y-%m-%dT%H:%M:%fZ', f.started_at, '-30 days')) AS repeat`;

/**
 * The facts started in the ranges of ?1, optionally of one service (?2) and severity (?3).
 * CROSS JOIN keeps the ranges the outer loop: otherwise SQLite walks every fact in started_at
 * order to skip the sort, and the read grows with the whole history instead of the window.
 */
export const FACTS_STARTED_IN = `${COUNTED} FROM json_each(?1) AS r CROSS JOIN metric_facts AS f
  ON f.started_at >= r.value ->> 0 AND f.started_at < r.value ->> 1
WHERE (?2 IS NULL OR f.service = ?2) AND (?3 IS NULL OR f.severity = ?3)
ORDER BY f.started_at, f.incident_id`;

interface FactRow {
  incident_id: string;
  service: string;
  kind: string;
  severity: Severity;
  started_at: string;
  hour: string;
  day: string;
  time_to_detect: number;
  time_to_acknowledge: number | null;
  time_to_identify: number | null;
  time_to_mitigate: number | null;
  time_to_resolve: number | null;
  repeat: number;
}

/** A fact as read back, with the buckets it falls in. */
export type StoredFact = CountedFact & { readonly hour: string; readonly day: string };

const toFact = (row: FactRow): StoredFact => ({
  incidentId: row.incident_id,
  service: row.service,
  kind: row.kind,
  severity: row.severity,
  startedAt: row.started_at,
  hour: row.hour,
  day: row.day,
  timeToDetect: row.time_to_detect,
  timeToAcknowledge: row.time_to_acknowledge,
  timeToIdentify: row.time_to_identify,
  timeToMitigate: row.time_to_mitigate,
  timeToResolve: row.time_to_resolve,
  repeat: row.repeat === 1,
});

/**
 * The metric-facts read model: one row per incident with its durations. Writing a fact marks
 * its rollup buckets dirty in the same batch, so a rollup can never miss a change.
 *
 * @example
 * await db.batch(new MetricFacts(db).writeStatements([{ fact, version: 3, isNew: false }]));
 */
export class MetricFacts {
  constructor(private readonly db: D1Database) {}

  writeStatements(
    facts: readonly { fact: MetricFact; version: number; isNew: boolean }[],
  ): D1PreparedStatement[] {
    if (facts.length === 0) return [];
    const rows = facts.map(({ fact, version }) => ({
      ...fact,
      startedAt: utc(fact.startedAt),
      hour: hourOf(fact.startedAt),
      day: dayOf(fact.startedAt),
      version,
    }));
    const created = rows.filter((_, index) => facts[index]!.isNew);
    return [
      this.db.prepare(UPSERT).bind(JSON.stringify(rows)),
      this.db.prepare(MARK_DIRTY).bind(JSON.stringify(rows), JSON.stringify(created)),
    ];
  }

  /**
   * Marks every rollup bucket dirty, so the next rollup recomputes them all from the facts as
   * they are now: one statement, however many facts were written.
   */
  async markAllDirty(): Promise<void> {
    await this.db.prepare(MARK_ALL_DIRTY).run();
  }

  /** The facts started in any of the `[from, to)` ranges, with their repeat flag. */
  async startedIn(
    ranges: readonly (readonly [string, string])[],
    filter: { service?: string; severity?: Severity } = {},
  ): Promise<StoredFact[]> {
    if (ranges.length === 0) return [];
    const { results } = await this.db
      .prepare(FACTS_STARTED_IN)
      .bind(JSON.stringify(ranges), filter.service ?? null, filter.severity ?? null)
      .all<FactRow>();
    return results.map(toFact);
  }
}
