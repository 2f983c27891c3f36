// What the Node receiver (node/receiver.ts) and the workerd-side client (receiverClient.ts) share.

/** How the receiver answers `POST /{tenant}/v1/signals`. */
export type ReceiverMode = 'accept' | 'fail' | 'hang' | 'reject';

/** The producer's body limit (MAX_BODY_BYTES in packages/http), the receiver's by default. */
export const PRODUCER_MAX_BODY_BYTES = 1024 * 1024;

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  contentType: string | null;
  /** The body's size in bytes, as sent. */
  bytes: number;
  body: unknown;
  /** What the receiver answered; null while it hangs. */
  status: number | null;
}

/** What reached vigil-signals for one service: the envelopes and the messages that held them. */
export interface QueuedSignals {
  messageIds: string[];
  envelopes: unknown[];
}
