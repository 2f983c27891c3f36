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

/**
 * A message on vigil-notify or vigil-project. It is only a wake-up: consumers read the log
 * after their checkpoint, so a lost, doubled or reordered wake-up loses or doubles nothing.
 * `upTo` is the newest global sequence number the sender knows of.
 */
export const WakeUp = z.object({
  kind: z.literal('wake-up'),
  upTo: z.number().int().nonnegative(),
  reason: z.string().max(64),
});
export type WakeUp = z.infer<typeof WakeUp>;

/** Queue limits we pack against (Cloudflare Queues: 128 KB a message, 100 messages and 256 KB a sendBatch). */
export const QUEUE_LIMITS = {
  messageBytes: 128 * 1024,
  batchMessages: 100,
  batchBytes: 256 * 1024,
} as const;
