import { z } from 'zod';
import { WakeUp } from './queueMessages';

/**
 * A message on vigil-notify asking the notifier to make one delivery: one event (or one
 * digest of events) to one channel. It carries only the delivery id, never a target or a
 * secret: the notifier reads both from D1, so a message in a dead-letter queue leaks nothing.
 *
 * @example
 * const job: DeliveryJob = { kind: 'delivery', deliveryId: 'msg_3f9a0c…' };
 */
export const DeliveryJob = z.object({
  kind: z.literal('delivery'),
  deliveryId: z.string().regex(/^msg_[0-9a-f]{32}$/),
  /** How many times in a row this job failed before its outcome was stored (absent: none). */
  failures: z.number().int().min(1).max(100).optional(),
});
export type DeliveryJob = z.infer<typeof DeliveryJob>;

/**
 * Everything vigil-notify carries: wake-ups (the log grew) and delivery jobs.
 *
 * @example
 * NotifyMessage.parse({ kind: 'wake-up', upTo: 42, reason: 'detector' });
 */
export const NotifyMessage = z.discriminatedUnion('kind', [WakeUp, DeliveryJob]);
export type NotifyMessage = z.infer<typeof NotifyMessage>;
