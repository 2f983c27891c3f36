import type { DeliveryJob } from '@vigil/contracts';
import { Deliveries } from '@vigil/db';
import type { NotifierContext } from './notifierContext';
import { MAX_QUEUE_DELAY_SECONDS } from './settings';

// A job still open this long after it was due lost its message (a crash between claim and
// outcome, or the queue gave up on it): put it on the queue again.
const LOST_AFTER_MS = 10 * 60_000;

/**
 * Puts the delivery log's outbox on vigil-notify: each job as its own message, delayed until
 * it is due (a digest until its window ends), in batches of at most 100. A job is marked
 * enqueued only after the send, so a failure here enqueues it again later, never loses it; a
 * job enqueued twice is still delivered once, because sending claims it in D1.
 *
 * @example
 * await enqueueDue(context); // after followLog
 */
export async function enqueueDue(context: NotifierContext): Promise<number> {
  const deliveries = new Deliveries(context.db);
  let enqueued = 0;
  for (;;) {
    const now = context.clock();
    const due = await deliveries.outbox(new Date(now.getTime() - LOST_AFTER_MS), 100);
    if (due.length === 0) return enqueued;
    await context.jobs.sendBatch(
      due.map((delivery) => ({
        body: { kind: 'delivery', deliveryId: delivery.id } satisfies DeliveryJob,
        contentType: 'json' as const,
        delaySeconds: Math.min(
          MAX_QUEUE_DELAY_SECONDS,
          Math.max(0, Math.ceil((Date.parse(delivery.dueAt) - now.getTime()) / 1000)),
        ),
      })),
    );
    await deliveries.markEnqueued(
      due.map((delivery) => delivery.id),
      now,
    );
    enqueued += due.length;
    if (due.length < 100) return enqueued;
  }
}
