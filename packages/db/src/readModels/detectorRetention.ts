/** How long the detector's per-minute data is kept unless `DETECTOR_RETENTION_DAYS` says otherwise. */
export const DEFAULT_DETECTOR_RETENTION_DAYS = 7;

// Each table with the column its age is judged by. Buckets and verdicts are named by minute
// ('YYYY-MM-DDTHH:MM'), folded signal ids by the time they were folded, alert resolves and
// acknowledges kept for late triggers by the time they were received.
const TABLES = [
  ['metric_buckets', 'minute'],
  ['latency_buckets', 'minute'],
  ['detector_verdicts', 'minute'],
  ['folded_signals', 'folded_at'],
  ['early_alert_actions', 'received_at'],
] as const;

/**
 * Deletes detector rows older than `retentionDays` before `now`, in chunks so that no single
 * statement runs long on D1, at most `maxChunks` per table per run (the next cron continues).
 * Past retention, a minute can no longer be re-evaluated and a redelivered signal would fold
 * again; queues give up redelivering after days, and windows look back minutes.
 *
 * @example
 * await pruneDetectorData(env.DB, { now: new Date(), retentionDays: 7 });
 */
export async function pruneDetectorData(
  db: D1Database,
  {
    now,
    retentionDays,
    chunk = 5000,
    maxChunks = 20,
  }: { now: Date; retentionDays: number; chunk?: number; maxChunks?: number },
): Promise<Record<(typeof TABLES)[number][0], number>> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const deleted = {} as Record<(typeof TABLES)[number][0], number>;
  for (const [table, column] of TABLES) {
    // Minutes compare as their 16-character prefix; full instants compare whole.
    const bound = column === 'minute' ? cutoff.slice(0, 16) : cutoff;
    deleted[table] = 0;
    for (let round = 0; round < maxChunks; round++) {
      const result = await db
        .prepare(
          `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ? LIMIT ?)`,
        )
        .bind(bound, chunk)
        .run();
      deleted[table] += result.meta.changes;
      if (result.meta.changes < chunk) break;
    }
  }
  return deleted;
}
