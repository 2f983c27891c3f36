/** A metrics snapshot reduced to what a minute bucket keeps. */
export interface MetricSample {
  id: string;
  service: string;
  /** The snapshot's time, ISO-8601. */
  at: string;
  requests: number;
  errors: number;
  p95?: number;
  histogram?: number[];
  availability?: number;
}

export interface DeploymentSample {
  id: string;
  service: string;
  at: string;
  version: string;
  commit?: string;
  author?: string;
}

/** Sums over the minute buckets of one rolling window. */
export interface WindowTotals {
  requests: number;
  errors: number;
  /** The largest p95 any snapshot without a histogram reported; null when all sent histograms. */
  p95Max: number | null;
  histogram: number[];
  availability: number | null;
  firstAt: string | null;
}

/** One minute of one service, as folded. */
export interface MinuteBucket {
  requests: number;
  errors: number;
  p95Max: number | null;
  availabilitySum: number;
  availabilitySamples: number;
  firstAt: string;
  histogram: number[];
}

/** Sums the minute buckets of one window into its totals. */
export function sumBuckets(buckets: MinuteBucket[]): WindowTotals {
  const histogram: number[] = [];
  let requests = 0;
  let errors = 0;
  let p95Max: number | null = null;
  let availabilitySum = 0;
  let availabilitySamples = 0;
  let firstAt: string | null = null;
  for (const bucket of buckets) {
    requests += bucket.requests;
    errors += bucket.errors;
    if (bucket.p95Max !== null) p95Max = p95Max === null ? bucket.p95Max : Math.max(p95Max, bucket.p95Max);
    availabilitySum += bucket.availabilitySum;
    availabilitySamples += bucket.availabilitySamples;
    if (firstAt === null || bucket.firstAt < firstAt) firstAt = bucket.firstAt;
    bucket.histogram.forEach((count, index) => {
      while (histogram.length <= index) histogram.push(0);
      histogram[index] = (histogram[index] ?? 0) + count;
    });
  }
  return {
    requests,
    errors,
    p95Max,
    histogram,
    availability: availabilitySamples > 0 ? availabilitySum / availabilitySamples : null,
    firstAt,
  };
}

/** 'YYYY-MM-DDTHH:MM' in UTC: the minute bucket of a time. */
export function minuteOf(at: string | Date): string {
  return new Date(at).toISOString().slice(0, 16);
}

export function addMinutes(minute: string, delta: number): string {
  return new Date(Date.parse(`${minute}:00Z`) + delta * 60_000).toISOString().slice(0, 16);
}

// Snapshots per fold statement: a snapshot with a full histogram is ~300 bytes of JSON.
const FOLD_CHUNK = 2000;

function chunksOf<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

const FOLD_BUCKETS = `INSERT INTO metric_buckets (service, minute, requests, errors, p95_max, availability_sum, availability_samples, first_at)
SELECT s.value ->> 'service', s.value ->> 'minute', SUM(s.value ->> 'requests'), SUM(s.value ->> 'errors'),
  MAX(s.value ->> 'p95'), COALESCE(SUM(s.value ->> 'availability'), 0), COUNT(s.value ->> 'availability'), MIN(s.value ->> 'at')
FROM json_each(?1) AS s
WHERE NOT EXISTS (SELECT 1 FROM folded_signals AS f WHERE f.id = s.value ->> 'id')
GROUP BY 1, 2
ON CONFLICT (service, minute) DO UPDATE SET
  requests = requests + excluded.requests,
  errors = errors + excluded.errors,
  p95_max = CASE WHEN excluded.p95_max IS NULL THEN p95_max WHEN p95_max IS NULL THEN excluded.p95_max
    ELSE MAX(p95_max, excluded.p95_max) END,
  availability_sum = availability_sum + excluded.availability_sum,
  availability_samples = availability_samples + excluded.availability_samples,
  first_at = MIN(first_at, excluded.first_at)`;

const FOLD_LATENCY = `INSERT INTO latency_buckets (service, minute, bucket, count)
SELECT s.value ->> 'service', s.value ->> 'minute', CAST(h.key AS INTEGER), SUM(h.value)
FROM json_each(?1) AS s, json_each(s.value, '$.histogram') AS h
WHERE h.value > 0 AND NOT EXISTS (SELECT 1 FROM folded_signals AS f WHERE f.id = s.value ->> 'id')
GROUP BY 1, 2, 3
ON CONFLICT (service, minute, bucket) DO UPDATE SET count = count + excluded.count`;

const RECORD_DEPLOYMENTS = `INSERT OR IGNORE INTO deployments (signal_id, service, version, commit_sha, author, at)
SELECT d.value ->> 'id', d.value ->> 'service', d.value ->> 'version', d.value ->> 'commit', d.value ->> 'author', d.value ->> 'at'
FROM json_each(?1) AS d`;

