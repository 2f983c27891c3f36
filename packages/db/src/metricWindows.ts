import { isFoldRace } from './errors';

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

// Rows per JSON parameter: far below D1's 2 MB limit on one value even with full histograms.
const CHUNK = 2000;
// Signal ids per statement when checking and marking them (an id is ~30 bytes of JSON).
const ID_CHUNK = 20_000;

function chunksOf<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

const UPSERT_BUCKETS = `INSERT INTO metric_buckets (service, minute, requests, errors, p95_max, availability_sum, availability_samples, first_at)
SELECT b.value ->> 'service', b.value ->> 'minute', b.value ->> 'requests', b.value ->> 'errors', b.value ->> 'p95Max',
  b.value ->> 'availabilitySum', b.value ->> 'availabilitySamples', b.value ->> 'firstAt'
FROM json_each(?1) AS b WHERE true
ON CONFLICT (service, minute) DO UPDATE SET
  requests = requests + excluded.requests,
  errors = errors + excluded.errors,
  p95_max = CASE WHEN excluded.p95_max IS NULL THEN p95_max WHEN p95_max IS NULL THEN excluded.p95_max
    ELSE MAX(p95_max, excluded.p95_max) END,
  availability_sum = availability_sum + excluded.availability_sum,
  availability_samples = availability_samples + excluded.availability_samples,
  first_at = MIN(first_at, excluded.first_at)`;

const UPSERT_LATENCY = `INSERT INTO latency_buckets (service, minute, bucket, count)
SELECT l.value ->> 0, l.value ->> 1, l.value ->> 2, l.value ->> 3 FROM json_each(?1) AS l WHERE true
ON CONFLICT (service, minute, bucket) DO UPDATE SET count = count + excluded.count`;

const RECORD_DEPLOYMENTS = `INSERT OR IGNORE INTO deployments (signal_id, service, version, commit_sha, author, at)
SELECT d.value ->> 'id', d.value ->> 'service', d.value ->> 'version', d.value ->> 'commit', d.value ->> 'author', d.value ->> 'at'
FROM json_each(?1) AS d`;

const ALREADY_FOLDED = 'SELECT f.id FROM json_each(?1) AS s JOIN folded_signals AS f ON f.id = s.value';

// A plain INSERT: if another consumer marked one of these ids since they were checked, the
// whole batch fails on the primary key and nothing is counted twice.
const MARK_FOLDED = 'INSERT INTO folded_signals (id, folded_at) SELECT s.value, ?2 FROM json_each(?1) AS s';

/** A minute bucket's sums as written: the histogram goes to its own rows. */
type BucketRow = Omit<MinuteBucket, 'histogram'> & { service: string; minute: string };

/** The samples summed per service and minute, and their histograms per bucket. */
function aggregate(samples: MetricSample[]): {
  buckets: BucketRow[];
  latency: [string, string, number, number][];
} {
  const buckets = new Map<string, BucketRow>();
  const latency = new Map<string, [string, string, number, number]>();
  for (const sample of samples) {
    const minute = minuteOf(sample.at);
    const key = `${sample.service}\u0000${minute}`;
    let row = buckets.get(key);
    if (!row) {
      row = {
        service: sample.service,
        minute,
        requests: 0,
        errors: 0,
        p95Max: null,
        availabilitySum: 0,
        availabilitySamples: 0,
        firstAt: sample.at,
      };
      buckets.set(key, row);
    }
    row.requests += sample.requests;
    row.errors += sample.errors;
    if (sample.p95 !== undefined)
      row.p95Max = row.p95Max === null ? sample.p95 : Math.max(row.p95Max, sample.p95);
    if (sample.availability !== undefined) {
      row.availabilitySum += sample.availability;
      row.availabilitySamples += 1;
    }
    if (sample.at < row.firstAt) row.firstAt = sample.at;
    sample.histogram?.forEach((count, bucket) => {
      if (count <= 0) return;
      const cell = latency.get(`${key}\u0000${bucket}`);
      if (cell) cell[3] += count;
      else latency.set(`${key}\u0000${bucket}`, [sample.service, minute, bucket, count]);
    });
  }
  return { buckets: [...buckets.values()], latency: [...latency.values()] };
}

/**
 * The detector's windows in D1. A fold checks which signal ids are new, sums the new
 * snapshots per service and minute, and writes those sums with the ids in one atomic batch:
 * a handful of set-based statements per queue batch whatever its size, idempotent per signal id.
 *
 * @example
 * await windows.fold(samples, deployments, new Date());
 * const buckets = await windows.bucketsBetween('checkout', '2026-11-29T10:01', '2026-11-29T10:05');
 */
export class MetricWindows {
  constructor(private readonly db: D1Database) {}

  async fold(samples: MetricSample[], deployments: DeploymentSample[], now: Date): Promise<void> {
    if (samples.length + deployments.length === 0) return;
    for (let attempt = 1; ; attempt++) {
      try {
        const statements = await this.foldStatements(samples, deployments, now);
        if (statements.length > 0) await this.db.batch(statements);
        return;
      } catch (error) {
        // A concurrent consumer folded some of the same signals first: check again.
        if (attempt >= 3 || !isFoldRace(error)) throw error;
      }
    }
  }

  private async foldStatements(
    samples: MetricSample[],
    deployments: DeploymentSample[],
    now: Date,
  ): Promise<D1PreparedStatement[]> {
    const ids = [...new Set([...samples, ...deployments].map((signal) => signal.id))];
    const checks = await this.db.batch<{ id: string }>(
      chunksOf(ids, ID_CHUNK).map((chunk) => this.db.prepare(ALREADY_FOLDED).bind(JSON.stringify(chunk))),
    );
    const folded = new Set(checks.flatMap((check) => check.results.map((row) => row.id)));
    const fresh = ids.filter((id) => !folded.has(id));
    if (fresh.length === 0) return [];
    const { buckets, latency } = aggregate(samples.filter((sample) => !folded.has(sample.id)));
    const newDeployments = deployments.filter((deployment) => !folded.has(deployment.id));
    return [
      ...chunksOf(buckets, CHUNK).map((chunk) => this.db.prepare(UPSERT_BUCKETS).bind(JSON.stringify(chunk))),
      ...chunksOf(latency, CHUNK * 4).map((chunk) =>
        this.db.prepare(UPSERT_LATENCY).bind(JSON.stringify(chunk)),
      ),
      ...chunksOf(newDeployments, CHUNK).map((chunk) =>
        this.db.prepare(RECORD_DEPLOYMENTS).bind(JSON.stringify(chunk)),
      ),
      ...chunksOf(fresh, ID_CHUNK).map((chunk) =>
        this.db.prepare(MARK_FOLDED).bind(JSON.stringify(chunk), now.toISOString()),
      ),
    ];
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

  /**
   * The newest deployment of a service at or before `at`, and the newest one before it with
   * another version: what a rollback returns to, even when the same version went out twice.
   */
  async deploymentsBefore(service: string, at: string): Promise<DeploymentSample[]> {
    const { results } = await this.db
      .prepare(
        `WITH latest AS (SELECT signal_id, service, version, commit_sha, author, at FROM deployments
           WHERE service = ?1 AND at <= ?2 ORDER BY at DESC LIMIT 1)
         SELECT 0 AS rank, * FROM latest
         UNION ALL SELECT 1, * FROM (SELECT d.signal_id, d.service, d.version, d.commit_sha, d.author, d.at
           FROM deployments AS d JOIN latest ON d.service = latest.service AND d.at <= latest.at
           WHERE d.version <> latest.version ORDER BY d.at DESC LIMIT 1)
         ORDER BY rank`,
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
