import {
  type IngestedSignal,
  newSignalIds,
  type SignalEnvelope,
  type SignalsQueue,
  sendSignals,
} from '@vigil/contracts';

export interface Accepted {
  accepted: number;
  ids: string[];
}

/**
 * Stamps each signal with an id and the receive time and sends them to vigil-signals,
 * packed into as few messages and sendBatch calls as the queue limits allow.
 */
export async function enqueueSignals(
  queue: SignalsQueue,
  signals: IngestedSignal[],
  now: Date,
): Promise<Accepted> {
  const receivedAt = now.toISOString();
  const ids = newSignalIds(now, signals.length);
  const envelopes: SignalEnvelope[] = signals.map((signal, i) => ({ id: ids[i]!, receivedAt, signal }));
  await sendSignals(queue, envelopes);
  return { accepted: envelopes.length, ids };
}
