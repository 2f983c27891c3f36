// Reads and steers the Node receiver (test/node/receiver.ts) from inside workerd.
import { env } from 'cloudflare:workers';
import { SignalEnvelope } from '@vigil/contracts';
import type { QueuedSignals, ReceiverMode, RecordedRequest } from './receiverProtocol';

export const receiver = {
  async setMode(tenant: string, mode: ReceiverMode): Promise<void> {
    const response = await fetch(`${env.RECEIVER_URL}/${tenant}/mode`, {
      method: 'PUT',
      body: JSON.stringify({ mode }),
    });
    if (response.status !== 204) throw new Error(`receiver refused mode ${mode}: ${response.status}`);
  },
  /** Answer 413 to a body over `maxBodyBytes` (by default the producer's 1 MiB). */
  async limitBody(tenant: string, maxBodyBytes: number): Promise<void> {
    const response = await fetch(`${env.RECEIVER_URL}/${tenant}/max-body-bytes`, {
      method: 'PUT',
      body: JSON.stringify({ maxBodyBytes }),
    });
    if (response.status !== 204)
      throw new Error(`receiver refused body limit ${maxBodyBytes}: ${response.status}`);
  },
  async requests(tenant: string): Promise<RecordedRequest[]> {
    return (await fetch(`${env.RECEIVER_URL}/${tenant}/requests`)).json();
  },
  /** What the test consumer took off vigil-signals for `service`, envelopes checked against the schema. */
  async queued(service: string): Promise<{ messageIds: string[]; envelopes: SignalEnvelope[] }> {
    const queued = (await (await fetch(`${env.RECEIVER_URL}/queue/${service}`)).json()) as QueuedSignals;
    return { messageIds: queued.messageIds, envelopes: queued.envelopes.map((e) => SignalEnvelope.parse(e)) };
  },
};

/** Polls `read` until `done` holds (queue delivery is asynchronous); fails after ~10 s. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = await read();
    if (done(value)) return value;
    await scheduler.wait(50);
  }
  throw new Error('condition not met within 10 s');
}

/** A name no other test uses: services and receiver tenants are shared by every test. */
export function unique(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}
