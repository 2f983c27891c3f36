import type { Severity } from '@vigil/core';
import { ALL_SERVICES, type MetricRollup, type PeriodRollup, rollupFacts } from '@vigil/core/projections';
import { jsonArrays } from '../jsonArrays';
import { MetricFacts, type StoredFact } from './metricFacts';

export type RollupPeriod = 'hour' | 'day';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LENGTH: Readonly<Record<RollupPeriod, number>> = { hour: HOUR, day: DAY };
const iso = (millis: number) => new Date(millis).toISOString();

/**
 * Which rows a query reads: the all-services rows (`all`), one service's (`one`), or every row,
 * all-services and per-service alike (`every`, for breakdowns by service).
 */
export type ServiceScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'one'; readonly service: string }
  | { readonly kind: 'every' };

interface RollupRow {
  period: RollupPeriod;
  bucket: string;
  service: string;
  severity: Severity;
  incidents: number;
  repeats: number;
  digests: string;
}

const toRollup = (row: RollupRow): PeriodRollup => ({
  bucket: row.bucket,
  service: row.service,
  severity: row.severity,
  incidents: row.incidents,
  repeats: row.repeats,
  digests: JSON.parse(row.digests),
});

interface DueBucket {
  period: RollupPeriod;
  bucket: string;
  generation?: number;
}

// Buckets per read-and-write round of a rollup: a day bucket of a busy history holds hundreds of facts.
const ROLL_GROUP = 16;

const DELETE_ROLLUPS = `DELETE FROM metric_rollups WHERE (period, bucket) IN (SELECT k.value ->> 0, k.value ->> 1 FROM json_each(?1) AS k)`;

const INSERT_ROLLUPS = `INSERT INTO metric_rollups (period, bucket, service, severity, incidents, repeats, digests)
SELECT r.value ->> 'period', r.value ->> 'bucket', r.value ->> 'service', r.value ->> 'severity', r.value ->> 'incidents',
  r.value ->> 'repeats', r.value -> 'digests' FROM json_each(?1) AS r`;

// Clean only if no fact was written into the bucket since its generation was read.
const MARK_ROLLED = `UPDATE rollup_buckets SET rolled_generation = k.value ->> 2 FROM json_each(?1) AS k
WHERE rollup_buckets.period = k.value ->> 0 AND rollup_buckets.bucket = k.value ->> 1 AND rollup_buckets.generation = k.value ->> 2`;

/**
 * The buckets of period ?1 inside the ranges of ?2 that ever held a fact, and whether each is
 * clean. CROSS JOIN keeps the ranges the outer loop, so the read is bounded by the window, not
 * by every bucket of the history.
 */
export const BUCKETS_IN = `SELECT b.bucket, b.generation = b.rolled_generation AS clean
FROM json_each(?2) AS r CROSS JOIN rollup_buckets AS b
  ON b.period = ?1 AND b.bucket >= r.value ->> 0 AND b.bucket < r.value ->> 1`;

const inScope = (scope: ServiceScope) => (rollup: MetricRollup) =>
  scope.kind === 'all'
    ? rollup.service === ALL_SERVICES
    : scope.kind === 'one'
      ? rollup.service === scope.service
      : true;

/**
 * Hourly and daily rollups of the metric facts, and the reads that combine them with the
 * facts not rolled up yet. A window is covered by clean day rollups where it can be, clean
 * hour rollups at its edges and inside dirty days, and facts for the rest. Writing a fact
 * creates its buckets, so a bucket that has none never held a fact and is skipped: the cost of
 * a query grows with the days of its window that hold incidents and the unrolled tail, not
 * with the history nor with empty years.
 *
 * @example
 * await new MetricRollups(db).rollDirty();
 * const partials = await new MetricRollups(db).partials({ from, to, scope: { kind: 'all' } });
 */
export class MetricRollups {
  private readonly facts: MetricFacts;
  constructor(private readonly db: D1Database) {
    this.facts = new MetricFacts(db);
  }

