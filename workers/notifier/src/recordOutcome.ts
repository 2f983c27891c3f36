import { type Actor, notificationKey } from '@vigil/core';
import { Deliveries, type Delivery, IncidentStore, wakeConsumers } from '@vigil/db';
import type { NotifierContext } from './notifierContext';

const notifierActor: Actor = { kind: 'system', id: 'notifier', name: 'Vigil notifier' };

/**
 * Appends the outcome of a delivery's latest attempt to its incident — NotificationSent, or
 * NotificationFailed with the reason — once: the idempotency key names the channel, the event
 * and the attempt, so recording again after a crash appends nothing. Then wakes the projector.
 *
 * @example
 * await recordOutcome(context, finishedDelivery);
 */
export async function recordOutcome(context: NotifierContext, delivery: Delivery): Promise<void> {
  if (delivery.attempts === 0 || delivery.recordedAttempt >= delivery.attempts) return;
  const data = {
    incidentId: delivery.incidentId,
    at: context.clock().toISOString(),
    by: notifierActor,
    channelId: delivery.channelId,
    channelType: delivery.channelType,
    target: delivery.target,
    attempt: delivery.attempts,
    forEventSeq: delivery.eventSeq,
  };
  const result = await new IncidentStore(context.db, context.clock).execute(
    delivery.incidentId,
    [
      delivery.status === 'sent'
        ? { type: 'RecordNotificationSent', data }
        : {
            type: 'RecordNotificationFailed',
            data: { ...data, reason: delivery.lastError ?? delivery.status },
          },
    ],
    {
      idempotencyKey: `notification:${notificationKey(data)}`,
      source: 'notifier',
      causationId: String(delivery.eventSeq),
    },
  );
  await new Deliveries(context.db).markRecorded(delivery.id, delivery.attempts);
  const head = result.events.at(-1)?.seq;
  if (head !== undefined) await wakeConsumers(context.wake, head, 'notifier', result.events);
}
