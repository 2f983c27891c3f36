import { WakeUp } from '@vigil/contracts';
import { Checkpoints, EventStore } from '@vigil/db';

export const NOTIFIER = 'notifier';

/**
 * Follows the log after the notifier's checkpoint, whatever the wake-ups say, so a lost or
 * reordered wake-up loses nothing. With no notification channels configured there is
 * nothing to deliver, and the checkpoint simply moves on.
 */
export async function consumeWakeUps(batch: MessageBatch, env: Env): Promise<void> {
  for (const message of batch.messages) {
    if (!WakeUp.safeParse(message.body).success) {
      console.error(`vigil: notifier ignored a message that is not a wake-up (${message.id})`);
    }
  }
  try {
    await followLog(env.DB);
    batch.ackAll();
  } catch (error) {
    console.error('vigil: notifier failed, retrying the wake-ups', error);
    batch.retryAll({ delaySeconds: 2 });
  }
}

export async function followLog(db: D1Database, pageSize = 500): Promise<number> {
  const store = new EventStore(db);
  const checkpoints = new Checkpoints(db);
  let handled = 0;
  for (;;) {
    const from = await checkpoints.position(NOTIFIER);
    const events = await store.readAll({ after: from, limit: pageSize });
    if (events.length === 0) return handled;
    if (await checkpoints.advance(NOTIFIER, from, events.at(-1)!.seq)) handled += events.length;
  }
}
