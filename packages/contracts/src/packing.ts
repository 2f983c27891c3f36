import { QUEUE_LIMITS, type SignalEnvelope, type SignalsMessage } from './queueMessages';

// Leave room for the queue's own framing of a message.
const MESSAGE_BUDGET = QUEUE_LIMITS.messageBytes - 4 * 1024;
const BATCH_BUDGET = QUEUE_LIMITS.batchBytes - 8 * 1024;
const encoder = new TextEncoder();

/**
 * Packs signals into as few queue messages as the per-message size limit allows,
 * keeping their order. A single signal is far below the limit (schemas cap every field).
 *
 * @example
 * const messages = packSignals(envelopes); // 1,000 small signals → 1 or 2 messages
 */
export function packSignals(envelopes: SignalEnvelope[]): SignalsMessage[] {
  const overhead = byteLength(JSON.stringify({ kind: 'signals', signals: [] }));
  const messages: SignalsMessage[] = [];
  let current: SignalEnvelope[] = [];
  let size = overhead;
  for (const envelope of envelopes) {
    const bytes = byteLength(JSON.stringify(envelope)) + 1;
    if (current.length > 0 && size + bytes > MESSAGE_BUDGET) {
      messages.push({ kind: 'signals', signals: current });
      current = [];
      size = overhead;
    }
    current.push(envelope);
    size += bytes;
  }
  if (current.length > 0) messages.push({ kind: 'signals', signals: current });
  return messages;
}

/** Groups messages into sendBatch calls: at most 100 messages and 256 KB each. */
export function groupForSendBatch<T>(messages: T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const message of messages) {
    const bytes = byteLength(JSON.stringify(message));
    if (current.length > 0 && (current.length >= QUEUE_LIMITS.batchMessages || size + bytes > BATCH_BUDGET)) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(message);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export function byteLength(text: string): number {
  return encoder.encode(text).byteLength;
}
