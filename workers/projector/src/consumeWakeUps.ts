import { WakeUp } from '@vigil/contracts';
import { IncidentProjection } from '@vigil/db';

/**
 * Handles a batch of wake-ups: whatever they say, the projector reads the log after its
 * checkpoint, so one catch-up serves the whole batch and a lost wake-up loses nothing.
 */
export async function consumeWakeUps(batch: MessageBatch, env: Env): Promise<void> {
  for (const message of batch.messages) {
    if (!WakeUp.safeParse(message.body).success) {
      console.error(`vigil: projector ignored a message that is not a wake-up (${message.id})`);
      message.ack();
    }
  }
  try {
    await new IncidentProjection(env.DB).catchUp();
    batch.ackAll();
  } catch (error) {
    console.error('vigil: projection failed, retrying the wake-ups', error);
    batch.retryAll({ delaySeconds: 2 });
  }
}