  /**
   * Rolls up every bucket written since its last rollup, at most `limit` of them, oldest first,
   * a group of buckets per read and write. Each bucket's rows are replaced as a whole, and the
   * bucket is marked clean only if no fact was written into it meanwhile: re-running gives the
   * same rows, racing runs lose nothing.
   */
  async rollDirty({ limit = 500 }: { limit?: number } = {}): Promise<{ rolled: number; remaining: boolean }> {
    const { results } = await this.db
      .prepare(
        `SELECT period, bucket, generation FROM rollup_buckets WHERE generation > rolled_generation
         ORDER BY period, bucket LIMIT ?`,
      )
      .bind(limit + 1)
      .all<DueBucket>();
    const due = results.slice(0, limit);
    for (const period of ['hour', 'day'] as const) {
      const ofPeriod = due.filter((bucket) => bucket.period === period);
      for (let i = 0; i < ofPeriod.length; i += ROLL_GROUP)
        await this.rollBuckets(ofPeriod.slice(i, i + ROLL_GROUP));
    }
    return { rolled: due.length, remaining: results.length > limit };
  }

  /** Recomputes one bucket's rows from its facts (what `rollDirty` does per bucket). */
  async rollBucket(period: RollupPeriod, bucket: string, generation?: number): Promise<MetricRollup[]> {
    return (
      await this.rollBuckets([{ period, bucket, ...(generation !== undefined && { generation }) }])
    )[0]!;
  }

  /** Rolls buckets of one period: one read of their facts and one batch of writes. */
  private async rollBuckets(buckets: readonly DueBucket[]): Promise<MetricRollup[][]> {
    const facts = await this.facts.startedIn(
      buckets.map(({ period, bucket }) => [bucket, iso(Date.parse(bucket) + LENGTH[period])] as const),
    );
    const byBucket = new Map<string, StoredFact[]>();
    for (const fact of facts) {
      for (const key of [`hour ${fact.hour}`, `day ${fact.day}`]) {
        const list = byBucket.get(key);
        if (list) list.push(fact);
        else byBucket.set(key, [fact]);
      }
    }
    const rollups = buckets.map(({ period, bucket }) =>
      rollupFacts(byBucket.get(`${period} ${bucket}`) ?? []),
    );
    const rows = buckets.flatMap(({ period, bucket }, index) =>
      rollups[index]!.map((rollup) => ({ period, bucket, ...rollup })),
    );
    const marked = buckets.filter((bucket) => bucket.generation !== undefined);
    await this.db.batch([
      this.db
        .prepare(DELETE_ROLLUPS)
        .bind(JSON.stringify(buckets.map(({ period, bucket }) => [period, bucket]))),
      ...jsonArrays(rows).map((chunk) => this.db.prepare(INSERT_ROLLUPS).bind(chunk)),
      ...(marked.length > 0
        ? [
            this.db
              .prepare(MARK_ROLLED)
              .bind(
                JSON.stringify(marked.map(({ period, bucket, generation }) => [period, bucket, generation])),
              ),
          ]
        : []),
    ]);
    return rollups;
  }

  /**
   * The rollups that together cover `[from, to)` exactly once, for one service scope and
   * optionally one severity: stored rollups of clean buckets, and rollups computed on the fly
   * from the facts of everything else (keyed by their hour).
   */
  async partials({
    from,
    to,
    scope,
    severity,
  }: {
    from: string;
    to: string;
    scope: ServiceScope;
    severity?: Severity;
  }): Promise<PeriodRollup[]> {
    const [start, end] = [Date.parse(from), Date.parse(to)];
    const firstDay = Math.ceil(start / DAY) * DAY;
    const lastDay = Math.floor(end / DAY) * DAY;
    const days =
      firstDay < lastDay ? await this.bucketsIn('day', [[firstDay, lastDay]]) : new Map<number, boolean>();
    const cleanDays = [...days].filter(([, clean]) => clean).map(([day]) => day);
    // Everything not covered by a clean day goes down to hours: the edges and the dirty days.
    const hourSpans: [number, number][] = [];
    if (firstDay >= lastDay) hourSpans.push([start, end]);
    else {
      hourSpans.push([start, firstDay], [lastDay, end]);
      for (const [day, clean] of days) if (!clean) hourSpans.push([day, day + DAY]);
    }
    const rawSpans: [number, number][] = [];
    const hourRanges: [number, number][] = [];
    for (const [from, to] of hourSpans) {
      if (to <= from) continue;
      const firstHour = Math.ceil(from / HOUR) * HOUR;
      const lastHour = Math.floor(to / HOUR) * HOUR;
      if (firstHour >= lastHour) {
        rawSpans.push([from, to]);
        continue;
      }
      rawSpans.push([from, firstHour], [lastHour, to]);
      hourRanges.push([firstHour, lastHour]);
    }
    const cleanHours: number[] = [];
    for (const [hour, clean] of await this.bucketsIn('hour', hourRanges)) {
      if (clean) cleanHours.push(hour);
      else rawSpans.push([hour, hour + HOUR]);
    }
    const service = scope.kind === 'one' ? scope.service : null;
    const stored = await this.storedRollups(
      [
        ...cleanDays.map((day) => ['day', iso(day)] as const),
        ...cleanHours.map((hour) => ['hour', iso(hour)] as const),
      ],
      scope,
      severity,
    );
    const facts = await this.facts.startedIn(
      mergeSpans(rawSpans).map(([a, b]) => [iso(a), iso(b)] as const),
      {
        ...(service !== null && { service }),
        ...(severity !== undefined && { severity }),
      },
    );
    return [...stored, ...rollupsByHour(facts).filter(inScope(scope))];
  }

