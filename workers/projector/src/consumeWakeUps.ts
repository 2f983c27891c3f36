import { WakeUp } from '@vigil/contracts';
import { carriedBy, IncidentProjection } from '@vigil/db';

/**
 * Handles a batch of wake-ups: whatever they say, the projector reads the log after its
 * checkpoint, so one catch-up serves the whole batch and a lost wake-up loses nothing. The
 * events the wake-ups carry stand in for the pages of the log they hold.
 */
export async function consumeWakeUps(batch: MessageBatch, env: Env): Promise<void> {
  const wakeUps: WakeUp[] = [];
  for (const message of batch.messages) {
    const parsed = WakeUp.safeParse(message.body);
    if (parsed.success) {
      wakeUps.push(parsed.data);
    } else {
      console.error(`vigil: projector ignored a message that is not a wake-up (${message.id})`);
      message.ack();
    }
  }
  try {
    await new IncidentProjection(env.DB).catchUp({ carried: carriedBy(wakeUps) });
    batch.ackAll();
  } catch (error) {
    console.error('vigil: projection failed, retrying the wake-ups', error);
    batch.retryAll({ delaySeconds: 2 });
  }
}
