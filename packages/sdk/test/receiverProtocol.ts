// What the Node receiver (node/receiver.ts) and the workerd-side client (receiverClient.ts) share.

/** How the receiver answers `POST /{tenant}/v1/signals`. */
export type ReceiverMode = 'accept' | 'fail' | 'hang' | 'reject';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  contentType: string | null;
  body: unknown;
}

/** What reached vigil-signals for one service: the envelopes and the messages that held them. */
export interface QueuedSignals {
  messageIds: string[];
  envelopes: unknown[];
}
