/**
 * Every table the projector derives from the log: a rebuild empties them all and replays.
 * Rollups are derived from metric facts, so they go too and are rolled again.
 */
export const READ_MODEL_TABLES = [
  'incidents',
  'timeline_entries',
  'metric_facts',
  'metric_rollups',
  'rollup_buckets',
  'public_incidents',
  'impact_periods',
  'service_components',
  'action_items',
] as const;

export type ReadModelTable = (typeof READ_MODEL_TABLES)[number];

/** How many rows each read model holds. */
export async function readModelCounts(db: D1Database): Promise<Record<ReadModelTable, number>> {
  const results = await db.batch<{ count: number }>(
    READ_MODEL_TABLES.map((table) => db.prepare(`SELECT COUNT(*) AS count FROM ${table}`)),
  );
  return Object.fromEntries(
    READ_MODEL_TABLES.map((table, index) => [table, results[index]?.results[0]?.count ?? 0]),
  ) as Record<ReadModelTable, number>;
}
