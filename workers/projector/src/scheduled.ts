import { Checkpoints, IncidentProjection, MetricRollups, pruneDetectorData, wakeConsumers } from '@vigil/db';
import { projectorSettings } from './settings';

/**
 * The projector's cron: bring the read models up to the log, roll every bucket whose facts
 * changed into the hourly and daily rollups, prune detector data past retention, then wake the
 * notifier if its checkpoint is behind (its wake-ups may have been lost).
 */
export async function runScheduled(env: Env, now: Date) {
  const settings = projectorSettings(env);
  const projected = await new IncidentProjection(env.DB).catchUp();
  const rolled = await new MetricRollups(env.DB).rollDirty();
  const pruned = await pruneDetectorData(env.DB, { now, retentionDays: settings.detectorRetentionDays });
  const notifier = await new Checkpoints(env.DB).position('notifier');
  if (notifier < projected.position || !projected.caughtUp) {
    await wakeConsumers(env, projected.position, 'sweep');
  }
  return { projected, rolled, pruned };
}
