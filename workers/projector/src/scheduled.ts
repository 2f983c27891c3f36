import { Checkpoints, IncidentProjection, wakeConsumers } from '@vigil/db';

/**
 * The projector's cron: bring the read models up to the log, then wake the notifier if its
 * checkpoint is behind (its wake-ups may have been lost).
 */
export async function runScheduled(env: Env): Promise<void> {
  const projected = await new IncidentProjection(env.DB).catchUp();
  const notifier = await new Checkpoints(env.DB).position('notifier');
  if (notifier < projected.position || !projected.caughtUp) {
    await wakeConsumers(env, projected.position, 'sweep');
  }
}