const MARK_FOLDED = `INSERT OR IGNORE INTO folded_signals (id, folded_at) SELECT s.value ->> 'id', ?2 FROM json_each(?1) AS s`;

/**
 * The detector's windows in D1. Folding is a handful of set-based statements per queue
 * batch, whatever its size, and is idempotent per signal id.
 *
 * @example
 * await windows.fold(samples, deployments, new Date());
 * const buckets = await windows.bucketsBetween('checkout', '2026-11-29T10:01', '2026-11-29T10:05');
 */
export class MetricWindows {
  constructor(private readonly db: D1Database) {}

  foldStatements(samples: MetricSample[], deployments: DeploymentSample[], now: Date): D1PreparedStatement[] {
    const statements: D1PreparedStatement[] = [];
    // Chunks keep each JSON parameter far below D1's 2 MB limit on one value; one queue batch of
    // packed messages can carry tens of thousands of snapshots.
    for (const chunk of chunksOf(samples, FOLD_CHUNK)) {
      const rows = JSON.stringify(chunk.map((sample) => ({ ...sample, minute: minuteOf(sample.at) })));
      statements.push(this.db.prepare(FOLD_BUCKETS).bind(rows), this.db.prepare(FOLD_LATENCY).bind(rows));
    }
    for (const chunk of chunksOf(deployments, FOLD_CHUNK)) {
      statements.push(this.db.prepare(RECORD_DEPLOYMENTS).bind(JSON.stringify(chunk)));
    }
    // Marked last: the statements above only count signals not yet marked.
    for (const chunk of chunksOf([...samples, ...deployments], FOLD_CHUNK * 4)) {
      statements.push(
        this.db
          .prepare(MARK_FOLDED)
          .bind(JSON.stringify(chunk.map((sample) => ({ id: sample.id }))), now.toISOString()),
      );
    }
    return statements;
  }

  async fold(samples: MetricSample[], deployments: DeploymentSample[], now: Date): Promise<void> {
    if (samples.length + deployments.length === 0) return;
    await this.db.batch(this.foldStatements(samples, deployments, now));
  }

  /**
   * Every bucket of a service between two minutes (inclusive), histograms merged per minute:
   * two statements whatever the span, so a batch touching many minutes stays cheap.
   */
  async bucketsBetween(
    service: string,
    fromMinute: string,
    toMinute: string,
  ): Promise<Map<string, MinuteBucket>> {
    const [buckets, latency] = await this.db.batch<Record<string, number | string | null>>([
      this.db
        .prepare(
          `SELECT minute, requests, errors, p95_max, availability_sum, availability_samples, first_at
           FROM metric_buckets WHERE service = ? AND minute BETWEEN ? AND ?`,
        )
        .bind(service, fromMinute, toMinute),
      this.db
        .prepare(
          'SELECT minute, bucket, count FROM latency_buckets WHERE service = ? AND minute BETWEEN ? AND ?',
        )
        .bind(service, fromMinute, toMinute),
    ]);
    const byMinute = new Map<string, MinuteBucket>();
    for (const row of buckets?.results ?? []) {
      byMinute.set(String(row.minute), {
        requests: Number(row.requests),
        errors: Number(row.errors),
        p95Max: row.p95_max === null ? null : Number(row.p95_max),
        availabilitySum: Number(row.availability_sum),
        availabilitySamples: Number(row.availability_samples),
        firstAt: String(row.first_at),
        histogram: [],
      });
    }
    for (const row of latency?.results ?? []) {
      const bucket = byMinute.get(String(row.minute));
      if (!bucket) continue;
      const index = Number(row.bucket);
      while (bucket.histogram.length <= index) bucket.histogram.push(0);
      bucket.histogram[index] = Number(row.count);
    }
    return byMinute;
  }

  /** The newest deployment of a service at or before `at`, and the one before it. */
  async deploymentsBefore(service: string, at: string): Promise<DeploymentSample[]> {
    const { results } = await this.db
      .prepare(
        'SELECT signal_id, service, version, commit_sha, author, at FROM deployments WHERE service = ? AND at <= ? ORDER BY at DESC LIMIT 2',
      )
      .bind(service, at)
      .all<{
        signal_id: string;
        service: string;
        version: string;
        commit_sha: string | null;
        author: string | null;
        at: string;
      }>();
    return results.map((row) => ({
      id: row.signal_id,
      service: row.service,
      version: row.version,
      at: row.at,
      ...(row.commit_sha !== null && { commit: row.commit_sha }),
      ...(row.author !== null && { author: row.author }),
    }));
  }
}
