import type { Severity } from '@vigil/core';
import { ALL_SERVICES, type MetricRollup, type PeriodRollup, rollupFacts } from '@vigil/core/projections';
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

const inScope = (scope: ServiceScope) => (rollup: MetricRollup) =>
  scope.kind === 'all'
    ? rollup.service === ALL_SERVICES
    : scope.kind === 'one'
      ? rollup.service === scope.service
      : true;

/**
 * Hourly and daily rollups of the metric facts, and the reads that combine them with the
 * facts not rolled up yet. A window is covered by clean day rollups where it can be, clean
 * hour rollups at its edges and inside dirty days, and facts for the rest, so the cost of a
 * query grows with the days in its window and the unrolled tail, not with the history.
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
   * Rolls up every bucket written since its last rollup, at most `limit` of them, oldest first.
   * Each bucket's rows are replaced as a whole, and the bucket is marked clean only if no fact
   * was written into it meanwhile: re-running gives the same rows, racing runs lose nothing.
   */
  async rollDirty({ limit = 500 }: { limit?: number } = {}): Promise<{ rolled: number; remaining: boolean }> {
    const { results } = await this.db
      .prepare(
        `SELECT period, bucket, generation FROM rollup_buckets WHERE generation > rolled_generation
         ORDER BY period, bucket LIMIT ?`,
      )
      .bind(limit + 1)
      .all<{ period: RollupPeriod; bucket: string; generation: number }>();
    const due = results.slice(0, limit);
    for (const bucket of due) await this.rollBucket(bucket.period, bucket.bucket, bucket.generation);
    return { rolled: due.length, remaining: results.length > limit };
  }

  /** Recomputes one bucket's rows from its facts (what `rollDirty` does per bucket). */
  async rollBucket(period: RollupPeriod, bucket: string, generation?: number): Promise<MetricRollup[]> {
    const start = Date.parse(bucket);
    const facts = await this.facts.startedIn([[bucket, iso(start + LENGTH[period])]]);
    const rollups = rollupFacts(facts);
    await this.db.batch([
      this.db.prepare('DELETE FROM metric_rollups WHERE period = ? AND bucket = ?').bind(period, bucket),
      ...(rollups.length > 0
        ? [
            this.db
              .prepare(
                `INSERT INTO metric_rollups (period, bucket, service, severity, incidents, repeats, digests)
                 SELECT ?1, ?2, r.value ->> 'service', r.value ->> 'severity', r.value ->> 'incidents',
                   r.value ->> 'repeats', r.value -> 'digests' FROM json_each(?3) AS r`,
              )
              .bind(period, bucket, JSON.stringify(rollups)),
          ]
        : []),
      ...(generation === undefined
        ? []
        : [
            this.db
              .prepare(
                'UPDATE rollup_buckets SET rolled_generation = ?3 WHERE period = ?1 AND bucket = ?2 AND generation = ?3',
              )
              .bind(period, bucket, generation),
          ]),
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
    const cleanDays =
      firstDay < lastDay ? await this.cleanBuckets('day', firstDay, lastDay) : new Set<number>();
    // Everything not covered by a clean day goes down to hours: the edges and the dirty days.
    const hourSpans: [number, number][] = [];
    if (firstDay >= lastDay) hourSpans.push([start, end]);
    else {
      hourSpans.push([start, firstDay]);
      for (let day = firstDay; day < lastDay; day += DAY)
        if (!cleanDays.has(day)) hourSpans.push([day, day + DAY]);
      hourSpans.push([lastDay, end]);
    }
    const cleanHours = new Set<number>();
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
    for (const hour of await this.cleanBucketsIn('hour', hourRanges)) cleanHours.add(hour);
    for (const [firstHour, lastHour] of hourRanges) {
      for (let hour = firstHour; hour < lastHour; hour += HOUR)
        if (!cleanHours.has(hour)) rawSpans.push([hour, hour + HOUR]);
    }
    const service = scope.kind === 'one' ? scope.service : null;
    const stored = await this.storedRollups(
      [
        ...[...cleanDays].map((day) => ['day', iso(day)] as const),
        ...[...cleanHours].map((hour) => ['hour', iso(hour)] as const),
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

  private async cleanBuckets(period: RollupPeriod, from: number, to: number): Promise<Set<number>> {
    return this.cleanBucketsIn(period, [[from, to]]);
  }

  private async cleanBucketsIn(
    period: RollupPeriod,
    ranges: readonly [number, number][],
  ): Promise<Set<number>> {
    if (ranges.length === 0) return new Set();
    const { results } = await this.db
      .prepare(
        `SELECT b.bucket FROM json_each(?2) AS r JOIN rollup_buckets AS b
           ON b.period = ?1 AND b.bucket >= r.value ->> 0 AND b.bucket < r.value ->> 1
         WHERE b.generation = b.rolled_generation`,
      )
      .bind(period, JSON.stringify(ranges.map(([a, b]) => [iso(a), iso(b)])))
      .all<{ bucket: string }>();
    return new Set(results.map((row) => Date.parse(row.bucket)));
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
  for (const fact of facts) byHour.set(fact.hour, [...(byHour.get(fact.hour) ?? []), fact]);
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
