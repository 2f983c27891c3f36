import type { PendingSignal } from './outbox';

/**
 * How signals reach Vigil. `send` gets at most 1,000 signals (one
 * `POST /v1/signals` worth) and resolves once Vigil has accepted them all, throws
 * to have them retried on the next flush, throws `SignalsTooLargeError` when they do not
 * fit one request (the SDK sends them again in halves), or throws `SignalsRejectedError`
 * when Vigil refused them for good.
 */
export interface Transport<Env> {
  readonly kind: 'service-binding' | 'queue' | 'http';
  send(signals: PendingSignal[], env: Env): Promise<void>;
}

/** Vigil refused the signals and would refuse them again: they are dropped, not retried. */
export class SignalsRejectedError extends Error {
  override readonly name: string = 'SignalsRejectedError';
}

/**
 * The signals do not fit one request (e.g. a 413): fewer per request would pass, so the SDK
 * sends them again in halves. Only a signal too large on its own is dropped, as rejected.
 */
export class SignalsTooLargeError extends SignalsRejectedError {
  override readonly name = 'SignalsTooLargeError';
}
