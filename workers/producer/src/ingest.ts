import {
  groupForSendBatch,
  type IngestedSignal,
  packSignals,
  type SignalEnvelope,
  type SignalsMessage,
} from '@vigil/contracts';

export interface Accepted {
  accepted: number;
  ids: string[];
}

/** A signal id that sorts by receive time, so downstream logs read in order. */
export function newSignalId(now: Date): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  return `sig_${now.getTime().toString(36).padStart(9, '0')}${[...random].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Stamps each signal with an id and the receive time and sends them to vigil-signals,
 * packed into as few messages and sendBatch calls as the queue limits allow.
 */
export async function enqueueSignals(
  queue: Queue<SignalsMessage>,
  signals: IngestedSignal[],
  now: Date,
): Promise<Accepted> {
  const receivedAt = now.toISOString();
  const envelopes: SignalEnvelope[] = signals.map((signal) => ({ id: newSignalId(now), receivedAt, signal }));
  for (const batch of groupForSendBatch(packSignals(envelopes))) {
    await queue.sendBatch(batch.map((body) => ({ body, contentType: 'json' as const })));
  }
  return { accepted: envelopes.length, ids: envelopes.map((envelope) => envelope.id) };
}
