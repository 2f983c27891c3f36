import { QUEUE_LIMITS, type SignalEnvelope, SignalsMessage } from './queueMessages';

// Leave room for the queue's own framing of a message.
const MESSAGE_BUDGET = QUEUE_LIMITS.messageBytes - 4 * 1024;
const BATCH_BUDGET = QUEUE_LIMITS.batchBytes - 8 * 1024;
const encoder = new TextEncoder();

const OPENING = '{"kind":"signals","signals":[';
const CLOSING = ']}';

/** A vigil-signals message ready to send: the JSON text of a SignalsMessage and its size. */
export interface PackedSignals {
  body: string;
  bytes: number;
}

/** What a signals queue binding needs: `Queue` from the Workers runtime has it. */
export interface SignalsQueue {
  sendBatch(messages: Iterable<{ body: string; contentType: 'text' }>): Promise<unknown>;
}

/**
 * Packs signals into as few queue messages as the per-message size limit allows, keeping
 * their order. Each envelope is serialized once: the bytes measured are the bytes sent.
 * A single signal is far below the limit (schemas cap every field).
 *
 * @example
 * const messages = packSignals(envelopes); // 1,000 small signals → 1 or 2 messages
 */
export function packSignals(envelopes: SignalEnvelope[]): PackedSignals[] {
  const overhead = OPENING.length + CLOSING.length;
  const messages: PackedSignals[] = [];
  let parts: string[] = [];
  let size = overhead;
  const close = () => {
    messages.push({ body: `${OPENING}${parts.join(',')}${CLOSING}`, bytes: size - 1 });
    parts = [];
    size = overhead;
  };
  for (const envelope of envelopes) {
    const text = JSON.stringify(envelope);
    const bytes = byteLength(text) + 1;
    if (parts.length > 0 && size + bytes > MESSAGE_BUDGET) close();
    parts.push(text);
    size += bytes;
  }
  if (parts.length > 0) close();
  return messages;
}

/** Groups packed messages into sendBatch calls: at most 100 messages and 256 KB each. */
export function groupForSendBatch<T extends { bytes: number }>(messages: T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const message of messages) {
    if (
      current.length > 0 &&
      (current.length >= QUEUE_LIMITS.batchMessages || size + message.bytes > BATCH_BUDGET)
    ) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(message);
    size += message.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Sends envelopes to vigil-signals as packed JSON text (content type `text`): the runtime
 * and the local queue pass a string through instead of serializing an object graph again.
 */
export async function sendSignals(queue: SignalsQueue, envelopes: SignalEnvelope[]): Promise<void> {
  for (const batch of groupForSendBatch(packSignals(envelopes))) {
    await queue.sendBatch(batch.map(({ body }) => ({ body, contentType: 'text' as const })));
  }
}

export type ReadSignals = { success: true; data: SignalsMessage } | { success: false; reason: string };

/**
 * Reads a vigil-signals message body: packed JSON text (what the producer and SDK send), or
 * an object (content type `json` or `v8`, as senders before packed text did).
 */
export function readSignalsMessage(body: unknown): ReadSignals {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return { success: false, reason: 'invalid signals message: the body is not JSON' };
    }
  }
  const parsed = SignalsMessage.safeParse(value);
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, reason: `invalid signals message: ${parsed.error.issues[0]?.message}` };
}

// JSON text escapes control characters, so most of it is printable ASCII, whose UTF-8 size is
// its length: the encoder is needed only for the rest.
const PRINTABLE_ASCII = /^[ -~]*$/;

export function byteLength(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : encoder.encode(text).byteLength;
}
