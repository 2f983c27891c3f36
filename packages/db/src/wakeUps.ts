import type { WakeUp } from '@vigil/contracts';

export interface LogConsumerQueues {
  NOTIFY: Queue;
  PROJECT: Queue;
}

/**
 * Tells the notifier and the projector that the log grew. Never throws: a wake-up that is
 * lost only delays them, since they read the log from D1 and a cron sweep wakes them too.
 */
export async function wakeConsumers(
  queues: LogConsumerQueues,
  upTo: number,
  reason: string,
): Promise<boolean> {
  const body: WakeUp = { kind: 'wake-up', upTo, reason };
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
