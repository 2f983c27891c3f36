import { z } from 'zod';
import { IngestedSignal, Timestamp } from './signals';

/** A signal as the producer accepted it: the id makes redelivery harmless downstream. */
export const SignalEnvelope = z.object({
  id: z.string().min(1).max(64),
  receivedAt: Timestamp,
  signal: IngestedSignal,
});
export type SignalEnvelope = z.infer<typeof SignalEnvelope>;

/** A message on vigil-signals: many signals packed into one message. */
export const SignalsMessage = z.object({
  kind: z.literal('signals'),
  signals: z.array(SignalEnvelope).min(1),
});
export type SignalsMessage = z.infer<typeof SignalsMessage>;

/** An event as the log recorded it (packages/db's RecordedEvent), carried by a wake-up. */
export const CarriedEvent = z.object({
  seq: z.number().int().positive(),
  streamId: z.string().min(1),
  version: z.number().int().positive(),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  data: z.unknown(),
  metadata: z.object({
    actor: z.object({
      kind: z.enum(['human', 'detector', 'source', 'system']),
      id: z.string(),
      name: z.string().optional(),
    }),
    causationId: z.string().optional(),
    correlationId: z.string().optional(),
    source: z.string().optional(),
  }),
  idempotencyKey: z.string().nullable(),
  recordedAt: z.string(),
});
export type CarriedEvent = z.infer<typeof CarriedEvent>;

/**
 * A message on vigil-notify or vigil-project. It is a wake-up: consumers read the log after
 * their checkpoint, so a lost, doubled or reordered wake-up loses or doubles nothing. `upTo`
 * is the newest global sequence number the sender knows of. `events` are the events the sender
 * just appended (as many as fit in a message): never the only copy, they spare a consumer whose
 * checkpoint they directly follow a read of the log.
 */
export const WakeUp = z.object({
  kind: z.literal('wake-up'),
  upTo: z.number().int().nonnegative(),
  reason: z.string().max(64),
  // Only a convenience: carried events that do not read as events are dropped, never the wake-up.
  events: z.array(CarriedEvent).optional().catch(undefined),
});
export type WakeUp = z.infer<typeof WakeUp>;

/** Queue limits we pack against (Cloudflare Queues: 128 KB a message, 100 messages and 256 KB a sendBatch). */
export const QUEUE_LIMITS = {
  messageBytes: 128 * 1024,
  batchMessages: 100,
  batchBytes: 256 * 1024,
} as const;
