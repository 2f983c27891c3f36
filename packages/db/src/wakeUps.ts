import type { WakeUp } from '@vigil/contracts';
import { carryable } from './carriedEvents';
import type { RecordedEvent } from './eventStore';

export interface LogConsumerQueues {
  NOTIFY: Queue;
  PROJECT: Queue;
}

/**
 * Tells the notifier and the projector that the log grew, carrying the events just appended
 * (as many as fit in a message). Never throws: a wake-up that is lost only delays them, since
 * they read the log from D1 and a cron sweep wakes them too.
 *
 * @example
 * await wakeConsumers(env, result.events.at(-1)!.seq, 'command', result.events);
 */
export async function wakeConsumers(
  queues: LogConsumerQueues,
  upTo: number,
  reason: string,
  appended: readonly RecordedEvent[] = [],
): Promise<boolean> {
  const events = carryable(appended);
  const body: WakeUp = {
    kind: 'wake-up',
    upTo: Math.max(upTo, events.at(-1)?.seq ?? 0),
    reason,
    ...(events.length > 0 && { events }),
  };
  const sent = await Promise.allSettled([
    queues.NOTIFY.send(body, { contentType: 'json' }),
    queues.PROJECT.send(body, { contentType: 'json' }),
  ]);
  const failed = sent.filter((result) => result.status === 'rejected');
  for (const failure of failed) {
    console.warn(
      'vigil: wake-up not sent; consumers will catch up from D1',
      (failure as PromiseRejectedResult).reason,
    );
  }
  return failed.length === 0;
}