  /** Stored rollup rows, filtered and cursor-paginated in (bucket, service, severity) order. */
  async list({
    period,
    from,
    to,
    service,
    severity,
    after,
    limit,
  }: {
    period: RollupPeriod;
    from: string;
    to: string;
    service?: string;
    severity?: Severity;
    after?: readonly [string, string, string];
    limit: number;
  }): Promise<{ rows: (PeriodRollup & { period: RollupPeriod })[]; more: boolean }> {
    const { results } = await this.db
      .prepare(
        `SELECT period, bucket, service, severity, incidents, repeats, digests FROM metric_rollups
         WHERE period = ?1 AND bucket >= ?2 AND bucket < ?3 AND (?4 IS NULL OR service = ?4) AND (?5 IS NULL OR severity = ?5)
           AND (?6 IS NULL OR (bucket, service, severity) > (?6, ?7, ?8))
         ORDER BY bucket, service, severity LIMIT ?9`,
      )
      .bind(
        period,
        from,
        to,
        service ?? null,
        severity ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        after?.[2] ?? null,
        limit + 1,
      )
      .all<RollupRow>();
    return {
      rows: results.slice(0, limit).map((row) => ({ ...toRollup(row), period: row.period })),
      more: results.length > limit,
    };
  }

  /** The buckets of a period in the ranges that ever held a fact, each with whether it is clean. */
  private async bucketsIn(
    period: RollupPeriod,
    ranges: readonly [number, number][],
  ): Promise<Map<number, boolean>> {
    if (ranges.length === 0) return new Map();
    const { results } = await this.db
      .prepare(BUCKETS_IN)
      .bind(period, JSON.stringify(ranges.map(([a, b]) => [iso(a), iso(b)])))
      .all<{ bucket: string; clean: number }>();
    return new Map(results.map((row) => [Date.parse(row.bucket), row.clean === 1]));
  }

  private async storedRollups(
    buckets: readonly (readonly [RollupPeriod, string])[],
    scope: ServiceScope,
    severity: Severity | undefined,
  ): Promise<PeriodRollup[]> {
    if (buckets.length === 0) return [];
    const { results } = await this.db
      .prepare(
        `SELECT r.period, r.bucket, r.service, r.severity, r.incidents, r.repeats, r.digests
         FROM json_each(?1) AS k JOIN metric_rollups AS r ON r.period = k.value ->> 0 AND r.bucket = k.value ->> 1
         WHERE (CASE ?2 WHEN 'all' THEN r.service = '*' WHEN 'one' THEN r.service = ?3 ELSE true END)
           AND (?4 IS NULL OR r.severity = ?4)`,
      )
      .bind(
        JSON.stringify(buckets),
        scope.kind,
        scope.kind === 'one' ? scope.service : null,
        severity ?? null,
      )
      .all<RollupRow>();
    return results.map(toRollup);
  }
}

function rollupsByHour(facts: readonly StoredFact[]): PeriodRollup[] {
  const byHour = new Map<string, StoredFact[]>();
  for (const fact of facts) {
    const list = byHour.get(fact.hour);
    if (list) list.push(fact);
    else byHour.set(fact.hour, [fact]);
  }
  return [...byHour].flatMap(([bucket, hourFacts]) =>
    rollupFacts(hourFacts).map((rollup) => ({ ...rollup, bucket })),
  );
}

// Adjacent or overlapping spans as one, so the fact query gets few ranges.
function mergeSpans(spans: readonly [number, number][]): [number, number][] {
  const sorted = spans.filter(([a, b]) => b > a).sort(([a], [b]) => a - b);
  const merged: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = merged.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}
