import { IncidentProjection, MetricRollups, readModelCounts } from '@vigil/db';

/**
 * `POST /v1/admin/rebuild`: drops every read model, replays the whole log into them (`pageSize`
 * events per batch) and rolls the metric rollups up again, answering with what it did and how
 * many rows each table holds.
 */
export async function rebuildReadModels(db: D1Database, replay: { pageSize?: number } = {}) {
  const started = Date.now();
  const replayed = await new IncidentProjection(db).rebuild(replay);
  const rollups = new MetricRollups(db);
  let rolled = 0;
  for (;;) {
    const run = await rollups.rollDirty({ limit: 1000 });
    rolled += run.rolled;
    if (!run.remaining) break;
  }
  return {
    replayedEvents: replayed.applied,
    position: replayed.position,
    rolledBuckets: rolled,
    tables: await readModelCounts(db),
    tookMs: Date.now() - started,
  };
}
